#!/usr/bin/env bash
# Build kube-apiserver, kube-controller-manager and kubectl 1.20 from Debian's
# `kubernetes` source package (1.20.5+really1.20.2), for the e2e tests.
#
# Output (outside any repo, reused on later runs), in
# ${JWT_OP_CACHE:-~/.cache/jwt-secret-operator}/k8s-1.20/bin/:
#   kube-apiserver  kube-controller-manager  kubectl
#
# Also makes sure etcd (etcd-server 3.4), openssl and curl are installed from
# Debian (used by e2e/start-cluster.sh).
#
# Why kubectl is built too rather than taken from Debian's kubernetes-client:
# that binary was built with Go 1.19 against the vendored reflect2 v1.0.1 and
# segfaults whenever it JSON-encodes a map (e.g. `kubectl config
# set-credentials`); it also conflicts with other `kubectl` packages (e.g.
# Google Cloud SDK's) owning /usr/bin/kubectl.
#
# Idempotent: if all binaries are already there, nothing is rebuilt.
# Set K8S_REBUILD=1 to force a rebuild.
#
# A cold build takes about 11 minutes on 2 cores (kube-apiserver ~7 min,
# kube-controller-manager ~2, kubectl ~1) and leaves ~2.6 GB of source, build
# output and Go cache under the cache directory.  Since a foreground command
# may be limited in time, run it e.g. as
#   nohup e2e/build-k8s.sh > /tmp/build-k8s.log 2>&1 &
# and poll the log.
#
# Needs root (apt-get) or the packages below already installed.
set -euo pipefail

log() { printf '[build-k8s %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

CACHE="${JWT_OP_CACHE:-$HOME/.cache/jwt-secret-operator}"
K8S_DIR="$CACHE/k8s-1.20"
BIN_DIR="$K8S_DIR/bin"
SRC_PARENT="$K8S_DIR/src"          # apt-get source unpacks here
APT_DIR="$K8S_DIR/apt"             # private apt config (deb-src lists)
GO=/usr/lib/go-1.19/bin/go
KUBE_VERSION=v1.20.2               # upstream version in 1.20.5+really1.20.2 (checked after build)
BINARIES=(kube-apiserver kube-controller-manager kubectl)

# Debian packages needed: build toolchain + runtime tools for the e2e cluster.
BUILD_PKGS=(golang-1.19-go golang-github-modern-go-reflect2-dev rsync libpopt0
            make dpkg-dev xz-utils ca-certificates)
RUNTIME_PKGS=(etcd-server openssl curl)

# ---------------------------------------------------------------------------
# apt helpers
# ---------------------------------------------------------------------------
APT_UPDATED=0
apt_install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages ${missing[*]} and not root"
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    apt-get update -qq
    APT_UPDATED=1
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# one-line version of a built binary
bin_version() {
  case "$1" in
    kubectl) "$BIN_DIR/kubectl" version --client --short 2>&1 | sed -n 1p ;;
    *) "$BIN_DIR/$1" --version 2>&1 | sed -n 1p ;;
  esac
}

binaries_present() {
  local b
  for b in "${BINARIES[@]}"; do
    [ -x "$BIN_DIR/$b" ] || return 1
  done
}

# ---------------------------------------------------------------------------
# 0. runtime tools, always ensured (cheap when already installed)
# ---------------------------------------------------------------------------
apt_install_missing "${RUNTIME_PKGS[@]}"

if [ "${K8S_REBUILD:-0}" != 1 ] && binaries_present; then
  log "binaries already present in $BIN_DIR, nothing to build:"
  for b in "${BINARIES[@]}"; do log "  $b: $(bin_version "$b")"; done
  exit 0
fi

# ---------------------------------------------------------------------------
# 1. build dependencies
# ---------------------------------------------------------------------------
apt_install_missing "${BUILD_PKGS[@]}"
[ -x "$GO" ] || die "$GO not found after installing golang-1.19-go"
REFLECT2_SRC=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -f "$REFLECT2_SRC/reflect2.go" ] || die "$REFLECT2_SRC missing (golang-github-modern-go-reflect2-dev)"

# ---------------------------------------------------------------------------
# 2. fetch Debian's kubernetes source with a private apt configuration
#    (deb-src lines derived from the system's deb lines; system apt untouched)
# ---------------------------------------------------------------------------
# Emit deb-src entries for every Debian main-archive "deb" entry of the system
# (one-line *.list format and deb822 *.sources format).  Security/updates
# suites are harmless; third-party repos are skipped (they may be unreachable).
make_src_list() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # keep "deb [opts] URI suite comps" lines whose URI ends in /debian
    awk '$1 == "deb" { line=$0; sub(/^deb[ \t]+/, "deb-src ", line);
                       for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/ && $i ~ /:\/\//) { uri=$i; break }
                       if (uri ~ /\/debian\/?$/) print line; uri="" }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822: stanzas separated by blank lines
    awk 'BEGIN { RS=""; ORS="\n\n" }
         {
           if ($0 ~ /(^|\n)[Ee]nabled:[ \t]*no/) next
           if ($0 !~ /(^|\n)Types:[^\n]*deb([ \t]|$|\n)/) next
           if ($0 !~ /(^|\n)URIs:[^\n]*\/debian\/?([ \t]|$|\n)/) next
           s = $0; gsub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src", s); sub(/^\n/, "", s)
           print s
         }' "$f"
  done
}

fetch_source() {
  mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$SRC_PARENT"
  make_src_list > "$APT_DIR/src.entries"
  if ! [ -s "$APT_DIR/src.entries" ]; then
    local codename
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
    log "no Debian deb entries found, falling back to deb.debian.org $codename"
    echo "deb-src http://deb.debian.org/debian $codename main" > "$APT_DIR/src.entries"
  fi
  # Pick the format apt expects: one-line entries go to a .list file, deb822
  # stanzas are given via SourceParts of a private directory.
  rm -rf "$APT_DIR/parts"; mkdir -p "$APT_DIR/parts"
  if grep -q '^deb-src ' "$APT_DIR/src.entries"; then
    grep '^deb-src ' "$APT_DIR/src.entries" > "$APT_DIR/parts/src.list"
  fi
  if grep -q '^Types:' "$APT_DIR/src.entries"; then
    awk 'BEGIN { RS=""; ORS="\n\n" } /(^|\n)Types:/ { print }' "$APT_DIR/src.entries" \
      > "$APT_DIR/parts/src.sources"
  fi
  log "private deb-src configuration:"; sed 's/^/    /' "$APT_DIR"/parts/* >&2
  local opts=(-o Dir::Etc::SourceList=/dev/null
              -o Dir::Etc::SourceParts="$APT_DIR/parts"
              -o Dir::State::Lists="$APT_DIR/lists"
              -o Dir::Cache="$APT_DIR/cache")
  log "apt-get update (private deb-src lists)"
  apt-get "${opts[@]}" update -qq
  log "apt-get source kubernetes"
  ( cd "$SRC_PARENT" && apt-get "${opts[@]}" source -qq kubernetes ) \
    || die "apt-get source kubernetes failed"
}

find_src_tree() {
  [ -d "$SRC_PARENT" ] || return 0
  find "$SRC_PARENT" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-1.20*' | sort | tail -1
}

SRC="$(find_src_tree || true)"
if [ -z "$SRC" ] || [ ! -f "$SRC/.fetched-ok" ]; then
  rm -rf "$SRC_PARENT"
  fetch_source
  SRC="$(find_src_tree)"
  [ -n "$SRC" ] || die "no kubernetes-1.20* tree unpacked under $SRC_PARENT"
  [ -d "$SRC/vendor/k8s.io/api" ] || die "$SRC has no vendored tree; cannot build offline"
  touch "$SRC/.fetched-ok"
fi
log "source tree: $SRC"

# ---------------------------------------------------------------------------
# 3. replace the vendored reflect2 v1.0.1 (broken on Go >= 1.18: apiserver
#    crashes at the first custom-resource request) by Debian's fixed copy.
# ---------------------------------------------------------------------------
VENDOR_R2="$SRC/vendor/github.com/modern-go/reflect2"
if ! [ -f "$VENDOR_R2/.from-debian" ]; then
  log "replacing vendored reflect2 with $REFLECT2_SRC"
  rm -rf "$VENDOR_R2"; mkdir -p "$VENDOR_R2"
  # only the Go sources and licence, not tests/docs
  find "$REFLECT2_SRC" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' -o -name LICENSE \) \
    ! -name '*_test.go' -exec cp -L {} "$VENDOR_R2/" \;
  # The 1.20 build runs in GOPATH mode (hack/lib/init.sh sets GO111MODULE=off)
  # and ignores go.mod/modules.txt; still record v1.0.2 there so that a
  # module-mode `go build -mod=vendor` would see a consistent vendor tree.
  sed -i 's|github.com/modern-go/reflect2 v1\.0\.1|github.com/modern-go/reflect2 v1.0.2|g' \
    "$SRC/vendor/modules.txt" "$SRC/go.mod"
  touch "$VENDOR_R2/.from-debian"
fi
[ -f "$VENDOR_R2/go_above_118.go" ] || die "vendored reflect2 is not the fixed (>= 1.0.2) version"

# ---------------------------------------------------------------------------
# 4. build with kubernetes' own make (as debian/rules does).  It generates the
#    missing code first (e.g. pkg/generated/openapi/zz_generated.openapi.go,
#    which is not in the tarball, so a plain `go build` would not work).
#    The version stamp (v1.20.2, commit faecb196...) comes from the git-archive
#    substitutions in hack/lib/version.sh, so no git tree is needed.
#    GOPATH/GOCACHE are set by hack/lib/golang.sh to _output/local/go{,/cache}
#    inside the source tree, i.e. under the cache directory.
# ---------------------------------------------------------------------------
export PATH="/usr/lib/go-1.19/bin:$PATH"
export CGO_ENABLED=0 GOPROXY=off   # static binaries (as debian/rules); never download
export HOME="${HOME:-/root}"
unset GOFLAGS GOPATH GOCACHE GO111MODULE GOBIN
log "go: $(go version)"

cd "$SRC"
for b in "${BINARIES[@]}"; do
  if [ "${K8S_REBUILD:-0}" != 1 ] && [ -x "$BIN_DIR/$b" ]; then
    log "$b already built"; continue
  fi
  log "make WHAT=cmd/$b (several minutes)"
  start=$SECONDS
  make WHAT="cmd/$b"
  out="$SRC/_output/local/bin/linux/amd64/$b"
  [ -x "$out" ] || out="$SRC/_output/bin/$b"
  [ -x "$out" ] || die "make finished but $b was not found under _output"
  mkdir -p "$BIN_DIR"
  cp "$out" "$BIN_DIR/$b.tmp" && mv "$BIN_DIR/$b.tmp" "$BIN_DIR/$b"
  v="$(bin_version "$b")"
  case "$v" in *"$KUBE_VERSION"*) ;; *) die "$b reports '$v', expected $KUBE_VERSION" ;; esac
  log "built $b in $((SECONDS - start))s: $v"
done

log "done; binaries in $BIN_DIR:"
ls -l "$BIN_DIR" >&2
