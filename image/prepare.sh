# Sourced by image/build.sh and image/test.sh: checks for root and installs what a fresh Debian lacks.
if [ "$(id -u)" != 0 ]; then
  echo "image: needs root (the training run and the test mount and chroot into the image's tree)" >&2
  exit 2
fi
missing=()
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
command -v mount >/dev/null 2>&1 || missing+=(mount)
command -v chroot >/dev/null 2>&1 || missing+=(coreutils)
command -v tar >/dev/null 2>&1 || missing+=(tar)
command -v ldd >/dev/null 2>&1 || missing+=(libc-bin)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
jdk_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /usr/bin/javac)")")")}"
[ -x "$jdk_home/bin/jlink" ] && [ -d "$jdk_home/jmods" ] || missing+=(openjdk-17-jdk-headless)
if [ ${#missing[@]} -gt 0 ]; then
  echo "image: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
fi
