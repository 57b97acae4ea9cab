#!/usr/bin/env bash
# `iovacheck campaign` and `iovacheck demo` end to end: argument errors exit
# 2 with one line; a campaign against legacy exits 1 and writes, per failing
# seed, its trace and a minimal trace that still fails; the report does not
# depend on the number of jobs; the demo shows decoupled clean and legacy's
# bug shrunk and saved.
set -u
bin="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-iovacheck}/tools/iovacheck"
[[ -x "$bin" ]] || bin="$(dirname "$0")/iovacheck"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
tmp="${TEST_TMPDIR:-/tmp}/campaign-cli"
rm -rf "$tmp" && mkdir -p "$tmp" && cd "$tmp" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

for bad in "--seeds=9..2" "--seeds=1..x" "--seeds=" "--seeds=1..3 --scenario=nosuch" \
           "--seeds=1..3 --translator=nosuch" "--seeds=1..3 --jobs=0"; do
  # shellcheck disable=SC2086
  "$bin" campaign $bad >out.txt 2>err.txt
  rc=$?
  [[ $rc -eq 2 ]] || fail "campaign $bad: exit $rc, want 2"
  [[ $(wc -l <err.txt) -eq 1 ]] || fail "campaign $bad: want one line on stderr"
done

# Legacy fails some of these seeds; each failure gets its files.
"$bin" campaign --scenario=q35 --seeds=1..12 --translator=legacy --jobs=1 --out_dir=one \
  >one.txt 2>&1
rc=$?
[[ $rc -eq 1 ]] || fail "legacy campaign: exit $rc, want 1"
grep -q '^FAIL scenario q35, translator legacy, seeds 1..12' one.txt || fail "no summary"
grep -q '^    #0 ' one.txt || fail "no minimal event list"
minimal=$(grep -m1 '^  minimal: ' one.txt | sed 's/^  minimal: //')
[[ -f "$minimal" ]] || fail "minimal trace '$minimal' not written"
[[ -f "${minimal%.min.textproto}.trace" ]] || fail "failing trace not written"
# Its map, beside it and named in the report.
grep -q "^  map: ${minimal%.textproto}.map.svg\$" one.txt || fail "the minimal trace's map not reported"
grep -q '<svg' "${minimal%.textproto}.map.svg" || fail "the minimal trace's map not written"

# Two scenarios, one report page: every scenario's verdict, the coverage,
# the failures with their maps inline.
"$bin" campaign --scenario=q35,viommu --seeds=1..2 --translator=legacy --jobs=1 \
  --out_dir=two --report=rep >two.txt 2>&1
rc=$?
[[ $rc -eq 1 ]] || fail "two-scenario campaign: exit $rc, want 1: $(cat two.txt)"
grep -q '^FAIL scenario q35, translator legacy, seeds 1..2' two.txt || fail "no q35 summary"
grep -q '^PASS scenario viommu, translator legacy, seeds 1..2' two.txt || fail "no viommu summary"
grep -q '^report: rep/index.html$' two.txt || fail "report path not printed"
grep -q '<h2 id="scenario-viommu">viommu' rep/index.html || fail "report: no viommu section"
grep -q '<div class="map"><svg' rep/index.html || fail "report: no inline map"
grep -q 'href="../two/q35-legacy-seed1.min.textproto"' rep/index.html ||
  fail "report: no relative link to the minimal trace"
"$bin" campaign --scenario=q35,nope --seeds=1..2 >bad.txt 2>&1
[[ $? -eq 2 ]] || fail "an unknown scenario in a list: want exit 2"
grep -q 'unknown --scenario=nope' bad.txt || fail "unknown scenario not named: $(cat bad.txt)"
"$bin" replay "$minimal" --translator=legacy >replay.txt 2>&1
[[ $? -eq 1 ]] || fail "the minimal trace does not fail legacy on replay"
"$bin" replay "$minimal" --translator=decoupled >replay.txt 2>&1
[[ $? -eq 0 ]] || fail "the minimal trace fails decoupled too"
ls ./*.trace >/dev/null 2>&1 && fail "traces left in the working directory"

# Only the lowest failing seeds are kept; the rest are counted.
"$bin" campaign --scenario=q35 --seeds=1..12 --translator=legacy --jobs=2 --max_shrinks=0 \
  --max_failures_kept=2 --out_dir=kept >kept.txt 2>&1
[[ $? -eq 1 ]] || fail "kept campaign: want exit 1"
[[ $(grep -c '^FAIL scenario q35 seed' kept.txt) -eq 2 ]] || fail "want 2 failure reports kept"
grep -q 'more failing seeds above seed' kept.txt || fail "the seeds not kept are not counted"
grep -q "^$(grep -m1 'failing seeds:' one.txt | cut -d' ' -f1) failing seeds" kept.txt ||
  fail "the failing count differs from the full campaign's"

# Same seeds, more jobs: the same report, timings aside.
"$bin" campaign --scenario=q35 --seeds=1..12 --translator=legacy --jobs=3 --out_dir=three \
  >three.txt 2>&1
# ... and the same files, byte for byte (a shrunk trace names the file it
# came from, whose directory differs here).
[[ -n "$(ls one)" ]] || fail "the campaign wrote no files"
[[ "$(ls one)" == "$(ls three)" ]] || fail "the files written depend on --jobs"
for f in one/*; do
  cmp -s <(sed 's#one/#DIR/#g' "$f") <(sed 's#three/#DIR/#g' "three/${f#one/}") ||
    fail "$f depends on --jobs"
done
untimed() {
  grep -v '^\(FAIL\|PASS\) scenario [a-z0-9]*, translator' "$1" |
    sed -E 's/ in [0-9.]+s/ in Ts/; s/[0-9]+ jobs/J jobs/; s#(one|three)/#DIR/#g'
}
diff <(untimed one.txt) <(untimed three.txt) >/dev/null || fail "report depends on --jobs"

"$bin" demo --seeds=3 --out_dir=demo >demo.txt 2>&1
rc=$?
[[ $rc -eq 0 ]] || fail "demo: exit $rc, want 0"
[[ $(grep -c '^PASS  ' demo.txt) -ge 1 ]] || fail "demo: no scenario verdicts"
grep -q '^FAIL scenario q35 seed [0-9]* translator legacy' demo.txt || fail "demo: legacy's failing seed not shown"
grep -q '^    #0 ' demo.txt || fail "demo: no minimal event list"
ls demo/*.min.textproto >/dev/null 2>&1 || fail "demo: minimal trace not saved"

cat one.txt demo.txt
[[ $failures -eq 0 ]] && echo "all campaign CLI checks passed"
exit $((failures > 0))
