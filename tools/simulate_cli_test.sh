#!/usr/bin/env bash
# `iovacheck simulate` end to end: the same seed twice gives byte-identical
# traces (two separate processes), exit codes, the default trace path of a
# failure, and a failure's trace replays to the same verdict.
set -u
bin="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-iovacheck}/tools/iovacheck"
[[ -x "$bin" ]] || bin="$(dirname "$0")/iovacheck"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
tmp="${TEST_TMPDIR:-/tmp}/simulate-cli"
rm -rf "$tmp" && mkdir -p "$tmp" && cd "$tmp" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Determinism across processes, for every scenario, faults on.
for scenario in q35 hotplug migration viommu; do
  "$bin" simulate --scenario=$scenario --seed=7 --steps=200 -o a.trace --force >a.txt 2>&1
  rc_a=$?
  "$bin" simulate --scenario=$scenario --seed=7 --steps=200 -o b.trace --force >b.txt 2>&1
  rc_b=$?
  [[ $rc_a -eq $rc_b ]] || fail "$scenario: exit $rc_a then $rc_b"
  [[ $rc_a -le 1 ]] || fail "$scenario: exit $rc_a: $(cat a.txt)"
  [[ -s a.trace ]] || fail "$scenario: no trace written"
  cmp -s a.trace b.trace || fail "$scenario: the two traces differ"
  sed 's/[ab]\.trace/X.trace/g' a.txt >a.norm
  sed 's/[ab]\.trace/X.trace/g' b.txt >b.norm
  cmp -s a.norm b.norm || fail "$scenario: the two reports differ"
  cat a.txt
done

# A passing run: exit 0.
"$bin" simulate --scenario=viommu --seed=3 --faults=false >out.txt 2>&1
rc=$?
[[ $rc -eq 0 ]] || fail "viommu seed 3 on decoupled: exit $rc, want 0: $(cat out.txt)"
grep -q '^PASS scenario viommu seed 3 translator decoupled' out.txt || fail "no PASS line"

# --coverage after the verdict; --coverage_json the same as JSON.
"$bin" simulate --scenario=q35 --seed=3 --coverage --coverage_json=cov.json >out.txt 2>&1
[[ $? -eq 0 ]] || fail "--coverage: $(cat out.txt)"
grep -q '^coverage over 1 runs, [1-9][0-9]* events:$' out.txt || fail "--coverage: no block"
grep -q '^  situations  .*alias created' out.txt || fail "--coverage: no alias in q35"
grep -q '"never": \[' cov.json || fail "--coverage_json: $(cat cov.json)"
grep -q '"vIOMMU map replayed": 0' cov.json || fail "--coverage_json: unreached not listed as 0"

# --full_oracle: the full sweep beside the incremental oracle; the same
# verdict, and the same failure for legacy.
"$bin" simulate --scenario=viommu --seed=3 --full_oracle >out.txt 2>&1
[[ $? -eq 0 ]] || fail "viommu seed 3 with --full_oracle: $(cat out.txt)"
"$bin" simulate --seed=4 --translator=legacy --faults=false --full_oracle -o full.trace \
  >full.txt 2>&1
[[ $? -eq 1 ]] || fail "legacy seed 4 with --full_oracle: want exit 1: $(cat full.txt)"
grep -q 'rule coverage' full.txt || fail "--full_oracle: not the aliasing bug's rule"

# legacy meets the aliasing bug in the default scenario: exit 1, the trace
# at the default path, and replaying it fails the same way.
"$bin" simulate --seed=4 --translator=legacy --faults=false >out.txt 2>&1
rc=$?
cat out.txt
[[ $rc -eq 1 ]] || fail "legacy seed 4: exit $rc, want 1"
grep -q '^FAIL scenario q35 seed 4 translator legacy' out.txt || fail "no FAIL line"
grep -q 'rule coverage' out.txt || fail "not the aliasing bug's rule"
[[ -s q35-seed4-legacy.trace ]] || fail "no trace at the default path"
grep -q 'trace: q35-seed4-legacy.trace' out.txt || fail "trace path not reported"
grep -q '^  map: q35-seed4-legacy.map.svg$' out.txt || fail "map path not reported"
grep -q 'class="band warn' q35-seed4-legacy.map.svg || fail "the map marks nothing wrong"
rm -f q35-seed4-legacy.map.svg
"$bin" replay q35-seed4-legacy.trace --translator=legacy >replay.txt 2>&1
[[ $? -eq 1 ]] || fail "replaying the failure with legacy: want exit 1: $(cat replay.txt)"
grep -q '^  map: q35-seed4-legacy.map.svg$' replay.txt || fail "replay: map path not reported"
[[ -s q35-seed4-legacy.map.svg ]] || fail "replay: no map beside the trace"
"$bin" replay q35-seed4-legacy.trace --translator=decoupled >replay.txt 2>&1
[[ $? -eq 0 ]] || fail "replaying the failure with decoupled: want exit 0: $(cat replay.txt)"

# Bad input: exit 2.
"$bin" simulate --scenario=nosuch >out.txt 2>&1
[[ $? -eq 2 ]] || fail "unknown scenario: want exit 2"
grep -q 'q35' out.txt || fail "unknown scenario: known names not listed"
"$bin" simulate --translator=nosuch >out.txt 2>&1
[[ $? -eq 2 ]] || fail "unknown translator: want exit 2"
"$bin" simulate --translator=decoupled,legacy >out.txt 2>&1
[[ $? -eq 2 ]] || fail "two translators: want exit 2"
"$bin" simulate --steps=0 >out.txt 2>&1
[[ $? -eq 2 ]] || fail "zero steps: want exit 2"

# --device: Linux 6.12's own code as the device. The same seed gives the
# same bytes, the header names the device, a replay of that trace runs on it
# again, and an emulated trace replays on the kernel when asked.
for run in a b; do
  "$bin" simulate --scenario=q35 --seed=5 --device=linux-6.12 -o k$run.trace >k$run.txt 2>&1
  rc=$?
  [[ $rc -le 1 ]] || fail "linux-6.12 seed 5: exit $rc: $(cat k$run.txt)"
done
cmp -s ka.trace kb.trace || fail "linux-6.12: the two traces differ"
"$bin" show ka.trace >show.txt 2>&1
grep -q 'linux-6.12' show.txt || fail "the trace's header does not name linux-6.12"
"$bin" replay ka.trace --translator=decoupled >replay.txt 2>&1
[[ $? -le 1 ]] || fail "replaying the linux-6.12 trace: $(cat replay.txt)"
"$bin" simulate --scenario=viommu --seed=3 --faults=false -o e.trace >out.txt 2>&1
"$bin" replay e.trace --device=linux-6.12 >replay.txt 2>&1
[[ $? -eq 0 ]] || fail "replaying an emulated pass on linux-6.12: $(cat replay.txt)"
grep -q 'on linux-6.12' replay.txt || fail "replay does not say which device ran"
"$bin" simulate --device=nosuch >out.txt 2>&1
[[ $? -eq 2 ]] || fail "unknown device: want exit 2"
grep -q 'linux-6.12' out.txt || fail "unknown device: known names not listed"

# Across builds (fastbuild, -c opt, --config=sanitize) and machines: the
# same seed gives the bytes kept in traces/testdata. If the simulator or the
# trace format changed on purpose, make the file again with
#   bazel run //tools:iovacheck -- simulate --scenario=viommu --seed=7 --steps=200 \
#     -o traces/testdata/viommu-seed7-steps200.trace --force
golden="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-iovacheck}/traces/testdata/viommu-seed7-steps200.trace"
"$bin" simulate --scenario=viommu --seed=7 --steps=200 -o golden.trace >/dev/null 2>&1
cmp -s golden.trace "$golden" || fail "viommu seed 7 no longer gives the bytes in traces/testdata"

# An existing output is kept unless --force; a device is written through.
echo "keep me" >kept.trace
"$bin" simulate --steps=5 -o kept.trace >out.txt 2>&1
[[ $? -eq 2 ]] || fail "-o over an existing file without --force: want exit 2"
grep -q 'kept.trace exists; --force replaces it' out.txt || fail "no word on --force: $(cat out.txt)"
[[ "$(cat kept.trace)" == "keep me" ]] || fail "the existing file was touched"
"$bin" simulate --steps=5 -o kept.trace --force >out.txt 2>&1
[[ $? -le 1 ]] || fail "-o --force: $(cat out.txt)"
"$bin" show kept.trace >/dev/null 2>&1 || fail "-o --force did not write a trace"
"$bin" simulate --steps=5 -o /dev/null >out.txt 2>&1
[[ $? -le 1 ]] || fail "-o /dev/null: $(cat out.txt)"
[[ -c /dev/null ]] || fail "/dev/null is no longer a device"

[[ $failures -eq 0 ]] && echo "all simulate checks passed"
exit $((failures > 0))
