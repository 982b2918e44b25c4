#!/usr/bin/env bash
# Bring up a single-node Kubernetes 1.20 with a real kubelet, fully offline, in WORKDIR:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, containerd (runc, CNI bridge),
# kubelet and kube-proxy. Stop it with e2e/node/down.sh WORKDIR (e2e/node/run does, whatever happens).
#
# Usage: e2e/node/up.sh WORKDIR        (root; e2e/node/run installs what it needs first)
#
# Addresses stay on this machine: the node's address is NODE_IP on a dummy interface of its own
# (jwtnode0; on loopback where the kernel has no dummy interfaces), and the API server and the
# kubelet listen there only; pods live on the bridge jwtnode-br0 (POD_CIDR), Services in
# SERVICE_CIDR; etcd, the other components' ports and containerd's socket are on loopback or in
# WORKDIR.
# Ports (the caller picks free ones; defaults in brackets): APISERVER_PORT [26443],
# ETCD_CLIENT_PORT [32379], ETCD_PEER_PORT [32380], KCM_PORT [20257], SCHEDULER_PORT [20259],
# KUBELET_PORT [20250], KUBELET_HEALTHZ_PORT [20248], PROXY_METRICS_PORT [20249],
# PROXY_HEALTHZ_PORT [20256].
#
# Writes into WORKDIR: admin.kubeconfig; pids ("name pid", for down.sh); node.env (the addresses
# and the containerd socket, for the tests); node.orig (what down.sh puts back: sysctls, the
# address, the pod log directories there before); logs/; pki/; containerd/; kubelet/.
#
# Learned on this kind of machine (see README, "Zero logouts, measured on a real node"):
# containerd needs restrict_oom_score_adj = true (no CAP_SYS_RESOURCE here: otherwise every sandbox
# fails with "can't get final child's PID from pipe: EOF"), and the kubelet the cgroupfs driver.
set -euo pipefail

log() { printf '[node-up %s +%ss] %s\n' "$(date +%H:%M:%S)" "$((SECONDS - T0))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
T0=$SECONDS

[ $# -eq 1 ] || die "usage: $0 WORKDIR"
[ "$(id -u)" = 0 ] || die "must run as root (containerd, kubelet, iptables)"
mkdir -p "$1"
W="$(cd "$1" && pwd)"
CACHE="${JWT_OP_CACHE:-$HOME/.cache/jwt-secret-operator}"
K8S_BIN="${K8S_BIN:-$CACHE/k8s-1.20/bin}"
KUBECTL="$K8S_BIN/kubectl"
NODE_NAME=jwt-node
NODE_IF=jwtnode0
BRIDGE=jwtnode-br0
NODE_IP="${NODE_IP:-10.250.250.1}"
SERVICE_CIDR="${SERVICE_CIDR:-10.32.0.0/24}"
SERVICE_IP="${SERVICE_CIDR%.*}.1"
POD_CIDR="${POD_CIDR:-10.244.0.0/24}"
APISERVER_PORT="${APISERVER_PORT:-26443}"
ETCD_CLIENT_PORT="${ETCD_CLIENT_PORT:-32379}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-32380}"
KCM_PORT="${KCM_PORT:-20257}"
SCHEDULER_PORT="${SCHEDULER_PORT:-20259}"
KUBELET_PORT="${KUBELET_PORT:-20250}"
KUBELET_HEALTHZ_PORT="${KUBELET_HEALTHZ_PORT:-20248}"
PROXY_METRICS_PORT="${PROXY_METRICS_PORT:-20249}"
PROXY_HEALTHZ_PORT="${PROXY_HEALTHZ_PORT:-20256}"
PAUSE_IMAGE="${PAUSE_IMAGE:-localhost/jwt-e2e/pause:3.4.1}"
SOCK="$W/containerd/containerd.sock"
PIDS="$W/pids"
ETCD_URL="http://127.0.0.1:$ETCD_CLIENT_PORT"
ETCD="$(command -v etcd || true)"

for b in kube-apiserver kube-controller-manager kubectl kubelet kube-scheduler kube-proxy; do
  [ -x "$K8S_BIN/$b" ] || die "$K8S_BIN/$b missing: run e2e/build-k8s.sh and e2e/node/build-node.sh"
done
for c in containerd ctr runc iptables ip openssl curl; do command -v "$c" >/dev/null || die "$c not found"; done
[ -n "$ETCD" ] || die "etcd not found (apt-get install etcd-server)"
[ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] || die "CNI plugins missing (apt-get install containernetworking-plugins)"
[ -s "$PIDS" ] && die "$PIDS exists: run e2e/node/down.sh $W first"
# Another node of ours, or a Kubernetes this script did not start, would share the kernel's tables:
# refuse rather than mix (down.sh removes every KUBE-/CNI- chain).
ip link show "$NODE_IF" >/dev/null 2>&1 && die "interface $NODE_IF exists: another node tier runs (or one was not torn down)"
ip link show "$BRIDGE" >/dev/null 2>&1 && die "bridge $BRIDGE exists: another node tier runs (or one was not torn down)"
for t in filter nat; do
  iptables -t "$t" -S 2>/dev/null | grep -qE '^-N (KUBE-|CNI-)' && die "iptables $t has KUBE-/CNI- chains already: another Kubernetes runs here"
done

mkdir -p "$W/logs" "$W/pki" "$W/containerd" "$W/cni/net.d" "$W/kubelet"
: > "$PIDS"
# What the kubelet, kube-proxy and this script change in the kernel, to put back (down.sh).
{
  for s in kernel.panic kernel.panic_on_oops vm.overcommit_memory net.ipv4.ip_forward \
           net.bridge.bridge-nf-call-iptables net.ipv4.conf.all.route_localnet; do
    v="$(sysctl -n "$s" 2>/dev/null || true)"
    [ -n "$v" ] && echo "SYSCTL $s=$v"
  done
  [ -d /var/log/pods ] && echo "HAD_VAR_LOG_PODS" || true
  [ -d /var/log/containers ] && echo "HAD_VAR_LOG_CONTAINERS" || true
} > "$W/node.orig"
ls -1 /var/log/pods 2>/dev/null | sed 's/^/POD_LOG /' >> "$W/node.orig" || true

start() { # NAME CMD...   (background, survives this script, pid recorded)
  local name="$1"; shift
  nohup "$@" > "$W/logs/$name.log" 2>&1 < /dev/null &
  echo "$name $!" >> "$PIDS"
  log "started $name (pid $!)"
}
pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$PIDS"; }
alive() { kill -0 "$(pid_of "$1")" 2>/dev/null || { tail -20 "$W/logs/$1.log" >&2; die "$1 exited"; }; }
wait_for() { # WHAT SECONDS PROCESS CMD...
  local what="$1" t="$2" n="$3" t0=$SECONDS; shift 3
  while ((SECONDS - t0 < t)); do
    alive "$n"
    if "$@" >/dev/null 2>&1; then log "$what ready after $((SECONDS - t0))s"; return 0; fi
    sleep 0.5
  done
  die "$what not ready after ${t}s (log: $W/logs/$n.log)"
}

# ---------------------------------------------------------------- the node's address and forwarding
# A dummy interface of its own where the kernel has them, else an address on loopback: either way an
# address of this machine that nothing outside it routes to.
if ip link add "$NODE_IF" type dummy 2>/dev/null; then
  ip addr add "$NODE_IP/32" dev "$NODE_IF"
  ip link set "$NODE_IF" up
  echo "LINK $NODE_IF" >> "$W/node.orig"
else
  ip -4 addr show dev lo | grep -q " $NODE_IP/" && die "$NODE_IP is already on lo: another node tier runs (or one was not torn down)"
  ip addr add "$NODE_IP/32" dev lo
  echo "LOADDR $NODE_IP/32" >> "$W/node.orig"
  NODE_IF=lo
fi
sysctl -qw net.ipv4.ip_forward=1
modprobe br_netfilter 2>/dev/null || true
sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
log "node address $NODE_IP on $NODE_IF"

# ---------------------------------------------------------------- containerd, its own config, root, state and socket
containerd config default | sed \
  -e "s|^root = .*|root = \"$W/containerd/root\"|" \
  -e "s|^state = .*|state = \"$W/containerd/state\"|" \
  -e "0,/address = \"\/run\/containerd\/containerd.sock\"/s||address = \"$SOCK\"|" \
  -e "s|sandbox_image = .*|sandbox_image = \"$PAUSE_IMAGE\"|" \
  -e 's|bin_dir = "/opt/cni/bin"|bin_dir = "/usr/lib/cni"|' \
  -e "s|conf_dir = \"/etc/cni/net.d\"|conf_dir = \"$W/cni/net.d\"|" \
  -e "s|path = \"/opt/containerd\"|path = \"$W/containerd/opt\"|" \
  -e 's|restrict_oom_score_adj = false|restrict_oom_score_adj = true|' \
  > "$W/containerd/config.toml"
for want in "address = \"$SOCK\"" "restrict_oom_score_adj = true" "sandbox_image = \"$PAUSE_IMAGE\"" \
            "conf_dir = \"$W/cni/net.d\"" "bin_dir = \"/usr/lib/cni\"" "root = \"$W/containerd/root\""; do
  grep -qF "$want" "$W/containerd/config.toml" || die "containerd's default config changed: could not set '$want'"
done
cat > "$W/cni/net.d/10-jwtnode.conflist" <<CNI
{
  "cniVersion": "0.4.0",
  "name": "jwtnode",
  "plugins": [
    {"type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": true, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]],
              "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "$W/cni/ipam"}},
    {"type": "portmap", "capabilities": {"portMappings": true}},
    {"type": "loopback"}
  ]
}
CNI
start containerd containerd --config "$W/containerd/config.toml"
wait_for containerd 30 containerd ctr -a "$SOCK" version

# ---------------------------------------------------------------- PKI (new every start)
cd "$W/pki"
q() { local o; o="$(openssl "$@" 2>&1)" || { echo "$o" >&2; die "openssl $1 failed"; }; }
q req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 -subj /CN=jwt-node-e2e-ca
sign() { # NAME SUBJECT EXT
  q req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2"
  printf '%s\n' "$3" > "$1.ext"
  q x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 30 -extfile "$1.ext"
  rm -f "$1.csr" "$1.ext"
}
CLIENT=$'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth'
sign apiserver /CN=kube-apiserver "basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:$NODE_IP,IP:$SERVICE_IP,IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
sign kubelet-serving "/CN=$NODE_NAME" "basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:$NODE_IP,DNS:$NODE_NAME"
sign admin "/O=system:masters/CN=admin" "$CLIENT"
sign kcm /CN=system:kube-controller-manager "$CLIENT"
sign scheduler /CN=system:kube-scheduler "$CLIENT"
sign kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" "$CLIENT"
sign proxy /CN=system:kube-proxy "$CLIENT"
sign apiserver-kubelet "/O=system:masters/CN=kube-apiserver-kubelet-client" "$CLIENT"
q genrsa -out sa.key 2048
q rsa -in sa.key -pubout -out sa.pub
chmod 600 ./*.key
mkkc() { # NAME CERT
  local f="$W/$1.kubeconfig"; rm -f "$f"
  "$KUBECTL" --kubeconfig "$f" config set-cluster jwt-node --server "https://$NODE_IP:$APISERVER_PORT" \
    --certificate-authority "$W/pki/ca.crt" --embed-certs >/dev/null
  "$KUBECTL" --kubeconfig "$f" config set-credentials "$1" --client-certificate "$W/pki/$2.crt" \
    --client-key "$W/pki/$2.key" --embed-certs >/dev/null
  "$KUBECTL" --kubeconfig "$f" config set-context jwt-node --cluster jwt-node --user "$1" >/dev/null
  "$KUBECTL" --kubeconfig "$f" config use-context jwt-node >/dev/null
}
for k in admin:admin kcm:kcm scheduler:scheduler kubelet:kubelet proxy:proxy; do mkkc "${k%%:*}" "${k#*:}"; done
cd "$W"
K=("$KUBECTL" --kubeconfig "$W/admin.kubeconfig")

# ---------------------------------------------------------------- etcd, kube-apiserver
start etcd "$ETCD" --name jwt-node --data-dir "$W/etcd-data" \
  --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "jwt-node=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new
wait_for etcd 30 etcd sh -c "curl -fsS $ETCD_URL/health | grep -q '\"health\":\"true\"'"
start kube-apiserver "$K8S_BIN/kube-apiserver" \
  --etcd-servers "$ETCD_URL" --bind-address "$NODE_IP" --advertise-address "$NODE_IP" \
  --secure-port "$APISERVER_PORT" \
  --tls-cert-file "$W/pki/apiserver.crt" --tls-private-key-file "$W/pki/apiserver.key" \
  --client-ca-file "$W/pki/ca.crt" --authorization-mode Node,RBAC \
  --enable-admission-plugins NodeRestriction \
  --kubelet-client-certificate "$W/pki/apiserver-kubelet.crt" --kubelet-client-key "$W/pki/apiserver-kubelet.key" \
  --kubelet-certificate-authority "$W/pki/ca.crt" \
  --kubelet-preferred-address-types InternalIP \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$W/pki/sa.pub" --service-account-signing-key-file "$W/pki/sa.key" \
  --service-cluster-ip-range "$SERVICE_CIDR"
wait_for kube-apiserver 120 kube-apiserver "${K[@]}" get --raw /readyz

# ---------------------------------------------------------------- controller-manager, scheduler
start kube-controller-manager "$K8S_BIN/kube-controller-manager" \
  --kubeconfig "$W/kcm.kubeconfig" --authentication-kubeconfig "$W/kcm.kubeconfig" \
  --authorization-kubeconfig "$W/kcm.kubeconfig" \
  --service-account-private-key-file "$W/pki/sa.key" --root-ca-file "$W/pki/ca.crt" \
  --cluster-signing-cert-file "$W/pki/ca.crt" --cluster-signing-key-file "$W/pki/ca.key" \
  --use-service-account-credentials --controllers '*' --leader-elect=false \
  --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --port 0
start kube-scheduler "$K8S_BIN/kube-scheduler" \
  --kubeconfig "$W/scheduler.kubeconfig" --authentication-kubeconfig "$W/scheduler.kubeconfig" \
  --authorization-kubeconfig "$W/scheduler.kubeconfig" --leader-elect=false \
  --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT" --port 0

# ---------------------------------------------------------------- kubelet, kube-proxy
cat > "$W/kubelet-config.yaml" <<KC
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
tlsCertFile: $W/pki/kubelet-serving.crt
tlsPrivateKeyFile: $W/pki/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $W/pki/ca.crt}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
failSwapOn: false
resolvConf: /etc/resolv.conf
syncFrequency: 10s
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "50Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
maxPods: 50
KC
start kubelet "$K8S_BIN/kubelet" --config "$W/kubelet-config.yaml" \
  --kubeconfig "$W/kubelet.kubeconfig" --root-dir "$W/kubelet" --cert-dir "$W/kubelet/pki" \
  --container-runtime remote --container-runtime-endpoint "unix://$SOCK" \
  --pod-infra-container-image "$PAUSE_IMAGE" \
  --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v 1
start kube-proxy "$K8S_BIN/kube-proxy" --kubeconfig "$W/proxy.kubeconfig" \
  --hostname-override "$NODE_NAME" --bind-address "$NODE_IP" --proxy-mode iptables --cluster-cidr "$POD_CIDR" \
  --conntrack-max-per-core 0 \
  --metrics-bind-address "127.0.0.1:$PROXY_METRICS_PORT" --healthz-bind-address "127.0.0.1:$PROXY_HEALTHZ_PORT"

alive kube-controller-manager; alive kube-scheduler
wait_for "node $NODE_NAME Ready" 120 kubelet sh -c \
  "'$KUBECTL' --kubeconfig '$W/admin.kubeconfig' get node $NODE_NAME -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -qx True"
wait_for "the default ServiceAccount's token" 60 kube-controller-manager sh -c \
  "'$KUBECTL' --kubeconfig '$W/admin.kubeconfig' -n default get sa default -o jsonpath='{.secrets[0].name}' | grep -q ."
alive kube-proxy
cat > "$W/node.env" <<ENV
NODE_NAME=$NODE_NAME
NODE_IP=$NODE_IP
APISERVER_PORT=$APISERVER_PORT
SERVICE_CIDR=$SERVICE_CIDR
POD_CIDR=$POD_CIDR
CONTAINERD_SOCKET=$SOCK
PAUSE_IMAGE=$PAUSE_IMAGE
ENV
log "node up: export KUBECONFIG=$W/admin.kubeconfig   (stop: e2e/node/down.sh $W)"
