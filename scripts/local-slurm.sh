#!/bin/bash
# A single-node Slurm cluster on this machine, for trying `backprop search --slurm` and for CI.
#
#   scripts/local-slurm.sh start [DIR]   # install (Debian packages) if needed, start munged, slurmctld, slurmd
#   scripts/local-slurm.sh env [DIR]     # print the `export SLURM_CONF=…` line for the cluster in DIR
#   scripts/local-slurm.sh stop [DIR]    # cancel every job, stop the daemons this script started
#
# DIR (default: .slurm-local) holds the configuration, munge key and socket, state, spool, pid and log
# files: nothing outside it is changed, except installing the packages. It works without systemd or
# cgroups (linuxproc process tracking, no task plug-in, no accounting), and the node's CPUs and memory are
# those `slurmd -C` reports. Clients need SLURM_CONF pointing at DIR/slurm.conf: `eval "$(… env)"`.
set -euo pipefail
command=${1:-}
dir=$(mkdir -p "${2:-.slurm-local}" && cd "${2:-.slurm-local}" && pwd)
conf=$dir/slurm.conf
usage() { sed -n '2,12p' "$0"; exit 64; }

start() {
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "installing slurmctld slurmd slurm-client munge" >&2
    packages=(slurmctld slurmd slurm-client munge)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2 ||
      { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2; }
  fi
  mkdir -p "$dir"/{munge,state,spool,log,run}
  # munged refuses a socket folder others cannot search (0755) and a key others can read.
  chmod 0755 "$dir/munge"
  if [ ! -f "$dir/munge/munge.key" ]; then
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    chmod 0400 "$dir/munge/munge.key"
  fi
  if ! { [ -f "$dir/run/munged.pid" ] && kill -0 "$(cat "$dir/run/munged.pid")" 2>/dev/null; }; then
    munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
      --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" --force \
      </dev/null >/dev/null 2>&1
  fi

  # The node as slurmd sees it (CPUs, memory); declaring more than it has would drain it.
  local node
  node=$(slurmd -C | head -1 | sed 's/^NodeName=[^ ]*/NodeName=localnode/')
  cat >"$conf" <<EOF
ClusterName=backprop-local
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
SchedulerType=sched/backfill
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=localnode Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$conf
  if ! { [ -f "$dir/run/slurmctld.pid" ] && kill -0 "$(cat "$dir/run/slurmctld.pid")" 2>/dev/null; }; then
    # Daemons get no terminal or pipe of ours: a CI step waiting for its output would never end.
    slurmctld -f "$conf" -i </dev/null >/dev/null 2>&1
  fi
  if ! { [ -f "$dir/run/slurmd.pid" ] && kill -0 "$(cat "$dir/run/slurmd.pid")" 2>/dev/null; }; then
    slurmd -f "$conf" -N localnode </dev/null >/dev/null 2>&1
  fi
  # Ready when the node is idle (or mixed/allocated by jobs already queued).
  for _ in $(seq 100); do
    state=$(sinfo -h -N -o '%t' 2>/dev/null | head -1 || true)
    case "$state" in idle*|mix*|alloc*) echo "slurm: node localnode $state; export SLURM_CONF=$conf"; return 0 ;; esac
    sleep 0.2
  done
  echo "error: the local Slurm node did not come up (state '${state:-none}'); see $dir/log" >&2
  return 1
}

stop() {
  export SLURM_CONF=$conf
  # slurmd leaves running jobs behind when it stops: cancel them first.
  if [ -f "$conf" ]; then scancel --full --user="$(id -un)" 2>/dev/null || true; sleep 1; fi
  for daemon in slurmd slurmctld munged; do
    pidfile=$dir/run/$daemon.pid
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      # The daemon removes its pid file itself; wait for the process, not the file.
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$pidfile"
  done
  echo "slurm: stopped the daemons in $dir"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *) usage ;;
esac
