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
# The heap follows the container's memory limit; an OutOfMemoryError restarts the pod.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# Non-root (the chart's runAsUser); the jar is owned by root, so the process cannot change it.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/jwt-secret-operator.jar"]
CMD ["run"]
