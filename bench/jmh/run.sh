#!/usr/bin/env bash
# Builds and runs Herald's JMH microbenchmarks against target/herald-standalone.jar.
#   bench/jmh/run.sh                      all benchmarks, JMH defaults from the annotations
#   bench/jmh/run.sh -rf json -rff x.json  any JMH option
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[[ -f "$here/../../target/herald-standalone.jar" ]] || (cd "$here/../.." && mvn -B -ntp -q package -DskipTests)
mvn -B -ntp -q -f "$here/pom.xml" package
exec java -cp "$here/target/classes:$(cat "$here/target/classpath.txt"):$here/../../target/herald-standalone.jar" \
  org.openjdk.jmh.Main "$@"
