#!/usr/bin/env bash
# Sharded campaigns and `merge`: the same seeds run whole, as --shard=I/3, as
# Bazel's test shards (TEST_SHARD_INDEX) and as a Slurm job array
# (SLURM_ARRAY_TASK_ID from 1) merge to the same failing seeds, and the
# shards' coverage to the whole run's; a merged failure's trace replays,
# shrinks and promotes as an ordinary trace; missing, repeated and
# garbled shard results are refused with a line naming them.
set -u
bin="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-iovacheck}/tools/iovacheck"
[[ -x "$bin" ]] || bin="$(dirname "$0")/iovacheck"
tmp="${TEST_TMPDIR:-/tmp}/shard-merge"
rm -rf "$tmp" && mkdir -p "$tmp" && cd "$tmp" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# The job engines' variables of the test's own environment stay out.
unset TEST_SHARD_INDEX TEST_TOTAL_SHARDS TEST_SHARD_STATUS_FILE \
  SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_MAX SLURM_ARRAY_TASK_COUNT

run=(campaign --scenario=q35,hotplug --seeds=1..16 --translator=legacy --max_shrinks=1
  --budget=5 --jobs=1)
seed_lines() { grep -E '^FAIL scenario [a-z0-9]+ seed [0-9]+ ' "$1" | sort; }

"$bin" "${run[@]}" --out_dir=whole >whole.out 2>&1
[[ $? -eq 1 ]] || fail "the whole campaign should find legacy's bug (exit 1)"
seed_lines whole.out >whole.seeds
[[ -s whole.seeds ]] || fail "no failing seed in the whole run"

# --shard=I/3, results in one directory.
for i in 0 1 2; do
  "$bin" "${run[@]}" --shard=$i/3 --out_dir=flag >flag$i.out 2>&1
  [[ $? -eq 1 || $? -eq 0 ]] || fail "shard $i/3: unexpected exit"
  grep -q "shard $i of 3, from --shard" flag$i.out || fail "shard $i/3 does not say which shard"
  [[ -s flag/shard-$i-of-3.json ]] || fail "no flag/shard-$i-of-3.json"
done
"$bin" merge flag >flag.merged 2>&1
[[ $? -eq 1 ]] || fail "merge of failing shards should exit 1"
seed_lines flag.merged | cmp -s - whole.seeds || fail "--shard=I/3 merged differs from the whole run"
grep -q 'seeds 1..16 over 3 shards: 16 seeds run' flag.merged || fail "merged counts"

# Bazel's sharding variables, two shards, results named by --shard_result.
for i in 0 1; do
  env TEST_SHARD_INDEX=$i TEST_TOTAL_SHARDS=2 TEST_SHARD_STATUS_FILE="$tmp/status$i" \
    "$bin" "${run[@]}" --out_dir=bazel --shard_result=bazel/r$i.json >bazel$i.out 2>&1
  grep -q "shard $i of 2, from TEST_SHARD_INDEX" bazel$i.out || fail "TEST_SHARD_INDEX=$i not used"
  [[ -e status$i ]] || fail "TEST_SHARD_STATUS_FILE not touched"
done
"$bin" merge bazel/r1.json bazel/r0.json >bazel.merged 2>&1
seed_lines bazel.merged | cmp -s - whole.seeds || fail "Bazel-sharded merged differs from the whole run"

# A Slurm job array, --array=1-4.
for id in 1 2 3 4; do
  env SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=4 \
    SLURM_ARRAY_TASK_COUNT=4 "$bin" "${run[@]}" --out_dir=slurm >slurm$id.out 2>&1
  grep -q "shard $((id - 1)) of 4, from SLURM_ARRAY_TASK_ID" slurm$id.out ||
    fail "SLURM_ARRAY_TASK_ID=$id not used"
done
"$bin" merge slurm >slurm.merged 2>&1
seed_lines slurm.merged | cmp -s - whole.seeds || fail "Slurm-sharded merged differs from the whole run"

# A merged failure's trace is an ordinary trace: replay finds the failure.
trace=$(grep -m1 '^  trace: ' flag.merged | sed 's/^  trace: //')
[[ -n "$trace" && -s "$trace" ]] || fail "merged trace path '$trace' does not exist"
"$bin" replay "$trace" --translator=legacy >/dev/null 2>&1
[[ $? -eq 1 ]] || fail "the merged failure's trace does not fail on replay"
"$bin" shrink "$trace" --translator=legacy --max_replays=2000 -o shrunk.textproto >/dev/null 2>&1
[[ -s shrunk.textproto ]] || fail "the merged failure's trace does not shrink"
mkdir -p ws/traces/regressions
BUILD_WORKSPACE_DIRECTORY="$tmp/ws" "$bin" promote shrunk.textproto --name=from_a_shard \
  >/dev/null 2>&1
[[ -s ws/traces/regressions/from_a_shard.textproto ]] || fail "the shrunk trace does not promote"

# With --coverage, the shards' statistics merge to the whole run's.
cov=(campaign --scenario=q35 --seeds=1..8 --coverage --jobs=1)
"$bin" "${cov[@]}" >cov-whole.out 2>&1
for i in 0 1; do "$bin" "${cov[@]}" --shard=$i/2 --out_dir=cov >/dev/null 2>&1; done
"$bin" merge cov >cov-merged.out 2>&1
grep -q '^coverage over 8 runs' cov-merged.out || fail "merged coverage missing"
cmp -s <(sed -n '/^coverage over/,$p' cov-whole.out) <(sed -n '/^coverage over/,$p' cov-merged.out) ||
  fail "merged coverage differs from the whole run's"

# Bad input: one line naming what is wrong, exit 2, nothing written.
mkdir -p partial && cp flag/shard-0-of-3.json flag/shard-2-of-3.json partial/
"$bin" merge partial >out 2>err
[[ $? -eq 2 ]] && grep -q 'missing shard 1' err || fail "a missing shard: $(cat err)"
"$bin" merge flag flag/shard-0-of-3.json >out 2>err
[[ $? -eq 2 ]] && grep -q 'shard 0 of 3 twice' err || fail "a repeated shard: $(cat err)"
printf '{"format": "iovacheck-shard-result/1", "shard_index": ' >garbled.json
"$bin" merge garbled.json >out 2>err
[[ $? -eq 2 ]] && grep -q 'garbled.json: not a shard result' err || fail "garbled: $(cat err)"
"$bin" merge empty-dir-absent >out 2>err
[[ $? -eq 2 ]] || fail "an absent path should exit 2"
"$bin" "${run[@]}" --shard=3/3 >out 2>err
[[ $? -eq 2 ]] && grep -q 'shard 3 is not below the count 3' err || fail "--shard=3/3: $(cat err)"
env SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=6 SLURM_ARRAY_TASK_COUNT=4 \
  "$bin" "${run[@]}" >out 2>err
[[ $? -eq 2 ]] && grep -q 'must be contiguous' err || fail "a stepped Slurm array: $(cat err)"

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
