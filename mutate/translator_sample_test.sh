#!/usr/bin/env bash
# CI's fixed sample of real translator mutants (issue [11]): //tools:mutate
# draws ten mutants of translator/address_math.h (the range arithmetic every
# translator shares) with seed 1, builds each with g++ against its unit test
# (translator/address_math_test.cc) and demands that every one is killed or
# does not build. The full run over translator/ with the property and
# simulator tests is the nightly command in the README; this keeps the tool
# working on the real sources, in seconds.
set -u
src="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-iovacheck}"
bin="$src/tools/mutate"
tmp="${TEST_TMPDIR:-/tmp}/mutate-sample"
rm -rf "$tmp" && mkdir -p "$tmp/ws/translator" && cd "$tmp" || exit 1
cp "$src"/translator/address_math.h "$src"/translator/address_math_test.cc ws/translator/
# 2: the mutant does not compile; 3: the unit test fails.
cat >ws/sample.sh <<'SCRIPT'
g++ -std=c++17 -I. translator/address_math_test.cc -o t \
  -lgtest -lgtest_main -labsl_int128 -lpthread || exit 2
./t >/dev/null 2>&1 || exit 3
SCRIPT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$bin" --workspace=ws --files=translator/address_math.h --exclude= --scratch=scratch \
  --test_command='sh sample.sh' --stillborn_exit=2 --mutants=10 --seed=1 >run.txt 2>&1
rc=$?
cat run.txt
[[ $rc -eq 0 ]] || fail "run: exit $rc"
[[ $(grep -cE '^\[[0-9]+/10\] translator/address_math.h:[0-9]+:[a-z_]+@' run.txt) -eq 10 ]] ||
  fail "not ten verdicts"
grep -qE '^10 mutants: [0-9]+ killed, 0 survived, [0-9]+ did not build; kill rate 100.0%' run.txt ||
  fail "a mutant of address_math.h survived its unit test"

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
