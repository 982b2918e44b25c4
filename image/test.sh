#!/usr/bin/env bash
# Builds the image archive (as image/build.sh does) and tests it (ImageIT): the OCI layout and its
# digests, non-root, no shell, fixed file times, the runtime jar, and its entrypoint run as the chart
# runs it (uid 65532, read-only root, tmpfs /tmp, the chart's env, JVM options and memory limit)
# against an API server in the test JVM until /readyz answers 200 and a JwtSecret gets its key.
# Writes the measured size, start-up and memory to target/image-figures.md. .ci/run runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=image/prepare.sh
. image/prepare.sh
mvn -B ${MVN_ARGS:-} -Pimage verify
cat target/image-figures.md
