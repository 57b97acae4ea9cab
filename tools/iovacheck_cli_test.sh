#!/usr/bin/env bash
# End-to-end checks of the iovacheck command line.
set -u
bin="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-iovacheck}/tools/iovacheck"
[[ -x "$bin" ]] || bin="$(dirname "$0")/iovacheck"
out="${TEST_TMPDIR:-/tmp}/out.txt"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$bin" check --translator=decoupled --cases=300 --seed=7 >"$out" 2>&1
rc=$?
[[ $rc -eq 0 ]] || fail "decoupled: exit $rc, want 0"
[[ $(grep -c '^PASS' "$out") -eq 3 ]] || fail "decoupled: want 3 PASS lines"
cat "$out"

"$bin" check --translator=legacy --cases=2000 --seed=7 >"$out" 2>&1
rc=$?
[[ $rc -eq 1 ]] || fail "legacy: exit $rc, want 1"
grep -q '^FAIL dma_map_agreement' "$out" || fail "legacy: no FAIL verdict"
grep -q 'minimal failing sequence' "$out" || fail "legacy: no minimal sequence"
grep -q 'region_add .*alias' "$out" || fail "legacy: the minimal sequence has no alias"
grep -q 'seed 7' "$out" || fail "legacy: seed not printed"
grep -q -- '--reproduce=' "$out" || fail "legacy: no reproduce string"
grep -qE 'iova \[0x[0-9a-f]+' "$out" || fail "legacy: IOVAs not shown in hex"
cat "$out"

"$bin" check --translator=nosuch >"$out" 2>&1
rc=$?
[[ $rc -eq 2 ]] || fail "unknown translator: exit $rc, want 2"
grep -q 'decoupled' "$out" || fail "unknown translator: known names not listed"

"$bin" frobnicate >"$out" 2>&1
[[ $? -eq 2 ]] || fail "unknown command: want exit 2"

"$bin" check --translator=decoupled --property=nosuch >"$out" 2>&1
[[ $? -eq 2 ]] || fail "unknown property: want exit 2"

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all CLI checks passed"
