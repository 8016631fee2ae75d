#!/usr/bin/env bash
# Herald's benchmarks (issue #8) in one command; see docs/benchmarks.md.
#   bench/run.sh            full run: scenarios a-e, 3 alternating rounds, leak check, chart (~40 min)
#   bench/run.sh --quick    smoke run: smaller sizes, 1 round, short phases, 10k-cycle leak check (~4 min)
# Extra arguments go to the load generator (e.g. --scenarios a,b --rounds 2 --servers herald,node).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f target/herald-standalone.jar || -n "${BENCH_REBUILD:-}" ]]; then
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
# run against a copy, so that a build during the run cannot change the jar under the servers
jar="$(mktemp -d)/herald-standalone.jar"
cp target/herald-standalone.jar "$jar"
export HERALD_JAR="$jar"
node bench/loadgen/run.js "${quick[@]}" "$@"
node bench/loadgen/leak.js --cycles "$cycles"
node bench/chart.js
