'use strict';
// Herald's benchmark (issue #8): starts each server in turn, alternating, drives it with Node `ws`
// clients (not Herald's code) over loopback, and writes JSON results. See docs/benchmarks.md.
//
//   node bench/loadgen/run.js [--quick] [--scenarios a,b,c,d,e] [--servers herald,tyrus,node]
//                             [--rounds N] [--out FILE] [--rate N]
// Servers: herald (the launcher), tyrus, node, and Herald's WAR on payara6, payara7, wildfly
// (appservers.js); herald-X and payara6-X etc. for A/B runs of two builds (JAR_herald_X, WAR_X).
const { spawn, spawnSync, fork } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const WebSocket = require('ws');
const C = require('./common');
const AppServers = require('./appservers');

const ROOT = path.resolve(__dirname, '..', '..');
const JAR = process.env.HERALD_JAR || path.join(ROOT, 'target', 'herald-standalone.jar');
const JAVA = process.env.JAVA || 'java';
const JAVA_OPTS = (process.env.BENCH_JAVA_OPTS || '-Xms256m -Xmx2g').split(/\s+/).filter(Boolean);

const args = process.argv.slice(2);
const flag = (name) => args.includes('--' + name);
const opt = (name, def) => {
  const i = args.indexOf('--' + name);
  return i >= 0 ? args[i + 1] : def;
};
const QUICK = flag('quick');
const SCENARIOS = opt('scenarios', 'a,b,c,d,e').split(',');
const SERVERS = opt('servers', 'herald,tyrus,node').split(',');
const ROUNDS = Number(opt('rounds', QUICK ? 1 : 3));
const WARM = Number(opt('warmup', QUICK ? 2 : 5));
const MEASURE = Number(opt('measure', QUICK ? 4 : 15));
const WORKERS = Number(opt('workers', 2));
const WINDOW = Number(opt('window', 8));
// app server runs go to a file of their own, not over the launcher's published results
const OUT = opt('out', path.join(ROOT, 'bench', 'results',
  SERVERS.some(AppServers.isAppServer) ? 'appservers.json' : 'latest.json'));
// (b)'s publishing rate, messages/s
const RATE = Number(opt('rate', 50));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...m) => console.log(new Date().toISOString().slice(11, 19), ...m);

// ------------------------------------------------------------------ servers

let nextPort = 18000 + Math.floor(Math.random() * 1000) * 10;

function waitPort(port, ms = 30000) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tryOnce = () => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve();
      });
      s.on('error', () => {
        s.destroy();
        if (Date.now() > deadline) {
          reject(new Error('server did not listen on ' + port));
        } else {
          setTimeout(tryOnce, 100);
        }
      });
    };
    tryOnce();
  });
}

/** Herald's settings for a benchmark, as environment variables (the launcher's and the WAR's). */
function heraldEnv(port, env) {
  return {
    HERALD_PORT: String(port), HERALD_JWT_SECRET: C.SECRET, HERALD_RATE: '1000000', HERALD_RATE_BURST: '1000000',
    HERALD_NODE: 'bench-' + port, HERALD_DEV: 'false', HERALD_ECHO: 'false', HERALD_HISTORY_SIZE: env.HERALD_HISTORY_SIZE || '1000',
    HERALD_MAX_CONNECTIONS: '100000',
  };
}

async function startServer(kind, extraEnv = {}) {
  const port = nextPort++;
  let child;
  const env = { ...process.env, ...extraEnv };
  if (AppServers.isAppServer(kind)) {
    nextPort += 2; // WildFly's https and management ports sit above its HTTP port, at the same offset
    return AppServers.start(kind, port, { ...env, ...heraldEnv(port, env) }, JAVA_OPTS);
  }
  if (kind.startsWith('herald')) {
    // herald-X runs the jar named by env JAR_herald_X: for A/B runs of two builds in one run
    Object.assign(env, heraldEnv(port, env));
    child = spawn(JAVA, [...JAVA_OPTS, ...(process.env.BENCH_HERALD_OPTS || '').split(/\s+/).filter(Boolean),
      '-jar', process.env['JAR_' + kind.replace(/\W/g, '_')] || JAR], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  } else if (kind === 'tyrus') {
    child = spawn(JAVA, [...JAVA_OPTS, '-cp', JAR, path.join(ROOT, 'bench', 'tyrus-baseline', 'TyrusBaseline.java'),
      String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  } else if (kind === 'node') {
    child = spawn(process.execPath, [path.join(ROOT, 'bench', 'node-ws-server', 'server.js'), String(port)],
      { env, stdio: ['ignore', 'pipe', 'pipe'] });
  } else {
    throw new Error('unknown server ' + kind);
  }
  const logFile = path.join(os.tmpdir(), `bench-${kind}-${port}.log`);
  const out = fs.createWriteStream(logFile);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  await waitPort(port);
  await sleep(300);
  return { kind, port, pid: child.pid, child, logFile, url: `ws://127.0.0.1:${port}/herald/ws/push` };
}

async function stopServer(s) {
  if (process.env.BENCH_JFR_DIR && isJava(s)) {
    // profile (BENCH_JFR_DIR=dir): the recording started after the warm-up, one .jfr per server
    spawnSync(jcmd(s), [String(s.pid), 'JFR.dump', 'name=bench',
      `filename=${path.join(path.resolve(process.env.BENCH_JFR_DIR), `${s.kind}-${s.port}.jfr`)}`]);
  }
  if (AppServers.isAppServer(s.kind)) {
    await AppServers.stop(s);
    return;
  }
  if (s.child.exitCode === null) {
    s.child.kill('SIGKILL');
    await new Promise((r) => s.child.once('exit', r));
  }
}

function isJava(s) {
  return s.kind !== 'node';
}

/** The jcmd of the server's own JDK (Payara 7 runs on another than the rest). */
function jcmd(s) {
  return s.jcmd || 'jcmd';
}

/** Live heap after a full GC, in KB (jcmd), or null for a non-Java server. */
function liveHeapKb(s) {
  if (!isJava(s)) {
    return null;
  }
  spawnSync(jcmd(s), [String(s.pid), 'GC.run']);
  spawnSync(jcmd(s), [String(s.pid), 'GC.run']);
  const out = spawnSync(jcmd(s), [String(s.pid), 'GC.heap_info']).stdout.toString();
  const m = out.match(/used (\d+)K/);
  return m ? Number(m[1]) : null;
}

// ------------------------------------------------------------------ clients

class Workers {
  constructor(n) {
    this.list = [];
    this.doneSeq = new Array(n).fill(0);
    this.onAllDone = null;
    for (let i = 0; i < n; i++) {
      const w = fork(path.join(__dirname, 'worker.js'), [], { stdio: 'inherit' });
      w.waiters = [];
      w.on('message', (m) => (m.ev === 'done' ? this.onDone(i, m.seq) : w.waiters.shift()(m)));
      this.list.push(w);
    }
  }

  /** A worker has had seq on all its connections; the lowest over workers is what everyone has. */
  onDone(i, seq) {
    if (seq > this.doneSeq[i]) {
      this.doneSeq[i] = seq;
      if (this.onAllDone) {
        this.onAllDone(Math.min(...this.doneSeq));
      }
    }
  }

  ask(w, msg) {
    return new Promise((resolve) => {
      w.waiters.push(resolve);
      w.send(msg);
    });
  }

  all(msgFor) {
    return Promise.all(this.list.map((w, i) => this.ask(w, msgFor(i))));
  }

  /** Opens {@code total} subscribed connections split over the workers (and over urls, round robin). */
  async open(urls, total, { topic, ownTopic = false, concurrency = 64, reportDone = false }) {
    const per = Math.ceil(total / this.list.length);
    const r = await this.all((i) => ({ cmd: 'open', url: urls[i % urls.length], start: i * per,
      count: Math.max(0, Math.min(per, total - i * per)), topic, ownTopic, concurrency, reportDone }));
    return { ok: r.reduce((a, x) => a + x.ok, 0), failed: r.reduce((a, x) => a + x.failed, 0),
      ms: Math.max(...r.map((x) => x.ms)) };
  }

  async snap() {
    const r = await this.all(() => ({ cmd: 'snap' }));
    const hist = C.newHist();
    r.forEach((x) => C.merge(hist, x.hist));
    return { delivered: r.reduce((a, x) => a + x.delivered, 0), hist,
      gaps: r.reduce((a, x) => a + x.gaps, 0), dupOrReorder: r.reduce((a, x) => a + x.dupOrReorder, 0),
      unexpectedCloses: r.reduce((a, x) => a + x.unexpectedCloses, 0) };
  }

  resetHist() {
    return this.all(() => ({ cmd: 'resetHist' }));
  }

  async final(latest) {
    const r = await this.all(() => ({ cmd: 'final', latest }));
    const codes = {};
    r.forEach((x) => Object.entries(x.closeCodes).forEach(([k, v]) => { codes[k] = (codes[k] || 0) + v; }));
    return { missing: r.reduce((a, x) => a + x.missing, 0), gaps: r.reduce((a, x) => a + x.gaps, 0),
      dupOrReorder: r.reduce((a, x) => a + x.dupOrReorder, 0),
      unexpectedCloses: r.reduce((a, x) => a + x.unexpectedCloses, 0), closeCodes: codes };
  }

  async close() {
    await this.all(() => ({ cmd: 'close' }));
    this.list.forEach((w) => w.kill());
  }

  pids() {
    return this.list.map((w) => w.pid);
  }
}

const PAD = 'x'.repeat(48);

/**
 * The publisher: one WebSocket connection (admin token; Herald started with HERALD_RATE raised so
 * that its per-connection limit does not apply). Closed loop: at most {@code window} messages
 * outstanding, where outstanding means not yet received by every subscriber (the workers report
 * each seq all their connections have), or, with byAck (many topics), not yet acknowledged. The
 * publisher also subscribes, and its own deliveries are checked and counted like the others.
 */
class Publisher {
  constructor(url, { topics, window, rate = 0, byAck = false }) {
    this.url = url;
    this.topics = topics;
    this.window = window;
    this.rate = rate;
    this.byAck = byAck;
    this.latest = {};
    this.sent = 0;
    this.outstanding = 0;
    this.selfDelivered = 0;
    this.running = false;
    this.selfSeq = -1;
    this.selfGaps = 0;
  }

  async connect(subscribeTopic) {
    this.ws = new WebSocket(this.url + '?access_token=' + C.token('bench-publisher', 'admin'), { perMessageDeflate: false });
    await new Promise((resolve, reject) => {
      this.ws.on('open', resolve);
      this.ws.on('error', reject);
    });
    this.ws.on('message', (buf) => this.onFrame(buf));
    if (subscribeTopic) {
      await new Promise((resolve) => {
        this.onSubscribed = resolve;
        this.ws.send(JSON.stringify({ type: 'subscribe', topic: subscribeTopic }));
      });
    }
  }

  onFrame(buf) {
    if (buf[9] === 0x6d) { // a delivery to our own subscription
      const seq = Number(buf.toString('latin1', buf.indexOf('"seq":') + 6, buf.indexOf(',', buf.indexOf('"seq":'))));
      if (this.selfSeq >= 0 && seq !== this.selfSeq + 1) {
        this.selfGaps++;
      }
      this.selfSeq = seq;
      this.selfDelivered++;
      return;
    }
    const s = buf.toString();
    if (s.includes('"type":"ack"')) {
      const f = JSON.parse(s);
      if ((this.latest[f.topic] || 0) < f.seq) {
        this.latest[f.topic] = f.seq;
      }
      if (this.byAck) {
        this.outstanding--;
        this.pump();
      }
    } else if (s.includes('"type":"subscribed"')) {
      const f = JSON.parse(s);
      this.selfSeq = f.seq;
      this.firstSeq = f.seq; // seqs this run publishes follow it
      this.everyoneHas = f.seq;
      this.onSubscribed();
    } else if (s.includes('"type":"error"')) {
      this.errors = (this.errors || 0) + 1;
      if (this.errors < 5) {
        log('publisher got', s);
      }
    }
  }

  /** Every subscriber has everything up to {@code seq}. */
  allHave(seq) {
    if (!this.byAck && seq > this.everyoneHas) {
      this.everyoneHas = seq;
      this.outstanding = this.lastSeqSent() - seq;
      this.pump();
    }
  }

  lastSeqSent() {
    return this.firstSeq + this.sent;
  }

  publishOne() {
    const topic = this.topics[this.sent % this.topics.length];
    this.sent++;
    this.outstanding++;
    this.ws.send('{"type":"publish","topic":"' + topic + '","id":"' + this.sent + '","data":{"t":'
      + C.nowUs().toFixed(1) + ',"p":"' + PAD + '"}}');
  }

  pump() {
    while (this.running && this.outstanding < this.window) {
      this.publishOne();
    }
  }

  start() {
    this.running = true;
    if (this.rate > 0) {
      const t0 = Date.now();
      this.timer = setInterval(() => {
        const due = Math.floor(((Date.now() - t0) / 1000) * this.rate);
        while (this.running && this.sent < due) {
          this.publishOne();
        }
      }, 1);
    } else {
      this.pump();
    }
  }

  stop() {
    this.running = false;
    clearInterval(this.timer);
  }

  close() {
    this.ws.terminate();
  }
}

// ------------------------------------------------------------------ scenarios

/** Runs a publish phase and measures deliveries, server CPU and latency over the measure window. */
async function drive(servers, workers, pub, { warm = WARM, measure = MEASURE }) {
  pub.start();
  await sleep(warm * 1000);
  if (process.env.BENCH_JFR_DIR) {
    // profile the measuring window only (dumped by stopServer)
    servers.filter(isJava).forEach((s) => spawnSync(jcmd(s), [String(s.pid), 'JFR.start', 'name=bench', 'settings=profile']));
  }
  const s0 = await workers.snap();
  await workers.resetHist();
  const self0 = pub.selfDelivered;
  const cpu0 = servers.map((s) => C.cpuSeconds(s.pid));
  const sys0 = servers.map((s) => C.sysSeconds(s.pid));
  const gen0 = [process.pid, ...workers.pids()].reduce((a, p) => a + C.cpuSeconds(p), 0);
  const t0 = process.hrtime.bigint();
  await sleep(measure * 1000);
  const s1 = await workers.snap();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = servers.reduce((a, s, i) => a + C.cpuSeconds(s.pid) - cpu0[i], 0);
  const sys = servers.reduce((a, s, i) => a + C.sysSeconds(s.pid) - sys0[i], 0);
  const gen = [process.pid, ...workers.pids()].reduce((a, p) => a + C.cpuSeconds(p), 0) - gen0;
  const rss = servers.map((s) => C.status(s.pid).rss_kb);
  pub.stop();
  // let the last messages arrive (until none has for a second: a server that fell behind, as the
  // app servers do, is still delivering), then account for every acknowledged one
  let last = -1;
  let still = 0;
  for (let i = 0; i < 600 && still < 5; i++) {
    await sleep(200);
    const s = await workers.snap();
    still = s.delivered === last ? still + 1 : 0;
    last = s.delivered;
  }
  const fin = await workers.final(pub.latest);
  const delivered = s1.delivered - s0.delivered + (pub.selfDelivered - self0);
  return {
    seconds: +secs.toFixed(2),
    published: Object.values(pub.latest).reduce((a, x) => a + x, 0),
    delivered_per_s: Math.round(delivered / secs),
    publishes_per_s: Math.round((delivered / secs) / Math.max(1, pub.subscribersPerMessage || 1)),
    server_cpu_cores: +(cpu / secs).toFixed(3),
    server_cpu_us_per_delivery: +((cpu * 1e6) / Math.max(1, delivered)).toFixed(2),
    // the kernel's part (system time): socket reads and writes, epoll, scheduling
    server_cpu_kernel_share: +(sys / Math.max(cpu, 1e-9)).toFixed(2),
    generator_cpu_cores: +(gen / secs).toFixed(3),
    latency: C.quantiles(s1.hist),
    server_rss_mb: rss.map((kb) => +(kb / 1024).toFixed(1)),
    loss: fin.missing + fin.gaps + pub.selfGaps,
    duplicates_or_reordered: fin.dupOrReorder,
    unexpected_closes: fin.unexpectedCloses,
    close_codes: fin.closeCodes,
    publisher_errors: pub.errors || 0,
  };
}

async function fanout(kind, subs, opts = {}) {
  const server = await startServer(kind);
  const workers = new Workers(WORKERS);
  try {
    const topic = 'bench.fanout';
    const opened = await workers.open([server.url], subs, { topic, reportDone: !opts.rate });
    if (opened.failed) {
      throw new Error(`${opened.failed} of ${subs} subscribers could not connect`);
    }
    const pub = new Publisher(server.url, { topics: [topic], window: opts.rate ? 1e9 : WINDOW, rate: opts.rate || 0 });
    pub.subscribersPerMessage = subs + 1;
    await pub.connect(topic);
    workers.onAllDone = (seq) => pub.allHave(seq);
    const r = await drive([server], workers, pub, opts);
    pub.close();
    return { server: kind, subscribers: subs, ...(opts.rate ? { rate: opts.rate } : { window: WINDOW }), ...r };
  } finally {
    await workers.close();
    await stopServer(server);
  }
}

async function manyTopics(kind, conns) {
  const server = await startServer(kind);
  const workers = new Workers(WORKERS);
  try {
    const opened = await workers.open([server.url], conns, { ownTopic: true, concurrency: 64 });
    if (opened.failed) {
      throw new Error(`${opened.failed} of ${conns} subscribers could not connect`);
    }
    const topics = [];
    for (let i = 0; i < conns; i++) {
      topics.push(`user:u${i}`);
    }
    const pub = new Publisher(server.url, { topics, window: 64, byAck: true });
    pub.subscribersPerMessage = 1;
    await pub.connect(null);
    const r = await drive([server], workers, pub, {});
    pub.close();
    return { server: kind, connections: conns, window: 64, ...r };
  } finally {
    await workers.close();
    await stopServer(server);
  }
}

async function idle(kind, conns) {
  const server = await startServer(kind);
  const workers = new Workers(WORKERS);
  try {
    // warm the server's code paths with a few connections, then measure from an idle baseline
    const warm = new Workers(1);
    await warm.open([server.url], 200, { topic: 'bench.idle' });
    await warm.close();
    await sleep(1000);
    const heap0 = liveHeapKb(server);
    const st0 = C.status(server.pid);
    const cpu0 = C.cpuSeconds(server.pid);
    const opened = await workers.open([server.url], conns, { topic: 'bench.idle', concurrency: 64 });
    const cpu = C.cpuSeconds(server.pid) - cpu0;
    await sleep(2000);
    const heap1 = liveHeapKb(server);
    await sleep(500);
    const st1 = C.status(server.pid);
    return {
      server: kind, connections: opened.ok, failed: opened.failed,
      setup_per_s: Math.round(opened.ok / (opened.ms / 1000)),
      server_cpu_us_per_setup: +((cpu * 1e6) / Math.max(1, opened.ok)).toFixed(1),
      rss_mb_before: +(st0.rss_kb / 1024).toFixed(1), rss_mb_after: +(st1.rss_kb / 1024).toFixed(1),
      rss_kb_per_connection: +((st1.rss_kb - st0.rss_kb) / Math.max(1, opened.ok)).toFixed(1),
      live_heap_mb_before: heap0 === null ? null : +(heap0 / 1024).toFixed(1),
      live_heap_mb_after: heap1 === null ? null : +(heap1 / 1024).toFixed(1),
      heap_kb_per_connection: heap0 === null ? null : +((heap1 - heap0) / Math.max(1, opened.ok)).toFixed(2),
      threads: st1.threads,
    };
  } finally {
    await workers.close();
    await stopServer(server);
  }
}

function clusterSupported() {
  const r = spawnSync('unzip', ['-l', JAR], { maxBuffer: 256 * 1024 * 1024 });
  return r.status === 0 && /io\/herald\/cluster\//.test(r.stdout.toString());
}

async function cluster(subs) {
  if (!clusterSupported()) {
    return { server: 'herald', pending: 'this build has no io.herald.cluster (Redis broker): HERALD_REDIS_URL unsupported' };
  }
  const redisPort = nextPort++;
  const redis = spawn('redis-server', ['--port', String(redisPort), '--save', '', '--appendonly', 'no',
    '--bind', '127.0.0.1'], { stdio: 'ignore' });
  await waitPort(redisPort);
  const env = { HERALD_REDIS_URL: `redis://127.0.0.1:${redisPort}` };
  const a = await startServer('herald', env);
  const b = await startServer('herald', env);
  const workers = new Workers(WORKERS);
  try {
    const topic = 'bench.cluster';
    const opened = await workers.open([a.url, b.url], subs, { topic, reportDone: true });
    if (opened.failed) {
      throw new Error(`${opened.failed} of ${subs} subscribers could not connect`);
    }
    const pub = new Publisher(a.url, { topics: [topic], window: WINDOW });
    pub.subscribersPerMessage = subs + 1;
    await pub.connect(topic);
    workers.onAllDone = (seq) => pub.allHave(seq);
    const r = await drive([a, b], workers, pub, {});
    pub.close();
    r.redis_cpu_cores = undefined;
    return { server: 'herald x2 + redis', subscribers: subs, window: WINDOW, ...r };
  } finally {
    await workers.close();
    await stopServer(a);
    await stopServer(b);
    redis.kill('SIGKILL');
  }
}

// ------------------------------------------------------------------ main

function order(round) {
  return round % 2 === 0 ? SERVERS : [...SERVERS].reverse();
}

function median(xs) {
  const s = xs.filter((x) => typeof x === 'number' && isFinite(x)).sort((p, q) => p - q);
  if (!s.length) {
    return null;
  }
  const m = s.length >> 1;
  return +(s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2).toFixed(3);
}

/** The pairs compared (C.pairs), each figure over the other's round by round (same run), and their median. */
function ratios(runs, key) {
  const out = {};
  for (const [a, b] of C.pairs(SERVERS)) {
    const per = [];
    for (let r = 0; r < ROUNDS; r++) {
      const x = runs.find((y) => y.server === a && y.round === r);
      const y = runs.find((z) => z.server === b && z.round === r);
      if (x && y && x[key] && y[key]) {
        per.push(+(x[key] / y[key]).toFixed(3));
      }
    }
    out[`${a}_over_${b}`] = { per_round: per, median: median(per) };
  }
  return out;
}

function machine() {
  const lscpu = spawnSync('lscpu').stdout?.toString() || '';
  const model = (lscpu.match(/Model name:\s+(.*)/) || [])[1];
  const java = spawnSync(JAVA, ['-version']).stderr.toString().split('\n')[0];
  return { nproc: os.cpus().length, cpu: model, mem_gb: +(os.totalmem() / 2 ** 30).toFixed(1),
    kernel: os.release(), node: process.version, java, loadavg_at_start: os.loadavg().map((x) => +x.toFixed(2)) };
}

async function main() {
  const results = { started: new Date().toISOString(), quick: QUICK, rounds: ROUNDS, warmup_s: WARM, measure_s: MEASURE,
    window: WINDOW, workers: WORKERS, java_opts: JAVA_OPTS.join(' '), machine: machine(), scenarios: {} };
  const save = () => {
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, JSON.stringify(results, null, 2));
  };
  const sizes = (QUICK ? '1000' : opt('fanout', '1000,5000')).split(',').map(Number);
  const runScenario = async (key, fn, ratioKeys) => {
    const runs = [];
    results.scenarios[key] = { runs };
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of order(round)) {
        log(`${key} round ${round + 1}/${ROUNDS}: ${kind}`);
        try {
          const r = await fn(kind);
          r.round = round;
          r.loadavg_1m = +os.loadavg()[0].toFixed(2); // the machine is shared: say how busy it was
          runs.push(r);
          log(JSON.stringify(r));
        } catch (e) {
          log(`${key} ${kind} failed: ${e.stack}`);
          runs.push({ server: kind, round, error: String(e.message) });
        }
        save();
      }
    }
    results.scenarios[key].ratios = Object.fromEntries(ratioKeys.map((k) => [k, ratios(runs, k)]));
    save();
  };
  for (const sc of SCENARIOS) {
    if (sc === 'a') {
      for (const n of sizes) {
        await runScenario(`a_fanout_${n}`, (kind) => fanout(kind, n), ['delivered_per_s', 'server_cpu_us_per_delivery']);
      }
    } else if (sc === 'b') {
      await runScenario(`b_latency_1000_at_${RATE}`, (kind) => fanout(kind, 1000, { rate: RATE, measure: QUICK ? 5 : 20 }),
        ['server_cpu_us_per_delivery']);
    } else if (sc === 'c') {
      await runScenario(`c_idle_${QUICK ? 2000 : 10000}`, (kind) => idle(kind, QUICK ? 2000 : 10000),
        ['rss_kb_per_connection', 'setup_per_s']);
    } else if (sc === 'd') {
      await runScenario(`d_topics_${QUICK ? 2000 : 10000}`, (kind) => manyTopics(kind, QUICK ? 2000 : 10000),
        ['delivered_per_s', 'server_cpu_us_per_delivery']);
    } else if (sc === 'e') {
      const r = await cluster(1000);
      log(JSON.stringify(r));
      results.scenarios.e_cluster_1000 = { runs: [r] };
      save();
    }
  }
  results.finished = new Date().toISOString();
  save();
  log('results in ' + OUT);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
