#!/usr/bin/env bash
# `iovacheck mdev` end to end: argument errors exit 2 with one line; every
# correct tracker holds; the driver that forgets to unpin exits 1 with its
# failure shrunk to the three events that show it; the report is the same
# on every run.
set -u
bin="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-iovacheck}/tools/iovacheck"
[[ -x "$bin" ]] || bin="$(dirname "$0")/iovacheck"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
tmp="${TEST_TMPDIR:-/tmp}/mdev-cli"
rm -rf "$tmp" && mkdir -p "$tmp" && cd "$tmp" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

for bad in "--tracker=nosuch --seeds=1..3" "--seeds=1..3" "--tracker=mdev-tree-pin-all --seeds=3..1"; do
  # shellcheck disable=SC2086
  "$bin" mdev $bad >out.txt 2>err.txt
  rc=$?
  [[ $rc -eq 2 ]] || fail "mdev $bad: exit $rc, want 2"
  [[ $(wc -l <err.txt) -eq 1 ]] || fail "mdev $bad: want one line on stderr, got: $(cat err.txt)"
done

"$bin" mdev --tracker=mdev-tree-pin-all --seeds=1..3 extra >out.txt 2>err.txt
rc=$?
[[ $rc -eq 2 ]] || fail "an operand: exit $rc, want 2"
grep -q "mdev takes no operands" err.txt || fail "an operand: no reason given"

for t in mdev-tree-pin-all mdev-tree-pin-sparse mdev-array-pin-all mdev-array-pin-sparse; do
  "$bin" mdev --tracker="$t" --seeds=1..4 >ok.txt 2>&1
  rc=$?
  [[ $rc -eq 0 ]] || fail "$t: exit $rc, want 0: $(tail -3 ok.txt)"
  grep -q "^PASS mdev, tracker $t: 4 seeds run, 0 failed" ok.txt || fail "$t: no PASS summary"
done

"$bin" mdev --tracker=mdev-tree-forgets-unpin --seeds=1..5 --max_shrinks=2 >bad.txt 2>&1
rc=$?
[[ $rc -eq 1 ]] || fail "forgets-unpin: exit $rc, want 1"
grep -q '^FAIL seed 1: .*rule pin-leak' bad.txt || fail "forgets-unpin: seed 1 not caught"
grep -q 'shrunk [0-9]* -> 3 events in [0-9]* replays, 1-minimal' bad.txt ||
  fail "forgets-unpin: not shrunk to 3 events: $(grep shrunk bad.txt)"
grep -q '^FAIL mdev, tracker mdev-tree-forgets-unpin: 5 seeds run, 5 failed' bad.txt ||
  fail "forgets-unpin: summary"
"$bin" mdev --tracker=mdev-tree-forgets-unpin --seeds=1..5 --max_shrinks=2 >again.txt 2>&1
cmp -s bad.txt again.txt || fail "two runs of the same seeds differ"

# The failing seed and its shrunk run are written; both replay and show.
dir=mdev-mdev-tree-forgets-unpin
[[ -s $dir/mdev-mdev-tree-forgets-unpin-seed1.trace ]] || fail "no trace of seed 1"
min=$dir/mdev-mdev-tree-forgets-unpin-seed1.min.textproto
[[ -s $min ]] || fail "no minimal trace of seed 1"
"$bin" replay "$min" >replay.txt 2>&1
rc=$?
[[ $rc -eq 1 ]] || fail "replay of the minimal trace: exit $rc, want 1"
grep -q 'rule pin-leak' replay.txt || fail "replay: no pin-leak"
"$bin" replay --tracker=mdev-array-pin-sparse $dir/mdev-mdev-tree-forgets-unpin-seed1.trace \
  >replay2.txt 2>&1 || fail "a correct tracker fails the recorded run: $(cat replay2.txt)"
"$bin" show "$min" >show.txt 2>&1 || fail "show: $(cat show.txt)"
[[ $(grep -c '^#' show.txt) -eq 3 ]] || fail "show: want 3 events"

# `iovacheck shrink` takes the full trace to the same three events.
"$bin" shrink $dir/mdev-mdev-tree-forgets-unpin-seed2.trace -o again.textproto >shrink.txt 2>&1 ||
  fail "shrink: $(cat shrink.txt)"
grep -q -- '-> 3 events in [0-9]* replays, 1-minimal, tracker mdev-tree-forgets-unpin' shrink.txt ||
  fail "shrink: $(head -1 shrink.txt)"
"$bin" replay again.textproto >/dev/null 2>&1
[[ $? -eq 1 ]] || fail "the shrunk trace does not fail"
"$bin" shrink $dir/mdev-mdev-tree-forgets-unpin-seed2.trace --tracker=mdev-tree-pin-all \
  -o none.textproto >none.txt 2>&1
[[ $? -eq 2 ]] || fail "shrinking a run that passes: want exit 2"
[[ ! -e none.textproto ]] || fail "shrinking a run that passes wrote a file"

echo "$failures failures"
[[ $failures -eq 0 ]]
