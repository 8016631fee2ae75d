'use strict';
// Prints the Markdown tables of docs/benchmarks.md from a results file (and the leak check's).
//   node bench/tables.js [results.json] [leak.json]
const fs = require('fs');
const path = require('path');
const C = require('./loadgen/common');

const ROOT = path.resolve(__dirname, '..');
const r = JSON.parse(fs.readFileSync(process.argv[2] || path.join(ROOT, 'bench', 'results', 'latest.json'), 'utf8'));
const leakFile = process.argv[3] || path.join(ROOT, 'bench', 'results', 'leak.json');
const v = (x) => (x === null || x === undefined ? '–' : typeof x === 'number' && x >= 10000 ? Math.round(x).toLocaleString('en') : x);

for (const [name, sc] of Object.entries(r.scenarios)) {
  console.log(`\n#### ${name}\n`);
  const runs = sc.runs;
  if (runs[0] && runs[0].pending) {
    console.log(`pending: ${runs[0].pending}`);
    continue;
  }
  if (name.startsWith('c_')) {
    console.log('| round | server | connections | setup/s | server CPU µs/setup | RSS before → after MB | RSS KB/conn | live heap before → after MB | heap KB/conn | threads | load avg |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const x of runs) {
      if (x.error) {
        console.log(`| ${(x.round ?? 0) + 1} | ${x.server} | error: ${x.error} |||||||||`);
        continue;
      }
      console.log(`| ${(x.round ?? 0) + 1} | ${x.server} | ${v(x.connections)} | ${v(x.setup_per_s)} | ${v(x.server_cpu_us_per_setup)} | ${x.rss_mb_before} → ${x.rss_mb_after} | ${v(x.rss_kb_per_connection)} | ${v(x.live_heap_mb_before)} → ${v(x.live_heap_mb_after)} | ${v(x.heap_kb_per_connection)} | ${v(x.threads)} | ${v(x.loadavg_1m)} |`);
    }
  } else {
    console.log('| round | server | delivered/s | server CPU cores | **server CPU µs/delivery** | of it in the kernel | generator CPU cores | p50 ms | p99 ms | max ms | loss | dup/reorder | unexpected closes | load avg |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const x of runs) {
      if (x.error) {
        console.log(`| ${(x.round ?? 0) + 1} | ${x.server} | error: ${x.error} ||||||||||||`);
        continue;
      }
      console.log(`| ${(x.round ?? 0) + 1} | ${x.server} | ${v(x.delivered_per_s)} | ${v(x.server_cpu_cores)} | **${v(x.server_cpu_us_per_delivery)}** | ${x.server_cpu_kernel_share === undefined ? '–' : Math.round(x.server_cpu_kernel_share * 100) + ' %'} | ${v(x.generator_cpu_cores)} | ${x.latency.p50_ms} | ${x.latency.p99_ms} | ${x.latency.max_ms} | ${x.loss} | ${x.duplicates_or_reordered} | ${x.unexpected_closes} | ${v(x.loadavg_1m)} |`);
    }
  }
  // ratios recomputed from the runs: one server's figure over another's in the same round
  const metrics = name.startsWith('c_') ? ['rss_kb_per_connection', 'heap_kb_per_connection', 'setup_per_s']
    : name.startsWith('b_') ? ['server_cpu_us_per_delivery'] : ['delivered_per_s', 'server_cpu_us_per_delivery'];
  const pairs = C.pairs([...new Set(runs.map((x) => x.server))]);
  if (pairs.length) {
    console.log('\nRatios, same round (median of rounds; per round in brackets):\n');
    for (const metric of metrics) {
      const parts = pairs.map(([a, b]) => {
        const per = [];
        for (const h of runs.filter((x) => x.server === a && !x.error)) {
          const o = runs.find((x) => x.server === b && x.round === h.round && !x.error);
          if (o && o[metric] && h[metric]) {
            per.push(+(h[metric] / o[metric]).toFixed(2));
          }
        }
        const s = [...per].sort((x, y) => x - y);
        const m = s.length ? (s.length % 2 ? s[s.length >> 1] : (s[(s.length >> 1) - 1] + s[s.length >> 1]) / 2) : null;
        return `${a} ÷ ${b} **${m === null ? '–' : m.toFixed(2)}** [${per.join(', ')}]`;
      });
      console.log(`- ${metric}: ${parts.join('; ')}`);
    }
  }
}
if (fs.existsSync(leakFile)) {
  const l = JSON.parse(fs.readFileSync(leakFile, 'utf8'));
  console.log('\n#### leak check\n');
  console.log('| cycles | failed | cycles/s | live heap KB before → after | threads before → after | fds before → after | pass |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  console.log(`| ${v(l.cycles)} | ${l.failed} | ${l.cycles_per_s} | ${l.before.live_heap_kb} → ${l.after.live_heap_kb} | ${l.before.threads} → ${l.after.threads} | ${l.before.fds} → ${l.after.fds} | ${l.pass} |`);
}
