#!/usr/bin/env bash
# Herald's benchmarks (issue #8) in one command; see docs/benchmarks.md.
#   bench/run.sh            full run: scenarios a-e, 3 alternating rounds, leak check, chart (~40 min)
#   bench/run.sh --quick    smoke run: smaller sizes, 1 round, short phases, 10k-cycle leak check (~4 min)
# Extra arguments go to the load generator (e.g. --scenarios a,b --rounds 2 --servers herald,node).
#   bench/run.sh --servers payara6,payara7,wildfly,node --scenarios a,b
#                           Herald's WAR on the app servers (bench/loadgen/appservers.js); results in
#                           bench/results/appservers.json, no leak check, no chart
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f target/herald-standalone.jar || ! -f target/herald.war || -n "${BENCH_REBUILD:-}" ]]; then
  mvn -B -ntp -q package -DskipTests
fi
(cd bench && npm ci --no-audit --no-fund --silent)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
quick=()
cycles=100000
if [[ "${1:-}" == "--quick" ]]; then
  quick=(--quick)
  cycles=10000
  shift
fi
# run against copies, so that a build during the run cannot change the jar or WAR under the servers
copies="$(mktemp -d)"
cp target/herald-standalone.jar target/herald.war "$copies"
export HERALD_JAR="$copies/herald-standalone.jar" HERALD_WAR="${HERALD_WAR:-$copies/herald.war}"
node bench/loadgen/run.js "${quick[@]}" "$@"
# the leak check and the chart are the launcher's: only when it ran
servers=herald
for ((i = 1; i < $#; i++)); do
  if [[ "${!i}" == "--servers" ]]; then
    j=$((i + 1))
    servers=${!j}
  fi
done
if [[ ",$servers," == *",herald,"* ]]; then
  node bench/loadgen/leak.js --cycles "$cycles"
  node bench/chart.js
fi
