#!/usr/bin/env bash
# //tools:mutate end to end on a fixture (mutate/testdata/fixture): the
# draw is deterministic, verdicts are right (a mutant that breaks the
# fixture's checks is killed, one that does not build is left out), the run
# resumes from its results file, the workspace is never written, and bad
# arguments exit 2 with one line.
set -u
src="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-iovacheck}"
bin="$src/tools/mutate"
tmp="${TEST_TMPDIR:-/tmp}/mutate-cli"
rm -rf "$tmp" && mkdir -p "$tmp/ws" && cd "$tmp" || exit 1
cp "$src"/mutate/testdata/fixture/{range.h,check.cc,check.sh} ws/
chmod -R a-w ws  # the workspace is read only: a write there fails the run
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
run() {
  "$bin" --workspace=ws --files=range.h --exclude= --scratch=scratch \
    --test_command='sh check.sh' --stillborn_exit=2 "$@"
}

# The fixture's mutants, drawn twice with one seed and once with another.
run --list --mutants=10 --seed=1 >list1.txt 2>&1 || fail "--list: $(cat list1.txt)"
run --list --mutants=10 --seed=1 >list1b.txt 2>&1
run --list --mutants=10 --seed=2 >list2.txt 2>&1
cmp -s list1.txt list1b.txt || fail "the same seed drew different mutants"
cmp -s list1.txt list2.txt && fail "seeds 1 and 2 drew the same mutants"
grep -q '^1 files, [0-9]* mutants found, 10 drawn with seed 1$' list1.txt ||
  fail "header: $(head -1 list1.txt)"
[[ $(grep -cE '^range.h:[0-9]+:[a-z_]+@[0-9]+\.[0-9a-f]{8}$' list1.txt) -eq 10 ]] ||
  fail "not 10 ids"
run --list --mutants=1000 >all.txt 2>&1
for op in relational equality negated_condition off_by_one page_size; do
  grep -q ":$op@" all.txt || fail "no $op mutant in the fixture"
done

# Ten mutants run: each gets a verdict and a results line.
run --mutants=10 --seed=1 >run1.txt 2>&1
rc=$?
cat run1.txt
[[ $rc -eq 0 ]] || fail "run: exit $rc"
[[ $(grep -c '^\[[0-9]*/10\] ' run1.txt) -eq 10 ]] || fail "not 10 progress lines"
[[ $(wc -l <scratch/results-seed-1.jsonl) -eq 10 ]] || fail "not 10 results lines"
# The fixture's own output goes to one log per mutant, not to ours.
[[ $(ls scratch/logs | wc -l) -eq 10 ]] || fail "not 10 logs"
grep -q '^failed: ' run1.txt && fail "the test command's output leaked"
grep -qE '^10 mutants: [0-9]+ killed, [0-9]+ survived, [0-9]+ did not build; kill rate' run1.txt ||
  fail "no summary"
killed=$(sed -n 's/^10 mutants: \([0-9]*\) killed.*/\1/p' run1.txt)
[[ ${killed:-0} -ge 1 ]] || fail "nothing killed"
# The copy holds the original again after each mutant.
cmp -s ws/range.h scratch/copy-0/range.h || fail "the copy was left mutated"

# Every mutant of the fixture: a dropped '- 1' in Contains and a negated
# empty check are killed; each verdict agrees with running the fixture by
# hand.
run --mutants=1000 --results=all.jsonl >runall.txt 2>&1 || fail "all: $(tail -3 runall.txt)"
grep -q '"verdict":"survived"' all.jsonl || echo "(every mutant killed)"
id=$(grep -oE 'range.h:[0-9]+:negated_condition@[0-9]+\.[0-9a-f]{8}' all.txt | head -1)
grep -q "\"id\":\"$id\",\"verdict\":\"killed\"" all.jsonl || fail "$id not killed"

# Resumed: nothing is run again, the summary is the same.
run --mutants=10 --seed=1 >run2.txt 2>&1 || fail "resume: exit $?"
grep -q '^\[' run2.txt && fail "resume ran mutants again"
diff <(grep '^10 mutants' run1.txt) <(grep '^10 mutants' run2.txt) >/dev/null ||
  fail "resume: a different summary"

# A test command stopped by a signal (a user, a scheduler) judges nothing:
# the run ends with exit 2, no verdict is recorded for that mutant, and the
# copy holds the original again.
run --mutants=3 --seed=1 --results=stopped.jsonl --test_command='kill -TERM $$' \
  >stopped.txt 2>&1
[[ $? -eq 2 ]] || fail "stopped: not exit 2"
[[ ! -s stopped.jsonl ]] || fail "a stopped mutant got a verdict: $(cat stopped.jsonl)"
grep -q 'stopped by a signal' stopped.txt || fail "stopped: $(cat stopped.txt)"
cmp -s ws/range.h scratch/copy-0/range.h || fail "the copy was left mutated after a stop"

# A results file that is not ours is refused with its line.
echo 'garbage' >bad.jsonl
run --mutants=2 --results=bad.jsonl >bad.txt 2>&1
[[ $? -eq 2 ]] || fail "bad results file: not exit 2"
grep -q 'bad.jsonl:1: not a mutant result line' bad.txt || fail "bad results: $(cat bad.txt)"

# Bad arguments.
"$bin" --mutants=abc >args.txt 2>&1
[[ $? -eq 2 && $(wc -l <args.txt) -eq 1 ]] || fail "--mutants=abc: $(cat args.txt)"
"$bin" --no_such_flag >args.txt 2>&1
[[ $? -eq 2 ]] || fail "unknown flag: not exit 2"
run --files=nowhere/*.cc >args.txt 2>&1
[[ $? -eq 2 ]] || fail "missing directory: not exit 2"
"$bin" --help >help.txt 2>&1
[[ $? -eq 0 ]] && grep -q -- '--test_command' help.txt || fail "--help"

chmod -R u+w ws
if [[ $failures -ne 0 ]]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "PASS"
