#!/usr/bin/env bash
# The plug-in boundary from the command line: a plug-in that cannot be had is
# one line and exit 2 whatever the command; a plug-in that crashes is a
# verdict with the event's index, and its trace replays and shrinks like any
# other failure, keeping the kind of crash.
set -u
bin=$1
plugins=$(cd "$(dirname "$2")" && pwd)   # translator/plugin/ among the runfiles
crash_trace=$3
out="${TEST_TMPDIR:-/tmp}/out.txt"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Refusals: every command that names a translator, each kind of bad plug-in.
for so in testdata/absent.so testdata/not_a_shared_object.so testdata/no_entry.so \
          testdata/wrong_abi.so; do
  for cmd in "simulate" "campaign --seeds=1..2" "check --cases=1" "demo --seeds=1" \
             "replay $crash_trace" "shrink $crash_trace -o ${TEST_TMPDIR:-/tmp}/x.textproto"; do
    # shellcheck disable=SC2086 # cmd is words
    "$bin" $cmd --translator="plugin:$plugins/$so" >"$out" 2>&1
    rc=$?
    [[ $rc -eq 2 ]] || fail "$cmd with $so: exit $rc, want 2"
    [[ $(wc -l <"$out") -eq 1 ]] || fail "$cmd with $so: want one line, got: $(cat "$out")"
    grep -q "^iovacheck: plug-in $plugins/$so: " "$out" || fail "$cmd with $so: $(cat "$out")"
  done
done
echo "refusals: $(cat "$out")"

# A crash is a verdict at its event, and iovacheck goes on.
misbehaving="plugin:$plugins/misbehaving_plugin.so"
"$bin" replay "$crash_trace" --translator="$misbehaving" >"$out" 2>&1
rc=$?
[[ $rc -eq 1 ]] || fail "replay of a crash: exit $rc, want 1"
grep -q 'divergence at event 2' "$out" || fail "replay: not at event 2: $(cat "$out")"
grep -q 'CRASH signal 11 (SIGSEGV) at event 2' "$out" || fail "replay: no crash verdict: $(cat "$out")"
cat "$out"

# It shrinks to the crashing event, and the minimal trace crashes the same way.
min="${TEST_TMPDIR:-/tmp}/crash.min.textproto"
"$bin" shrink "$crash_trace" --translator="$misbehaving" -o "$min" >"$out" 2>&1
rc=$?
[[ $rc -eq 0 ]] || fail "shrink: exit $rc, want 0: $(cat "$out")"
grep -q 'rule crash (SIGSEGV) at a region_add' "$out" || fail "shrink: identity: $(cat "$out")"
cat "$out"
"$bin" show "$min" >"$out" 2>&1
grep -q 'crash-here' "$out" || fail "minimal trace lost the crashing section"
grep -q 'mmio@\|name.*mmio\| mmio ' "$out" && fail "minimal trace kept the irrelevant section"
"$bin" replay "$min" --translator="$misbehaving" >"$out" 2>&1
rc=$?
[[ $rc -eq 1 ]] || fail "replay of the minimal trace: exit $rc, want 1"
grep -q 'CRASH signal 11 (SIGSEGV)' "$out" || fail "minimal: not the same crash: $(cat "$out")"

echo "$failures failures"
[[ $failures -eq 0 ]]
