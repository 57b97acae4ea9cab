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

# shrink and promote, end to end: an old QEMU's log of the aliasing bug, its
# high RAM irrelevant, shrunk under --recorded and made a regression case.
tmp="${TEST_TMPDIR:-/tmp}/cli-shrink"
rm -rf "$tmp" && mkdir -p "$tmp/ws/traces/regressions"
cat >"$tmp/old.log" <<'LOG'
1@1.1:vhost_vdpa_listener_region_add vdpa: 0x1 iova 0x0 llend 0x80000000 vaddr: 0x7f7903e00000 read-only: 0
1@1.2:vhost_vdpa_dma_map vdpa:0x1 fd: 17 msg_type: 1 iova: 0x1000 size: 0x80000000 uaddr: 0x7f7903e00000 perm: 0x3 type: 2
1@1.3:vhost_vdpa_listener_region_add vdpa: 0x1 iova 0x100000000 llend 0x2080000000 vaddr: 0x7f7983e00000 read-only: 0
1@1.4:vhost_vdpa_dma_map vdpa:0x1 fd: 17 msg_type: 1 iova: 0x80001000 size: 0x1f80000000 uaddr: 0x7f7983e00000 perm: 0x3 type: 2
1@1.5:vhost_vdpa_listener_region_add vdpa: 0x1 iova 0xfeda0000 llend 0xfedc0000 vaddr: 0x7f7903ea0000 read-only: 0
1@1.6:vhost_vdpa_dma_map vdpa:0x1 fd: 17 msg_type: 1 iova: 0x2000001000 size: 0x20000 uaddr: 0x7f7903ea0000 perm: 0x3 type: 2
1@1.7:vhost_vdpa_listener_region_del vdpa: 0x1 iova 0xfeda0000 llend 0xfedbffff
1@1.8:vhost_vdpa_dma_unmap vdpa:0x1 fd: 17 msg_type: 1 iova: 0x1000 size: 0x20000 type: 3
LOG
"$bin" import-qemu "$tmp/old.log" -o "$tmp/old.trace" >"$out" 2>&1 || fail "import-qemu: exit $?"
"$bin" shrink "$tmp/old.trace" --recorded -o "$tmp/min.textproto" >"$out" 2>&1
rc=$?
[[ $rc -eq 0 ]] || fail "shrink: exit $rc, want 0"
grep -q -- '-> 3 input events' "$out" || fail "shrink: not down to 3 input events"
grep -q 'failure kept: rule coverage at a region_del' "$out" || fail "shrink: identity not shown"
cat "$out"
"$bin" shrink "$tmp/old.trace" --recorded -o "$tmp/old.trace" >"$out" 2>&1
[[ $? -eq 2 ]] || fail "shrink onto its input: want exit 2"
# The recording judged against Linux's own code as the device: the same
# verdict (the stale alias) on both kernels, the device named.
for dev in linux-6.12 linux-6.1; do
  "$bin" replay "$tmp/old.trace" --recorded --device=$dev >"$out" 2>&1
  [[ $? -eq 1 ]] || fail "replay --recorded --device=$dev: want exit 1: $(cat "$out")"
  grep -q 'stale' "$out" || fail "replay --recorded --device=$dev: not the stale alias"
done
BUILD_WORKSPACE_DIRECTORY="$tmp/ws" "$bin" promote "$tmp/min.textproto" --name=cli_case >"$out" 2>&1
rc=$?
[[ $rc -eq 0 ]] || fail "promote: exit $rc, want 0"
head -1 "$tmp/ws/traces/regressions/cli_case.textproto" | grep -q '^# Regression case cli_case' ||
  fail "promote: no comment header"
BUILD_WORKSPACE_DIRECTORY="$tmp/ws" "$bin" promote "$tmp/min.textproto" --name=cli_case >"$out" 2>&1
[[ $? -eq 2 ]] || fail "promote over an existing case: want exit 2"
"$bin" shrink "$tmp/old.trace" >"$out" 2>&1
[[ $? -eq 2 ]] || fail "shrink without -o: want exit 2"

# An output with nowhere to go is refused before the run, not after it.
"$bin" simulate --steps=2000 -o "$tmp/no-such-dir/x.trace" >"$out" 2>&1
[[ $? -eq 2 ]] || fail "simulate -o into a missing directory: want exit 2"
grep -q "directory $tmp/no-such-dir does not exist" "$out" ||
  fail "simulate -o into a missing directory: $(cat "$out")"
grep -q 'PASS\|FAIL' "$out" && fail "simulate -o into a missing directory: it ran first"

# Bad flags are bad arguments (exit 2, one line), never the "bug found"
# status absl's parser would give them; --help answers per command, exit 0.
for bad in "simulate --steps=-1" "simulate --seed=abc" "replay --bogus x" "simulate --steps" \
           "campaign --seeds=1..2 --steps=0" "demo --steps=0" "simulate --steps=0"; do
  "$bin" $bad >"$out" 2>&1
  rc=$?
  [[ $rc -eq 2 ]] || fail "$bad: exit $rc, want 2"
  [[ $(wc -l <"$out") -eq 1 ]] || fail "$bad: want one line, got: $(cat "$out")"
done
"$bin" simulate --help >"$out" 2>&1
[[ $? -eq 0 ]] || fail "simulate --help: want exit 0"
grep -q -- '--steps (default: 200)' "$out" || fail "simulate --help: --steps not listed"
grep -q -- '--seeds' "$out" && fail "simulate --help lists campaign's --seeds"
"$bin" shrink -h >"$out" 2>&1
[[ $? -eq 0 ]] || fail "shrink -h: want exit 0"
grep -q -- '--max_replays' "$out" || fail "shrink -h: --max_replays not listed"
"$bin" --help >"$out" 2>&1
[[ $? -eq 0 ]] || fail "--help: want exit 0"
grep -q 'commands:' "$out" || fail "--help: no command list"
"$bin" simulate --nofaults --steps 3 --seed 2 >"$out" 2>&1
[[ $? -eq 0 ]] || fail "simulate with --nofaults and spaced values: $(cat "$out")"

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all CLI checks passed"
