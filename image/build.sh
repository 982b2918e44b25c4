#!/usr/bin/env bash
# Builds the operator's OCI image archive here, with no Docker engine and no registry:
#   target/jwt-secret-operator-image.tar   (README, Install: "The image")
# jlinks a Java runtime from the JDK that runs Maven (JAVA_HOME; -Dimage.jdk=... in MVN_ARGS to pick
# another), records the AppCDS archive the chart's javaToolOptions name with a training run chrooted
# into the image's tree, and writes the OCI layout with jib-core (io.photoapp.jwt.image.ImageBuilder).
# Needs root (the training run mounts and chroots) and util-linux, coreutils, tar and ldd, which
# Debian has; installs what is missing.
#   image/build.sh                               # ghcr.io/photoapp/jwt-secret-operator:<pom version>
#   MVN_ARGS="-Dimage.name=registry.example.com/jwt-secret-operator:dev" image/build.sh
# image/test.sh builds it and runs it (ImageIT).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=image/prepare.sh
. image/prepare.sh
mvn -B ${MVN_ARGS:-} -Pimage -DskipTests verify
ls -l target/jwt-secret-operator-image.tar
