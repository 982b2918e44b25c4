#!/usr/bin/env bash
# Builds the image archive twice and compares the layers' digests: every layer but the last (the
# CDS archives, which the JVM dumps differently each time) must come out the same. About 6 minutes;
# not part of .ci/run. Needs what image/build.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
archive=target/jwt-secret-operator-image.tar
layers() {
  # index.json -> the manifest's digest -> the manifest's layer digests, in order.
  local manifest
  manifest=$(tar -xOf "$archive" index.json | grep -o '"digest":"sha256:[0-9a-f]*"' | head -n 1 | sed 's/.*sha256://; s/"//')
  tar -xOf "$archive" "blobs/sha256/$manifest" | grep -o '"layers":.*' | grep -o 'sha256:[0-9a-f]*'
}
image/build.sh > target/reproducible-1.log 2>&1
first=$(layers)
image/build.sh > target/reproducible-2.log 2>&1
second=$(layers)
echo "first build:";  echo "$first"
echo "second build:"; echo "$second"
n=$(echo "$first" | wc -l)
if [ "$(echo "$first" | head -n $((n - 1)))" = "$(echo "$second" | head -n $((n - 1)))" ]; then
  echo "reproducible: the $((n - 1)) layers before the CDS layer are the same"
else
  echo "NOT reproducible: a layer before the CDS layer differs" >&2
  exit 1
fi
