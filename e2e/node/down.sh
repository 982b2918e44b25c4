#!/usr/bin/env bash
# Stop what e2e/node/up.sh WORKDIR started and undo what it and the kubelet changed: processes by
# their recorded pids (and only while a pid is still that program), the pods' containers and shims,
# their network namespaces, mounts and cgroups, the KUBE-/CNI- iptables chains, the bridge and the
# dummy interface, the sysctls (to the values up.sh recorded), the pod log directories the kubelet made.
# Safe to run twice, and after a failed start.
#
# Usage: e2e/node/down.sh WORKDIR
set -uo pipefail

log() { printf '[node-down %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[ $# -eq 1 ] || { log "usage: $0 WORKDIR"; exit 1; }
W="$(cd "$1" 2>/dev/null && pwd)" || { log "no $1; nothing to stop"; exit 0; }
PIDS="$W/pids"
SOCK="$W/containerd/containerd.sock"
ORIG="$W/node.orig"

is_program() { tr '\0' ' ' 2>/dev/null < "/proc/$1/cmdline" | grep -q -- "$2"; }
running() { [ -r "/proc/$1/stat" ] && ! awk '{ exit ($3 == "Z") ? 0 : 1 }' "/proc/$1/stat" 2>/dev/null; }
stop_pid() { # NAME PID
  local n="$1" pid="$2"
  [ -n "$pid" ] && running "$pid" && is_program "$pid" "$n" || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 40); do running "$pid" || break; sleep 0.25; done
  running "$pid" && { log "$n (pid $pid) still running after 10s: SIGKILL"; kill -KILL "$pid" 2>/dev/null; }
  log "stopped $n ($pid)"
}
pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$PIDS" 2>/dev/null; }

if [ -s "$PIDS" ]; then
  # The node's agents and the control plane, in reverse start order; containerd last, once its pods are gone.
  for n in kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver etcd; do
    stop_pid "$n" "$(pid_of "$n")" &
  done
  wait
  CPID="$(pid_of containerd)"
  if [ -n "$CPID" ] && running "$CPID" && is_program "$CPID" containerd; then
    CTR=(ctr -a "$SOCK" -n k8s.io)
    NETNS=()
    for c in $("${CTR[@]}" containers ls -q 2>/dev/null); do
      ns="$("${CTR[@]}" containers info "$c" 2>/dev/null | sed -n 's/.*"path": "\(\/var\/run\/netns\/[^"]*\)".*/\1/p' | head -1)"
      [ -n "$ns" ] && NETNS+=("$ns")
      "${CTR[@]}" tasks kill -s SIGKILL "$c" >/dev/null 2>&1
    done
    sleep 1
    for c in $("${CTR[@]}" containers ls -q 2>/dev/null); do
      "${CTR[@]}" tasks delete -f "$c" >/dev/null 2>&1
      "${CTR[@]}" containers delete "$c" >/dev/null 2>&1
    done
    stop_pid containerd "$CPID"
    for ns in $(printf '%s\n' "${NETNS[@]}" | sort -u); do
      umount "$ns" 2>/dev/null; rm -f "$ns"
    done
  fi
  # Shims of this containerd that outlived it: those whose command line names this run's socket.
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    tr '\0' ' ' 2>/dev/null < "$d/cmdline" | grep -q "^/usr/bin/containerd-shim-runc-v2 .*-address $SOCK " || continue
    kill -KILL "$pid" 2>/dev/null && log "stopped a shim left behind ($pid)"
  done
  : > "$PIDS"
fi

# Mounts under the work dir (secret tmpfs, overlay root file systems, shm), deepest first.
findmnt -rn -o TARGET | grep "^$W/" | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done

# Cgroups the kubelet made (v1 hierarchies), deepest first.
for h in /sys/fs/cgroup/*/; do
  [ -d "$h/kubepods" ] && find "$h/kubepods" -depth -type d -exec rmdir {} \; 2>/dev/null
done

# iptables: up.sh refused to start where KUBE-/CNI- chains existed, so every one now is this node's.
for t in filter nat mangle; do
  iptables -t "$t" -S 2>/dev/null | grep -E '^-A ' | grep -E -- '-j (KUBE-|CNI-)' | grep -vE '^-A (KUBE-|CNI-)' |
    sed 's/^-A /-D /' | while read -r r; do eval iptables -t "$t" "$r" 2>/dev/null; done
  for ch in $(iptables -t "$t" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^(KUBE-|CNI-)/ { print $2 }'); do
    iptables -t "$t" -F "$ch" 2>/dev/null
  done
  for ch in $(iptables -t "$t" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^(KUBE-|CNI-)/ { print $2 }'); do
    iptables -t "$t" -X "$ch" 2>/dev/null
  done
done
ip link del jwtnode-br0 2>/dev/null
grep -q '^LINK jwtnode0$' "$ORIG" 2>/dev/null && ip link del jwtnode0 2>/dev/null
sed -n 's/^LOADDR //p' "$ORIG" 2>/dev/null | while read -r a; do ip addr del "$a" dev lo 2>/dev/null; done

if [ -s "$ORIG" ]; then
  sed -n 's/^SYSCTL //p' "$ORIG" | while IFS='=' read -r k v; do
    [ -n "$v" ] && sysctl -qw "$k=$v" 2>/dev/null
  done
  # Pod logs: the kubelet writes them to fixed paths; remove those this node made.
  if [ -d /var/log/pods ]; then
    for d in /var/log/pods/*; do
      [ -e "$d" ] || continue
      grep -qxF "POD_LOG $(basename "$d")" "$ORIG" || rm -rf "$d"
    done
    grep -qx HAD_VAR_LOG_PODS "$ORIG" || rmdir /var/log/pods 2>/dev/null
  fi
  if [ -d /var/log/containers ]; then
    find /var/log/containers -maxdepth 1 -type l ! -exec test -e {} \; -delete 2>/dev/null
    grep -qx HAD_VAR_LOG_CONTAINERS "$ORIG" || rmdir /var/log/containers 2>/dev/null
  fi
  mv "$ORIG" "$ORIG.restored"
fi
# Empty directories containerd and the CNI plugins make at fixed paths.
rmdir /run/containerd/s /run/containerd/runc/k8s.io /run/containerd/runc /run/containerd/fifo \
      /run/containerd /var/run/netns 2>/dev/null
rm -rf "$W/etcd-data" "$W/kubelet" "$W/cni/ipam" "$W/containerd/root" "$W/containerd/state" 2>/dev/null
log "down"
