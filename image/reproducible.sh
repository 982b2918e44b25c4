#!/usr/bin/env bash
# Builds the image archive twice and compares every layer's digest. The last layer (the CDS archives)
# is a static dump of the classes a training run loaded (TrainingRun): the same as long as both training
# runs load the same classes; when it differs, the two class lists' difference is printed. About 6 minutes;
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
mkdir -p target
image/build.sh > target/reproducible-1.log 2>&1
first=$(layers)
cp target/image/training/classlist target/reproducible-1.classlist
image/build.sh > target/reproducible-2.log 2>&1
second=$(layers)
cp target/image/training/classlist target/reproducible-2.classlist
echo "first build:";  echo "$first"
echo "second build:"; echo "$second"
n=$(echo "$first" | wc -l)
if [ "$first" = "$second" ]; then
  echo "reproducible: all $n layers are the same"
elif [ "$(echo "$first" | head -n $((n - 1)))" = "$(echo "$second" | head -n $((n - 1)))" ]; then
  echo "NOT reproducible: the CDS layer differs; the training runs loaded different classes:" >&2
  diff target/reproducible-1.classlist target/reproducible-2.classlist >&2 || true
  exit 1
else
  echo "NOT reproducible: a layer before the CDS layer differs" >&2
  exit 1
fi
