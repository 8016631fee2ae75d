#!/usr/bin/env bash
# Applies server-config/wildfly/herald.cli and tls.cli to the unpacked WildFly that the Arquillian
# tests then start, as server-config/README.md tells an operator to do it offline: jboss-cli with
# embed-server on standalone.xml, no ports opened. Run by the pom (exec-maven-plugin, phase
# pre-integration-test, execution "wildfly-server-config"); by hand:
#   TLS_KEYSTORE_PASSWORD=... src/test/wildfly/apply-server-config.sh target/wildfly-39.0.1.Final server-config/wildfly target
#
# Each script is applied twice in one embedded session: the second pass checks that they are
# idempotent, as their headers promise. jboss-cli stops at the first command whose outcome is not
# success and exits 1, and so does this script: the build fails before any test runs.
#
# tls.cli needs a keystore: a fresh PKCS12 one with a self-signed EC certificate for 127.0.0.1 and
# localhost, at standalone/configuration/herald.p12, whose password is TLS_KEYSTORE_PASSWORD (which
# the server must also have in its environment at every start: the pom gives it to the tests' JVM,
# which WildFly inherits).
#
# It also picks the port offset the tests' WildFly runs with, written to
# WORK_DIR/wildfly-ports.properties for failsafe (systemPropertiesFile) and arquillian.xml: with a
# fixed one, two builds on the same machine (other worktrees) started WildFly on the same ports,
# and one build's Arquillian deployed to, and undeployed from, the other's server.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 WILDFLY_HOME SERVER_CONFIG_DIR WORK_DIR" >&2
  exit 64
fi
home=$1 scripts=$2 work=$3
: "${TLS_KEYSTORE_PASSWORD:?must be set: tls.cli reads the keystore password from it}"
keytool=keytool
if [ -n "${JAVA_HOME:-}" ]; then
  keytool=$JAVA_HOME/bin/keytool
fi

keystore=$home/standalone/configuration/herald.p12
rm -f "$keystore"
"$keytool" -genkeypair -alias herald -keyalg EC -groupname secp256r1 -dname CN=localhost \
  -ext SAN=dns:localhost,ip:127.0.0.1 -validity 30 -storetype PKCS12 \
  -keystore "$keystore" -storepass "$TLS_KEYSTORE_PASSWORD"

# dependency:unpack unpacks only once until mvn clean: start from WildFly's own standalone.xml
# each time, so that a line deleted from a script does not linger from an earlier build
config=$home/standalone/configuration/standalone.xml
if [ ! -f "$config.orig" ]; then
  cp "$config" "$config.orig"
fi
cp "$config.orig" "$config"

mkdir -p "$work"
# an offset at which nothing answers on any port WildFly's standalone.xml binds
offset=
for _ in $(seq 1 50); do
  candidate=$((1000 + RANDOM % 39000))
  taken=
  for port in 4712 4713 8080 8443 9990; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$((port + candidate))") 2>/dev/null; then
      taken=yes
      break
    fi
  done
  if [ -z "$taken" ]; then
    offset=$candidate
    break
  fi
done
[ -n "$offset" ] || { echo "no free port offset found for WildFly" >&2; exit 1; }
printf 'wildfly.port.offset=%s\nwildfly.management.port=%s\n' "$offset" $((9990 + offset)) \
  > "$work/wildfly-ports.properties"

wrapper=$work/wildfly-server-config.cli
{
  echo 'embed-server --server-config=standalone.xml --std-out=discard'
  for _ in 1 2; do
    cat "$scripts/herald.cli" "$scripts/tls.cli"
  done
  echo 'stop-embedded-server'
} > "$wrapper"
echo "Applying $scripts/herald.cli and tls.cli (twice) to $config; port offset $offset"
"$home/bin/jboss-cli.sh" --file="$wrapper"
