#!/usr/bin/env bash
# Interrupted work: `simulate -o`, `shrink -o`, `import-qemu -o`, `campaign`
# and `promote`, stopped at several moments by SIGTERM, SIGINT or SIGKILL,
# never leave a partial file under an output's final name and never touch an
# input; after a signal that can be caught no temporary file stays either.
# What is checked holds whenever the signal lands (an output is absent or a
# whole trace; no input changed), so the verdict does not rest on timing:
# the moments only vary where the run is when it stops.
set -u
bin="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-iovacheck}/tools/iovacheck"
[[ -x "$bin" ]] || bin="$(dirname "$0")/iovacheck"
tmp="${TEST_TMPDIR:-/tmp}/interrupt"
rm -rf "$tmp" && mkdir -p "$tmp" && cd "$tmp" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Inputs, and copies to hold them to.
"$bin" simulate --scenario=q35 --seed=4 --translator=legacy --faults=false --steps=4000 \
  -o failing.trace >/dev/null 2>&1
[[ -s failing.trace ]] || fail "no failing trace to shrink"
{
  echo "vhost_vdpa_listener_region_add vdpa: 0x1 iova 0x0 llend 0x80000000 vaddr: 0x7f7903e00000 read-only: 0"
  echo "vhost_vdpa_dma_map vdpa_shared:0x1 fd: 9 msg_type: 2 asid: 0 iova: 0x1000 size: 0x80000000 uaddr: 0x7f7903e00000 perm: 0x3 type: 2"
  for i in $(seq 1 60000); do
    printf 'vhost_vdpa_dma_map vdpa_shared:0x1 fd: 9 msg_type: 2 asid: 0 iova: 0x%x size: 0x1000 uaddr: 0x%x perm: 0x3 type: 2\n' \
      $((0x100000000 + i * 0x1000)) $((0x7e0000000000 + i * 0x1000))
    printf 'vhost_vdpa_dma_unmap vdpa_shared:0x1 fd: 9 msg_type: 2 asid: 0 iova: 0x%x size: 0x1000 type: 3\n' \
      $((0x100000000 + i * 0x1000))
  done
} >big.log
# A passing run long enough that promote is still writing its case when
# the later signals land.
"$bin" simulate --scenario=q35 --seed=4 --faults=false --steps=3000 -o pass.trace >/dev/null 2>&1
[[ -s pass.trace ]] || fail "no passing trace to promote"
mkdir -p ws/traces/regressions
cp failing.trace failing.copy
cp big.log big.copy
cp pass.trace pass.copy

# The output is absent or a whole trace, and no temporary file is left
# unless the signal was SIGKILL.
check_output() {
  local what=$1 out=$2 sig=$3
  if [[ -e "$out" ]]; then
    "$bin" show "$out" >/dev/null 2>&1 || fail "$what ($sig): $out is there but not a whole trace"
  fi
  if [[ "$sig" != KILL ]]; then
    local left
    left=$(ls -a | grep -E '\.(tmp|events)-' || true)
    [[ -z "$left" ]] || fail "$what ($sig): temporary files left: $left"
  fi
  rm -f -- *.tmp-* *.events-* 2>/dev/null
}

# Runs "$@" in the background and sends it $sig after $delay seconds.
# A script's background jobs start with SIGINT ignored, and iovacheck rightly
# leaves an ignored signal ignored (as under nohup): without the reset, the
# SIGINT rounds would never interrupt anything and only wait for the end.
interrupt() {
  local sig=$1 delay=$2
  shift 2
  env --default-signal=INT "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "$delay"
  kill -s "$sig" "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

for sig in TERM INT KILL; do
  for delay in 0.02 0.2 0.6; do
    rm -f sim.trace min.trace imported.trace
    interrupt $sig $delay "$bin" simulate --scenario=viommu --seed=3 --faults=false \
      --steps=300000 -o sim.trace
    check_output "simulate -o" sim.trace $sig
    interrupt $sig $delay "$bin" shrink failing.trace --translator=legacy -o min.trace
    check_output "shrink -o" min.trace $sig
    interrupt $sig $delay "$bin" import-qemu big.log -o imported.trace
    check_output "import-qemu -o" imported.trace $sig
    rm -rf camp
    interrupt $sig $delay "$bin" campaign --scenario=q35 --seeds=1..400 --translator=legacy \
      --max_shrinks=3 --out_dir=camp
    for t in camp/*.trace; do
      [[ -e "$t" ]] || continue
      "$bin" show "$t" >/dev/null 2>&1 || fail "campaign ($sig $delay): $t is not a whole trace"
    done
    if [[ "$sig" != KILL && -d camp ]]; then
      left=$(ls -a camp | grep -E '\.(tmp|events)-' || true)
      [[ -z "$left" ]] || fail "campaign ($sig): temporary files left: $left"
    fi
    rm -f ws/traces/regressions/long_pass.textproto
    interrupt $sig $delay env BUILD_WORKSPACE_DIRECTORY="$tmp/ws" "$bin" promote pass.trace \
      --name=long_pass
    case_file=ws/traces/regressions/long_pass.textproto
    if [[ -e $case_file ]]; then
      "$bin" show "$case_file" >/dev/null 2>&1 || fail "promote ($sig $delay): a partial case"
    fi
    if [[ "$sig" != KILL ]]; then
      left=$(ls -a ws/traces/regressions | grep -E '^\.promote-' || true)
      [[ -z "$left" ]] || fail "promote ($sig $delay): scratch left: $left"
    fi
    rm -rf ws/traces/regressions/.promote-*
    cmp -s pass.trace pass.copy || fail "promote ($sig $delay) touched its input"
    cmp -s failing.trace failing.copy || fail "shrink ($sig $delay) touched its input"
    cmp -s big.log big.copy || fail "import-qemu ($sig $delay) touched its input"
  done
done

[[ $failures -eq 0 ]] && echo "all interrupt checks passed"
exit $((failures > 0))
