#!/usr/bin/env bash
# Stop the processes started by e2e/start-cluster.sh WORKDIR, using WORKDIR/pids.
# Stops in reverse start order (controller-manager, apiserver, etcd): SIGTERM,
# then SIGKILL after 15 s.  Only the recorded pids are signalled.
#
# Usage: e2e/stop-cluster.sh WORKDIR
set -euo pipefail

log() { printf '[stop-cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

[ $# -eq 1 ] || { log "usage: $0 WORKDIR"; exit 1; }
PIDS="$1/pids"
if [ ! -s "$PIDS" ]; then
  log "no $PIDS; nothing to stop"
  exit 0
fi

# running = exists and is not a zombie (an exited child not yet reaped)
running() { [ -r "/proc/$1/stat" ] && ! awk '{ exit ($3 == "Z") ? 0 : 1 }' "/proc/$1/stat" 2>/dev/null; }

mapfile -t entries < "$PIDS"
for ((i = ${#entries[@]} - 1; i >= 0; i--)); do
  read -r name pid <<< "${entries[$i]}"
  [ -n "${pid:-}" ] || continue
  # only signal the pid if it is still that program (pids can be recycled)
  if ! tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"; then
    log "$name (pid $pid) not running"
    continue
  fi
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((t = 0; t < 30; t++)); do
    running "$pid" || break
    sleep 0.5
  done
  if running "$pid"; then
    log "$name (pid $pid) still running after 15s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
done
: > "$PIDS"
log "stopped"
