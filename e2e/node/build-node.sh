#!/usr/bin/env bash
# Build what a node adds to the API-server tier's binaries: kubelet, kube-scheduler and
# kube-proxy 1.20 from the same Debian source tree e2e/build-k8s.sh unpacked (its Go cache
# makes this about a minute once the API server is built, about 3 minutes cold), and the
# pause binary from that tree's build/pause/linux/pause.c (gcc -static).
#
# Output, beside kube-apiserver in ${JWT_OP_CACHE:-~/.cache/jwt-secret-operator}/k8s-1.20/bin:
#   kubelet  kube-scheduler  kube-proxy  pause
# Idempotent: what is there is not rebuilt (K8S_REBUILD=1 forces it).
# Run e2e/build-k8s.sh first (it fetches the source and fixes the vendored reflect2).
set -euo pipefail

log() { printf '[build-node %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

CACHE="${JWT_OP_CACHE:-$HOME/.cache/jwt-secret-operator}"
K8S_DIR="$CACHE/k8s-1.20"
BIN_DIR="$K8S_DIR/bin"
KUBE_VERSION=v1.20.2
SRC="$(find "$K8S_DIR/src" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-1.20*' 2>/dev/null | sort | tail -1)"

if [ "${K8S_REBUILD:-0}" != 1 ] && [ -x "$BIN_DIR/kubelet" ] && [ -x "$BIN_DIR/kube-scheduler" ] \
   && [ -x "$BIN_DIR/kube-proxy" ] && [ -x "$BIN_DIR/pause" ]; then
  log "kubelet, kube-scheduler, kube-proxy and pause already in $BIN_DIR"
  exit 0
fi
[ -n "$SRC" ] && [ -f "$SRC/.fetched-ok" ] || die "no Kubernetes source under $K8S_DIR/src: run e2e/build-k8s.sh first"
[ -f "$SRC/vendor/github.com/modern-go/reflect2/.from-debian" ] \
  || die "the vendored reflect2 was not replaced: run e2e/build-k8s.sh first"
command -v gcc >/dev/null || die "gcc not found (apt-get install gcc libc6-dev)"

export PATH="/usr/lib/go-1.19/bin:$PATH"
export CGO_ENABLED=0 GOPROXY=off   # static binaries, never download (as e2e/build-k8s.sh)
export HOME="${HOME:-/root}"
unset GOFLAGS GOPATH GOCACHE GO111MODULE GOBIN
mkdir -p "$BIN_DIR"
cd "$SRC"
for b in kubelet kube-scheduler kube-proxy; do
  if [ "${K8S_REBUILD:-0}" != 1 ] && [ -x "$BIN_DIR/$b" ]; then
    log "$b already built"; continue
  fi
  log "make WHAT=cmd/$b"
  start=$SECONDS
  make WHAT="cmd/$b"
  out="$SRC/_output/local/bin/linux/amd64/$b"
  [ -x "$out" ] || die "make finished but $out is missing"
  cp "$out" "$BIN_DIR/$b.tmp" && mv "$BIN_DIR/$b.tmp" "$BIN_DIR/$b"
  v="$("$BIN_DIR/$b" --version 2>&1 | sed -n 1p)"
  case "$v" in *"$KUBE_VERSION"*) ;; *) die "$b reports '$v', expected $KUBE_VERSION" ;; esac
  log "built $b in $((SECONDS - start))s: $v"
done

if [ "${K8S_REBUILD:-0}" = 1 ] || [ ! -x "$BIN_DIR/pause" ]; then
  gcc -Os -static -DVERSION=v3.4.1-jwt-e2e -o "$BIN_DIR/pause.tmp" "$SRC/build/pause/linux/pause.c"
  strip "$BIN_DIR/pause.tmp"
  mv "$BIN_DIR/pause.tmp" "$BIN_DIR/pause"
  log "built pause"
fi
ls -l "$BIN_DIR" >&2
