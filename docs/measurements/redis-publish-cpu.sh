#!/usr/bin/env bash
# Redis CPU per Herald publish: publish.lua via EVALSHA, redis-benchmark as the load, N idle
# subscribers on herald:fanout standing for N Herald nodes.
set -euo pipefail
P=${PORT:-7788}
D=$(mktemp -d)
redis-server --port $P --save '' --appendonly no --bind 127.0.0.1 --dir $D --daemonize yes --pidfile $D/pid --logfile $D/log
sleep 0.5
C="redis-cli -p $P"
L=$(dirname "$0")/../../src/main/resources/io/herald/cluster
SHA=$(cat $L/streams.lua <(echo) $L/publish.lua | $C -x SCRIPT LOAD)
cpu() { $C INFO cpu | awk -F: '/used_cpu_(user|sys):/{s+=$2} END{printf "%.4f", s}'; }
N=${N:-100000}
for subs in 0 4 16; do
  for bytes in 100 1000; do
    $C FLUSHALL >/dev/null
    pids=()
    for i in $(seq 1 $subs); do $C SUBSCRIBE herald:fanout >/dev/null & pids+=($!); done
    sleep 0.3
    data=$(head -c $bytes /dev/zero | tr '\0' 'x')
    data="\"${data:2}\""
    $C CONFIG RESETSTAT >/dev/null
    before=$(cpu)
    redis-benchmark -p $P -q -n $N -c 20 EVALSHA $SHA 3 'herald:{t}:meta' 'herald:{t}:log' 'herald:{t}:idem:' \
      ep0000001 msgid0001 alice 5 "$data" 100 3600000 90000000 0 300000 t:x herald:fanout | tr '\r' '\n' | tail -1
    after=$(cpu)
    usec=$($C INFO commandstats | tr -d '\r' | awk -F'[,=]' '/cmdstat_evalsha/{print $6}')
    awk -v b=$before -v a=$after -v n=$N -v s=$subs -v by=$bytes -v u=$usec 'BEGIN{printf "subscribers=%d data=%dB  script usec/call=%s  redis total CPU usec/publish=%.1f\n", s, by, u, (a-b)*1e6/n}'
    for p in "${pids[@]}"; do kill $p 2>/dev/null || true; done
    wait 2>/dev/null || true
  done
done
$C INFO memory | grep used_memory_human
$C SHUTDOWN NOSAVE >/dev/null 2>&1 || true
rm -rf $D
