#!/usr/bin/env bash
# `iovacheck map` end to end: the map of a failing regression case marks
# what is wrong, --at draws an earlier moment, -o /dev/stdout writes
# through, bad arguments exit 2 with one line; `check` writes a failing
# property's sequence as a trace with its map beside it.
set -u
bin="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-iovacheck}/tools/iovacheck"
[[ -x "$bin" ]] || bin="$(dirname "$0")/iovacheck"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
src="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-iovacheck}"
alias_case="$src/traces/regressions/legacy_shrunk_alias_delete.textproto"
mdev_case="$src/traces/regressions/mdev_forgets_unpin.textproto"
tmp="${TEST_TMPDIR:-/tmp}/map-cli"
rm -rf "$tmp" && mkdir -p "$tmp" && cd "$tmp" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The failing case against the translator its header names (legacy).
"$bin" map "$alias_case" -o alias.svg >out.txt 2>&1
rc=$?
cat out.txt
[[ $rc -eq 0 ]] || fail "map: exit $rc"
grep -q 'replayed against legacy: diverges at event 8 (region_del)' out.txt || fail "caption"
grep -q '^map written to alias.svg$' out.txt || fail "no 'written' line"
grep -q '<svg xmlns="http://www.w3.org/2000/svg"' alias.svg || fail "not an SVG"
grep -q 'class="band warn' alias.svg || fail "nothing marked wrong"
grep -q '<title>asid 0 iova \[0x30000, 0x3ffff\] -&gt; hva' alias.svg || fail "stale entry's title"

# An earlier moment: nothing wrong yet.
"$bin" map "$alias_case" --at=2 -o early.svg >out.txt 2>&1
[[ $? -eq 0 ]] || fail "--at=2: $(cat out.txt)"
grep -q 'after event 2' out.txt || fail "--at=2: caption $(cat out.txt)"
grep -q 'class="band warn' early.svg && fail "--at=2: a band marked wrong before the bug"

# Against decoupled the whole case passes: its end is drawn.
"$bin" map "$alias_case" --translator=decoupled -o fixed.svg >out.txt 2>&1
[[ $? -eq 0 ]] || fail "decoupled: $(cat out.txt)"
grep -q 'replayed against decoupled: after event' out.txt || fail "decoupled caption"

# Written through a pipe.
"$bin" map "$alias_case" -o /dev/stdout 2>err.txt | grep -q '</svg>' || fail "-o /dev/stdout"
grep -q 'map written to /dev/stdout' err.txt || fail "-o /dev/stdout: the message not on stderr"

# Bad arguments and input: exit 2, one line naming what is wrong.
expect_2() {
  local what="$1" want="$2"
  shift 2
  "$bin" "$@" >out.txt 2>err.txt
  local rc=$?
  [[ $rc -eq 2 ]] || fail "$what: exit $rc, want 2"
  grep -q -- "$want" err.txt || fail "$what: stderr '$(cat err.txt)' lacks '$want'"
}
expect_2 "no -o" "-o FILE.svg is required" map "$alias_case"
expect_2 "--at past the end" "the trace has 9 events" map "$alias_case" --at=50 -o x.svg \
  --translator=decoupled
expect_2 "an mdev trace" "has no IOTLB to draw" map "$mdev_case" -o x.svg
expect_2 "no such trace" "nope.trace" map nope.trace -o x.svg
expect_2 "existing output" "exists; --force replaces it" map "$alias_case" -o alias.svg
[[ ! -e x.svg ]] || fail "a refused map left x.svg"

# check: a failing property's sequence becomes a trace, its map beside it,
# and the trace replays to the same failure.
"$bin" check --translator=legacy --property=dma_map_agreement --cases=300 --seed=5 \
  --out_dir=chk --coverage --coverage_json=check.json >check.txt 2>&1
[[ $? -eq 1 ]] || fail "check legacy: want exit 1: $(cat check.txt)"
cat check.txt
stem=chk/legacy-dma_map_agreement-seed5
grep -q "^  trace: $stem.textproto\$" check.txt || fail "check: trace line"
grep -q "^  map: $stem.map.svg\$" check.txt || fail "check: map line"
grep -q 'class="band warn' $stem.map.svg || fail "check: map marks nothing"
"$bin" replay $stem.textproto --translator=legacy >replay.txt 2>&1
[[ $? -eq 1 ]] || fail "check's trace does not fail on replay: $(cat replay.txt)"
# The effective settings, printed before the verdict, with their origins.
grep -q '^settings dma_map_agreement: cases 300 (--cases), max length 200 (property), device kind dma_map (property), features v2,batch,asid,persist (property)$' \
  check.txt || fail "check: no settings line"
IOVACHECK_MAX_LENGTH=0 "$bin" check --translator=decoupled >bad.txt 2>&1
[[ $? -eq 2 ]] || fail "IOVACHECK_MAX_LENGTH=0: want exit 2"
grep -q 'IOVACHECK_MAX_LENGTH=0: want a positive number' bad.txt || fail "bad setting: $(cat bad.txt)"
# --coverage: what the generated cases met, printed and as JSON.
grep -q '^coverage over [1-9][0-9]* runs' check.txt || fail "check --coverage: no block"
grep -q '"alias created": [1-9]' check.json || fail "check --coverage_json: no alias counted"

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
