'use strict';
// Leak check (issue #8, item 5): N connect/subscribe/close cycles against the standalone launcher;
// live heap after a full GC, threads and file descriptors must come back to their baseline.
//   node bench/loadgen/leak.js [--cycles 100000] [--concurrency 50] [--out FILE]
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const WebSocket = require('ws');
const C = require('./common');

const args = process.argv.slice(2);
const opt = (n, d) => (args.indexOf('--' + n) >= 0 ? args[args.indexOf('--' + n) + 1] : d);
const CYCLES = Number(opt('cycles', 100000));
const CONC = Number(opt('concurrency', 50));
const ROOT = path.resolve(__dirname, '..', '..');
const JAR = process.env.HERALD_JAR || path.join(ROOT, 'target', 'herald-standalone.jar');
const OUT = opt('out', path.join(ROOT, 'bench', 'results', 'leak.json'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function heapKb(pid) {
  spawnSync('jcmd', [String(pid), 'GC.run']);
  spawnSync('jcmd', [String(pid), 'GC.run']);
  const m = spawnSync('jcmd', [String(pid), 'GC.heap_info']).stdout.toString().match(/used (\d+)K/);
  return m ? Number(m[1]) : -1;
}

function snapshot(pid) {
  const heap = heapKb(pid);
  return { live_heap_kb: heap, threads: C.status(pid).threads, fds: C.fds(pid), rss_kb: C.status(pid).rss_kb };
}

function cycle(url, i) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url + '?access_token=' + C.token('leak' + (i % 1000), 'sub:*'), { perMessageDeflate: false });
    let ok = false;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', topic: 'leak.' + (i % 100) })));
    ws.on('message', (b) => {
      if (b.indexOf('"subscribed"') > 0) {
        ok = true;
        ws.close(1000, 'bye');
      }
    });
    ws.on('close', () => resolve(ok));
    ws.on('error', () => resolve(false));
  });
}

async function run(url, n) {
  let next = 0;
  let failed = 0;
  const lanes = [];
  for (let l = 0; l < CONC; l++) {
    lanes.push((async () => {
      while (next < n) {
        if (!(await cycle(url, next++))) {
          failed++;
        }
      }
    })());
  }
  await Promise.all(lanes);
  return failed;
}

async function main() {
  const port = 17000 + Math.floor(Math.random() * 900);
  const env = { ...process.env, HERALD_PORT: String(port), HERALD_JWT_SECRET: C.SECRET, HERALD_DEV: 'false',
    HERALD_ECHO: 'false', HERALD_MAX_CONNECTIONS: '100000' };
  const server = spawn('java', ['-Xms256m', '-Xmx1g', '-jar', JAR], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (let i = 0; ; i++) {
      const up = await new Promise((r) => {
        const s = net.connect(port, '127.0.0.1', () => { s.destroy(); r(true); });
        s.on('error', () => r(false));
      });
      if (up) {
        break;
      }
      if (i > 300) {
        throw new Error('server did not start');
      }
      await sleep(100);
    }
    const url = `ws://127.0.0.1:${port}/herald/ws/push`;
    await run(url, 2000); // warm up: classes loaded, pools and caches at their working size
    await sleep(3000);
    const before = snapshot(server.pid);
    console.log('baseline', JSON.stringify(before));
    const t0 = Date.now();
    const failed = await run(url, CYCLES);
    const secs = (Date.now() - t0) / 1000;
    await sleep(8000); // closes finish; the housekeeping thread's periodic work runs
    const after = snapshot(server.pid);
    console.log('after', JSON.stringify(after));
    const result = {
      cycles: CYCLES, concurrency: CONC, failed, seconds: +secs.toFixed(1), cycles_per_s: Math.round(CYCLES / secs),
      before, after,
      heap_growth_kb: after.live_heap_kb - before.live_heap_kb,
      threads_growth: after.threads - before.threads,
      fds_growth: after.fds - before.fds,
    };
    // pass: live heap within 2 MB (history of the 100 topics is bounded), threads and fds back
    result.pass = failed === 0 && result.heap_growth_kb < 2048 && result.threads_growth <= 0 && result.fds_growth <= 0;
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, JSON.stringify(result, null, 2));
    console.log(JSON.stringify(result));
    process.exitCode = result.pass ? 0 : 1;
  } finally {
    server.kill('SIGKILL');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
