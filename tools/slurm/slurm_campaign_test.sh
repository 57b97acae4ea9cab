#!/usr/bin/env bash
# A real Slurm, from Debian's packages, on this machine only: a private
# munged and a single-node slurmctld and slurmd on loopback, with their own
# configuration, ports, sockets and state under a temporary directory
# (no system service is started or touched), all stopped at the end. A
# 4-task job array of tools/slurm/campaign.sbatch runs a campaign; `merge`
# of the tasks' results must equal one local run of the same seeds. A
# machine where Slurm cannot start fails this test with the reason.
set -u
src="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-iovacheck}"
bin="$src/tools/iovacheck"
sbatch_script="$src/tools/slurm/campaign.sbatch"
[[ -x "$bin" ]] || { echo "FAIL: no iovacheck binary at $bin"; exit 1; }
for tool in munged mungekey slurmctld slurmd sbatch sinfo squeue; do
  command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin"
  command -v "$tool" >/dev/null 2>&1 ||
    { echo "FAIL: $tool not found: Slurm and munge come from tools/setup.sh"; exit 1; }
done
# The job engines' variables of the test's own environment stay out.
unset TEST_SHARD_INDEX TEST_TOTAL_SHARDS TEST_SHARD_STATUS_FILE

# Unix socket paths are short (108 bytes): the cluster lives in /tmp.
cluster=$(mktemp -d /tmp/iovacheck-slurm.XXXXXX) || exit 1
work="${TEST_TMPDIR:-$cluster}/slurm-campaign"
rm -rf "$work" && mkdir -p "$work" || exit 1
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$cluster"
}
trap cleanup EXIT
die() {
  echo "FAIL: $*"
  for log in "$cluster"/*.log; do
    [[ -e "$log" ]] && { echo "--- $log"; tail -n 20 "$log"; }
  done
  exit 1
}

# Two free loopback ports, the controller's and the node's.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ctld_port=""
for p in $(seq 16817 2 17817); do
  if port_free "$p" && port_free $((p + 1)); then ctld_port=$p; break; fi
done
[[ -n "$ctld_port" ]] || die "no two free ports in 16817..17818"

mkdir -p "$cluster/munge" "$cluster/state" "$cluster/spool" && chmod 700 "$cluster/munge"
mungekey -c -k "$cluster/munge/munge.key" >/dev/null 2>&1 || die "mungekey failed"
munged -F -f --socket="$cluster/munge/sock" --key-file="$cluster/munge/munge.key" \
  --pid-file="$cluster/munge/pid" --seed-file="$cluster/munge/seed" \
  --log-file="$cluster/munged.log" &
pids+=($!)

host=$(hostname -s)
export SLURM_CONF="$cluster/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=iovacheck-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$((ctld_port + 1))
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
AuthInfo=socket=$cluster/munge/sock
CredType=cred/munge
StateSaveLocation=$cluster/state
SlurmdSpoolDir=$cluster/spool
SlurmctldPidFile=$cluster/slurmctld.pid
SlurmdPidFile=$cluster/slurmd.pid
SlurmctldLogFile=$cluster/slurmctld.log
SlurmdLogFile=$cluster/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=iovacheck Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

# munged answers first, then the controller, then the node.
for i in $(seq 1 50); do
  [[ -S "$cluster/munge/sock" ]] && break
  sleep 0.1
done
[[ -S "$cluster/munge/sock" ]] || die "munged did not start"
slurmctld -D -i >"$cluster/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D >"$cluster/slurmd.out" 2>&1 &
pids+=($!)
up=""
for i in $(seq 1 100); do
  if sinfo -h -o '%T' 2>/dev/null | grep -q '^idle'; then up=1; break; fi
  sleep 0.2
done
[[ -n "$up" ]] || die "the node never came up idle: $(sinfo 2>&1)"

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
run=(--scenario=q35 --seeds=1..40 --translator=legacy --max_shrinks=1 --budget=5)

cd "$work" || exit 1
IOVACHECK="$bin" sbatch --wait --array=1-4 --chdir="$work" \
  --output="$work/task-%a.out" "$sbatch_script" "${run[@]}" --out_dir="$work/run" \
  >sbatch.out 2>&1
rc=$?
cat sbatch.out
[[ $rc -eq 0 ]] || fail "sbatch --wait exit $rc: $(cat task-*.out 2>/dev/null | tail -n 20)"
for i in 0 1 2 3; do
  [[ -s "run/shard-$i-of-4.json" ]] || fail "no result from shard $i: $(cat task-$((i + 1)).out)"
  grep -q "shard $i of 4, from SLURM_ARRAY_TASK_ID" "task-$((i + 1)).out" ||
    fail "task $((i + 1)) did not run shard $i"
done

"$bin" merge run >merged.out 2>&1
[[ $? -eq 1 ]] || fail "merge should report legacy's failing seeds (exit 1): $(tail -n 3 merged.out)"
"$bin" campaign "${run[@]}" --jobs=1 --out_dir=local >local.out 2>&1
seed_lines() { grep -E '^FAIL scenario [a-z0-9]+ seed [0-9]+ ' "$1" | sort; }
[[ -n "$(seed_lines local.out)" ]] || fail "the local run found no failing seed"
cmp -s <(seed_lines merged.out) <(seed_lines local.out) ||
  fail "the Slurm array's merged failures differ from the local run's"
grep -q 'seeds 1..40 over 4 shards: 40 seeds run' merged.out || fail "merged counts"

# A task given bad arguments fails in Slurm's accounting too.
IOVACHECK="$bin" sbatch --wait --array=0-1 --chdir="$work" --output="$work/bad-%a.out" \
  "$sbatch_script" --seeds=nonsense >bad.out 2>&1
[[ $? -ne 0 ]] || fail "a task with bad arguments looked successful to Slurm"

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
