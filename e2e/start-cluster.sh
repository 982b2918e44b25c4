#!/usr/bin/env bash
# Start a throw-away Kubernetes 1.20 control plane on loopback for e2e tests:
# etcd + kube-apiserver (RBAC, service-account tokens) + kube-controller-manager.
# No kubelet / nodes: pods are never run, but every API object (CRDs, custom
# resources, secrets, service accounts and their token secrets) works.
#
# Usage: e2e/start-cluster.sh WORKDIR
#
# Writes into WORKDIR:
#   admin.kubeconfig   kubeconfig for user "admin" (group system:masters)
#   pids               "name pid" lines of the started processes (for stop-cluster.sh)
#   pki/               CA, serving/client certs, service-account key pair
#   logs/              etcd.log, kube-apiserver.log, kube-controller-manager.log
#   etcd-data/         etcd data directory
#
# Binaries come from e2e/build-k8s.sh (run it first); etcd from Debian's etcd-server.
# Environment overrides (defaults in brackets):
#   K8S_BIN [~/.cache/jwt-secret-operator/k8s-1.20/bin]  ETCD [etcd from PATH]
#   ETCD_CLIENT_PORT [23790]  ETCD_PEER_PORT [23800]  APISERVER_PORT [6443]
#   KCM_PORT [10257]  SA_ISSUER [https://kubernetes.default.svc.cluster.local]
#
# Everything listens on 127.0.0.1 only.  Stop with e2e/stop-cluster.sh WORKDIR.
set -euo pipefail

log() { printf '[start-cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ $# -eq 1 ] || die "usage: $0 WORKDIR"
mkdir -p "$1"
W="$(cd "$1" && pwd)"

CACHE="${JWT_OP_CACHE:-$HOME/.cache/jwt-secret-operator}"
K8S_BIN="${K8S_BIN:-$CACHE/k8s-1.20/bin}"
ETCD="${ETCD:-$(command -v etcd || true)}"
KUBECTL="$K8S_BIN/kubectl"
ETCD_CLIENT_PORT="${ETCD_CLIENT_PORT:-23790}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-23800}"
APISERVER_PORT="${APISERVER_PORT:-6443}"
KCM_PORT="${KCM_PORT:-10257}"
SA_ISSUER="${SA_ISSUER:-https://kubernetes.default.svc.cluster.local}"
SERVICE_CIDR=10.0.0.0/24      # only used for Service objects; nothing is routed

for b in kube-apiserver kube-controller-manager kubectl; do
  [ -x "$K8S_BIN/$b" ] || die "$K8S_BIN/$b missing; run e2e/build-k8s.sh first"
done
[ -n "$ETCD" ] && [ -x "$ETCD" ] || die "etcd not found; apt-get install etcd-server (or run e2e/build-k8s.sh)"
command -v openssl >/dev/null || die "openssl not found"
command -v curl >/dev/null || die "curl not found"

PIDS="$W/pids"
if [ -s "$PIDS" ]; then
  while read -r name pid; do
    # still running (and really that program, not a recycled pid)?
    if [ -n "${pid:-}" ] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"; then
      die "$name (pid $pid) from $PIDS still running; run stop-cluster.sh $W first"
    fi
  done < "$PIDS"
fi
: > "$PIDS"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT" "$APISERVER_PORT" "$KCM_PORT"; do
  port_free "$p" || die "port 127.0.0.1:$p already in use"
done

# If anything below fails, stop what was already started.
HERE="$(cd "$(dirname "$0")" && pwd)"
STARTED_OK=0
on_exit() {
  if [ "$STARTED_OK" != 1 ]; then
    log "start failed; stopping started processes (logs in $W/logs)"
    "$HERE/stop-cluster.sh" "$W" || true
  fi
}
trap on_exit EXIT

mkdir -p "$W/pki" "$W/logs"
# ---------------------------------------------------------------------------
# PKI (regenerated every start; cheap)
# ---------------------------------------------------------------------------
log "generating certificates and service-account key pair in $W/pki"
cd "$W/pki"
openssl_q() { # openssl, quiet unless it fails
  local out
  out="$(openssl "$@" 2>&1)" || { printf '%s\n' "$out" >&2; die "openssl $1 failed"; }
}
openssl_q req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
  -subj "/CN=e2e-kubernetes-ca"
# sign NAME SUBJECT EXTFILE-CONTENT
sign() {
  openssl_q req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2"
  printf '%s\n' "$3" > "$1.ext"
  openssl_q x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial \
    -out "$1.crt" -days 3650 -extfile "$1.ext"
  rm -f "$1.csr" "$1.ext"
}
sign apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
CLIENT_EXT="basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
sign admin "/O=system:masters/CN=admin" "$CLIENT_EXT"
sign controller-manager "/CN=system:kube-controller-manager" "$CLIENT_EXT"
sign kcm-serving "/CN=kube-controller-manager" "basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost"
# service-account token signing key pair
openssl_q genrsa -out sa.key 2048
openssl_q rsa -in sa.key -pubout -out sa.pub
chmod 600 ./*.key

# kubeconfigs (certs embedded, so the files are self-contained)
mkkubeconfig() { # FILE USER CERTNAME
  local f="$1"
  rm -f "$f"
  "$KUBECTL" --kubeconfig "$f" config set-cluster e2e --server "https://127.0.0.1:$APISERVER_PORT" \
    --certificate-authority "$W/pki/ca.crt" --embed-certs >/dev/null
  "$KUBECTL" --kubeconfig "$f" config set-credentials "$2" \
    --client-certificate "$W/pki/$3.crt" --client-key "$W/pki/$3.key" --embed-certs >/dev/null
  "$KUBECTL" --kubeconfig "$f" config set-context e2e --cluster e2e --user "$2" >/dev/null
  "$KUBECTL" --kubeconfig "$f" config use-context e2e >/dev/null
}
mkkubeconfig "$W/admin.kubeconfig" admin admin
mkkubeconfig "$W/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
cd "$W"

# start NAME LOGFILE CMD...   (background, survives this script, pid recorded)
start() {
  local name="$1" logf="$2"; shift 2
  nohup "$@" > "$logf" 2>&1 < /dev/null &
  echo "$name $!" >> "$PIDS"
  log "started $name (pid $!), log $logf"
}
# wait_for DESCRIPTION SECONDS CMD...  (CMD's stdout discarded; the checks
# below silence their own stderr so that only real failures are shown)
wait_for() {
  local what="$1" t="$2"; shift 2
  local t0=$SECONDS
  while ((SECONDS - t0 < t)); do
    if "$@" >/dev/null; then log "$what ready after $((SECONDS - t0))s"; return 0; fi
    sleep 0.5
  done
  die "$what not ready after ${t}s"
}
alive() { # NAME: fail fast if the process died
  local pid; pid="$(awk -v n="$1" '$1 == n { print $2 }' "$PIDS")"
  kill -0 "$pid" 2>/dev/null || { tail -20 "$W/logs/$1.log" >&2; die "$1 exited"; }
}

# ---------------------------------------------------------------------------
# etcd
# ---------------------------------------------------------------------------
ETCD_URL="http://127.0.0.1:$ETCD_CLIENT_PORT"
rm -rf "$W/etcd-data"
start etcd "$W/logs/etcd.log" "$ETCD" \
  --name e2e --data-dir "$W/etcd-data" \
  --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "e2e=http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster-state new
etcd_health() {
  alive etcd
  curl -fsS "$ETCD_URL/health" 2>/dev/null | grep -q '"health":"true"'
}
wait_for etcd 30 etcd_health

# ---------------------------------------------------------------------------
# kube-apiserver
# ---------------------------------------------------------------------------
start kube-apiserver "$W/logs/kube-apiserver.log" "$K8S_BIN/kube-apiserver" \
  --etcd-servers "$ETCD_URL" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 \
  --secure-port "$APISERVER_PORT" \
  --tls-cert-file "$W/pki/apiserver.crt" --tls-private-key-file "$W/pki/apiserver.key" \
  --client-ca-file "$W/pki/ca.crt" \
  --authorization-mode RBAC \
  --service-account-issuer "$SA_ISSUER" \
  --service-account-key-file "$W/pki/sa.pub" \
  --service-account-signing-key-file "$W/pki/sa.key" \
  --service-cluster-ip-range "$SERVICE_CIDR" \
  --endpoint-reconciler-type none
# (--endpoint-reconciler-type none: the default reconciler would try to publish
#  127.0.0.1 as the endpoint of service "kubernetes", which is rejected.)
readyz() {
  alive kube-apiserver
  "$KUBECTL" --kubeconfig "$W/admin.kubeconfig" get --raw /readyz 2>/dev/null
}
wait_for kube-apiserver 90 readyz

# ---------------------------------------------------------------------------
# kube-controller-manager (service-account token controller etc.)
# ---------------------------------------------------------------------------
start kube-controller-manager "$W/logs/kube-controller-manager.log" "$K8S_BIN/kube-controller-manager" \
  --kubeconfig "$W/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$W/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$W/controller-manager.kubeconfig" \
  --service-account-private-key-file "$W/pki/sa.key" \
  --root-ca-file "$W/pki/ca.crt" \
  --cluster-signing-cert-file "$W/pki/ca.crt" --cluster-signing-key-file "$W/pki/ca.key" \
  --use-service-account-credentials \
  --controllers '*' \
  --leader-elect=false \
  --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --port 0 \
  --tls-cert-file "$W/pki/kcm-serving.crt" --tls-private-key-file "$W/pki/kcm-serving.key"
# Ready once the token controller has given the default service account a token.
sa_token() {
  alive kube-controller-manager
  "$KUBECTL" --kubeconfig "$W/admin.kubeconfig" -n default get serviceaccount default \
    -o 'jsonpath={.secrets[0].name}' 2>/dev/null | grep -q .
}
wait_for kube-controller-manager 90 sa_token

STARTED_OK=1
log "cluster up: export KUBECONFIG=$W/admin.kubeconfig  (stop: $HERE/stop-cluster.sh $W)"
