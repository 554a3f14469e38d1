# One recipe for the image of every netwatch service, built from a clean checkout (nothing needs building first):
#   docker build --build-arg SERVICE=flow-service -t netwatch/flow-service .
# docker-compose.yml and the CI of an image registry pass SERVICE (and PACKAGES, RUN_AS for the probe).
FROM maven:3.9-eclipse-temurin-17 AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<module>" >&2; exit 1; } \
 && mvn -B -q -pl "$SERVICE" -am package -DskipTests

FROM eclipse-temurin:17-jre
ARG SERVICE
# curl for the health checks; the probe adds libpcap0.8
ARG PACKAGES="curl"
# 185 is the user Quarkus images run as; the probe runs as root so that NET_RAW/NET_ADMIN reach libpcap
ARG RUN_AS=185
RUN apt-get update && apt-get install -y --no-install-recommends $PACKAGES && rm -rf /var/lib/apt/lists/* \
 && (id -u 185 >/dev/null 2>&1 || useradd --uid 185 --gid 0 --no-create-home --shell /usr/sbin/nologin quarkus) \
 && mkdir -p /var/lib/netwatch/state /var/lib/netwatch/uploads /var/lib/netwatch/geoip \
 && chown -R 185:0 /var/lib/netwatch
WORKDIR /deployments
COPY --from=build --chown=185:0 /src/${SERVICE}/target/quarkus-app/ /deployments/
USER ${RUN_AS}
# the heap follows the container's memory limit; the services are sized to stay well under 512 MiB. The parallel
# collector costs a third less CPU per packet than G1 on two cores (docs/benchmarks.md)
ENV JAVA_OPTS="-XX:MaxRAMPercentage=70 -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError" \
    NETWATCH_HTTP_HOST=0.0.0.0
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
