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
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
# The image's Java is linked from Temurin 25 (issue #19), which every machine of this kind has at this path
# (-Dimage.jdk=... in MVN_ARGS for another JDK 25).
image_jdk=/usr/lib/jvm/temurin-25-jdk-amd64
if [ ! -x "$image_jdk/bin/jlink" ] && [[ "${MVN_ARGS:-}" != *-Dimage.jdk=* ]]; then
  echo "image: no Temurin 25 at $image_jdk (the image's Java is linked from it)" >&2
  exit 2
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "image: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
fi
