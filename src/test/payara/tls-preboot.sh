#!/usr/bin/env bash
# Makes the pre-boot command file both Payara Micro executions start with (arquillian.xml):
#   1. src/test/payara/preboot.asadmin: the tests' own needs (loopback, no Hazelcast);
#   2. server-config/payara/pre-boot-commands.asadmin, as it is (listener tuning);
#   3. server-config/payara/tls.asadmin, as it is (Micro takes one pre-boot file: operators
#      concatenate these two the same way);
#   4. the three lines CI must change in it: a keystore made here instead of
#      /opt/payara/tls/herald.p12, a free port instead of 8443, loopback only.
# Later lines win, so the rest of tls.asadmin (enabling the listener, the password from
# ${ENV=TLS_KEYSTORE_PASSWORD}, the key alias) is exercised as operators use it. Run by the pom
# (exec-maven-plugin, phase pre-integration-test, execution "payara-tls-preboot"); by hand:
#   TLS_KEYSTORE_PASSWORD=... src/test/payara/tls-preboot.sh . target/payara-tls
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 PROJECT_DIR OUT_DIR" >&2
  exit 64
fi
project=$1 out=$2
: "${TLS_KEYSTORE_PASSWORD:?must be set: tls.asadmin reads the keystore password from it}"
keytool=keytool
if [ -n "${JAVA_HOME:-}" ]; then
  keytool=$JAVA_HOME/bin/keytool
fi

mkdir -p "$out"
keystore=$(cd "$out" && pwd)/herald.p12
rm -f "$keystore"
"$keytool" -genkeypair -alias herald -keyalg EC -groupname secp256r1 -dname CN=localhost \
  -ext SAN=dns:localhost,ip:127.0.0.1 -validity 30 -storetype PKCS12 \
  -keystore "$keystore" -storepass "$TLS_KEYSTORE_PASSWORD"

# a port nobody listens on now (a connection is refused); Payara 6 and 7 run one after the other
port=
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[ -n "$port" ] || { echo "no free port found for Payara's https-listener" >&2; exit 1; }

listener=configs.config.server-config.network-config.network-listeners.network-listener.https-listener
protocol=configs.config.server-config.network-config.protocols.protocol.https-listener
{
  cat "$project/src/test/payara/preboot.asadmin"
  cat "$project/server-config/payara/pre-boot-commands.asadmin"
  cat "$project/server-config/payara/tls.asadmin"
  echo
  echo "# CI (src/test/payara/tls-preboot.sh): this build's keystore and port, loopback only"
  echo "set $protocol.ssl.key-store=$keystore"
  echo "set $listener.port=$port"
  echo "set $listener.address=127.0.0.1"
} > "$out/preboot.asadmin"
echo "Payara Micro pre-boot file: $out/preboot.asadmin (server-config/payara/pre-boot-commands.asadmin and tls.asadmin, https on 127.0.0.1:$port)"
