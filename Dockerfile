# syntax=docker/dockerfile:1
#
# Herald container images, one Dockerfile, three runtimes:
#   docker build -t herald .                                        # Payara Micro 6 (default, last stage)
#   docker build -t herald:wildfly --target wildfly .               # WildFly 39
#   docker build -t herald:standalone --target standalone .         # the standalone launcher
# Run: docker run -p 8080:8080 --ulimit nofile=65536:65536 --stop-timeout 20 herald
#   --ulimit: every WebSocket is a file descriptor; HERALD_MAX_CONNECTIONS is 50000 by default.
#   --stop-timeout: Docker's default 10 s equals Herald's graceful shutdown; give it room.
# Settings: -e HERALD_X_Y=... (see docs/operations.md). Every image needs a token key, e.g.
#   -e HERALD_JWT_SECRET=<at least 32 bytes>   (or -e HERALD_JWT_PUBLIC_KEY=<PEM>)
# without one Herald refuses every connection with 401 and says so in its log. On Payara and
# WildFly the few settings pinned by server-config/ are system properties, which win over the
# environment.
#
# The base image tags follow the publishers' naming but were NOT pulled or built here (no Docker
# engine where this was written); override them with --build-arg if a tag has moved.
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG PAYARA_IMAGE=payara/micro:6.2025.10-jdk17
ARG WILDFLY_IMAGE=quay.io/wildfly/wildfly:39.0.1.Final-jdk17
ARG JRE_IMAGE=eclipse-temurin:17-jre

# ---------------------------------------------------------------------------------------------
FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
# The same Maven invocation as CI (.ci/run runs "mvn -B -ntp verify"), minus the tests: the image
# build is not where the tests run, and the integration tests start servers on the build host.
# The cache mount keeps ~/.m2 between builds without baking it into a layer.
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -DskipTests package
# The health probe (see server-config/docker/HealthCheck.java): compiled here because JRE images
# have no javac.
COPY server-config/docker/HealthCheck.java /tmp/health/
RUN javac --release 17 -d /health /tmp/health/HealthCheck.java

# ---------------------------------------------------------------------------------------------
# The standalone launcher (Tyrus on Grizzly), one process, one port.
FROM ${JRE_IMAGE} AS standalone
RUN groupadd --system herald \
 && useradd --system --gid herald --home-dir /opt/herald --no-create-home --shell /usr/sbin/nologin herald
COPY --from=build /src/target/herald-standalone.jar /opt/herald/herald-standalone.jar
COPY --from=build /health /opt/herald/health
# The launcher binds 127.0.0.1 by default: in a container that is unreachable from outside.
# Dev mode (tokens for anyone at /api/dev/token, echo) is the launcher's default when no JWT key
# is set; an image listening on 0.0.0.0 must not fall into it by omission. For a local try only:
# -e HERALD_DEV=true.
ENV HERALD_HOST=0.0.0.0 \
    HERALD_PORT=8080 \
    HERALD_DEV=false
USER herald
EXPOSE 8080
# The probe reads HERALD_PORT itself, so -e HERALD_PORT=... keeps it pointed at the right port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-cp", "/opt/herald/health", "HealthCheck"]
# exec form: java is PID 1 and gets SIGTERM itself (Herald's graceful shutdown hook).
# More JVM options: -e JAVA_TOOL_OPTIONS=...
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/herald/herald-standalone.jar"]

# ---------------------------------------------------------------------------------------------
# WildFly: herald.war in standalone/deployments, server-config/wildfly/herald.cli applied at build
# time to standalone.xml with an embedded (offline) server, so nothing is configured at start.
FROM ${WILDFLY_IMAGE} AS wildfly
COPY --chown=jboss:0 server-config/wildfly/herald.cli /tmp/herald.cli
# The image runs as jboss, who owns /opt/jboss/wildfly (its JBOSS_HOME). The embedded server
# leaves history, data and logs behind: drop them so the image starts from a clean state.
USER jboss
RUN { echo 'embed-server --server-config=standalone.xml --std-out=discard'; \
      cat /tmp/herald.cli; \
      echo 'stop-embedded-server'; } > /tmp/apply.cli \
 && /opt/jboss/wildfly/bin/jboss-cli.sh --file=/tmp/apply.cli \
 && rm -rf /tmp/herald.cli /tmp/apply.cli \
      /opt/jboss/wildfly/standalone/configuration/standalone_xml_history \
      /opt/jboss/wildfly/standalone/data /opt/jboss/wildfly/standalone/log /opt/jboss/wildfly/standalone/tmp
COPY --from=build --chown=jboss:0 /src/target/herald.war /opt/jboss/wildfly/standalone/deployments/herald.war
COPY --from=build /health /opt/herald/health
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-cp", "/opt/herald/health", "HealthCheck", "http://127.0.0.1:8080/herald/api/health"]
# -b 0.0.0.0: public interface on all addresses; management stays on loopback (not exposed).
CMD ["/opt/jboss/wildfly/bin/standalone.sh", "-b", "0.0.0.0"]

# ---------------------------------------------------------------------------------------------
# Payara Micro 6 (default target). The image's entrypoint runs "java ... -jar payara-micro.jar"
# with the CMD below as arguments, as user payara; the HTTP listener binds 0.0.0.0:8080.
FROM ${PAYARA_IMAGE} AS payara
COPY --chown=payara:payara server-config/payara/pre-boot-commands.asadmin server-config/payara/post-boot-commands.asadmin /opt/payara/herald/
COPY --from=build --chown=payara:payara /src/target/herald.war /opt/payara/deployments/herald.war
COPY --from=build /health /opt/herald/health
USER payara
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-cp", "/opt/herald/health", "HealthCheck", "http://127.0.0.1:8080/herald/api/health"]
# --deploy of herald.war: context root /herald (from the file name).
# --nohazelcast: Herald scales out through Redis, not Payara's data grid; without it Micro would
#   look for cluster members on the network and listen on 6900 (which the base image EXPOSEs).
# --disablephonehome: no call to Payara's servers at start.
CMD ["--deploy", "/opt/payara/deployments/herald.war", \
     "--prebootcommandfile", "/opt/payara/herald/pre-boot-commands.asadmin", \
     "--postbootcommandfile", "/opt/payara/herald/post-boot-commands.asadmin", \
     "--nohazelcast", "--disablephonehome"]
