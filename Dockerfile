# syntax=docker/dockerfile:1
# Image of jwt-secret-operator: `docker build -t ghcr.io/photoapp/jwt-secret-operator:0.1.0 .`
# (or, without a Docker daemon: `mvn -Pjib jib:build`).

# ---- build -----------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# .dockerignore lets in only what the build reads: pom.xml, src, crds, examples.
COPY . .
# The cache mount keeps the Maven repository between builds (BuildKit).
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# ---- runtime ---------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.title="jwt-secret-operator" \
      org.opencontainers.image.description="Generates, rotates and rolls out JWT signing keys in Kubernetes" \
      org.opencontainers.image.source="https://github.com/photoapp/jwt-secret-operator"
WORKDIR /app
COPY --from=build --chown=0:0 /build/target/jwt-secret-operator.jar /app/jwt-secret-operator.jar
# Start-up: an AppCDS archive of the classes the operator loads, recorded by a training run of
# the demo (the operator on its embedded API server, no network) with this image's own JVM; it
# must exist, or the build fails. bench/RESULTS.md measures what it and C1-only JIT save.
COPY --from=build /build/crds /tmp/training/crds
COPY --from=build /build/examples /tmp/training/examples
RUN java -XX:ArchiveClassesAtExit=/app/jwt-secret-operator.jsa -jar /app/jwt-secret-operator.jar \
        demo --duration 30s --dir /tmp/training > /dev/null \
    && test -s /app/jwt-secret-operator.jsa \
    && rm -rf /tmp/training
# The same options as the chart's javaToolOptions (ChartTest checks): the archive, C1-only JIT
# (most of the start-up CPU is C2 compiling code that runs a few times), a heap of half the
# container's memory limit, and an OutOfMemoryError restarts the pod.
ENV JAVA_TOOL_OPTIONS="-XX:SharedArchiveFile=/app/jwt-secret-operator.jsa -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
# Non-root (the chart's runAsUser); the jar is owned by root, so the process cannot change it.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/jwt-secret-operator.jar"]
CMD ["run"]
