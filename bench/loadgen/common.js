'use strict';
// Shared by the orchestrator and its subscriber workers: tokens, a mergeable latency histogram,
// and /proc readings of a server process.
const crypto = require('crypto');
const fs = require('fs');

const SECRET = process.env.HERALD_JWT_SECRET || 'herald-bench-secret-0123456789-abcdefghijklmnop';

function b64url(buf) {
  return Buffer.from(buf).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** An HS256 JWT as Herald's auth expects it: sub, exp, scope. Minted here, not by Herald's code. */
function token(sub, scope, ttlSeconds = 3600) {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims = { sub, exp: Math.floor(Date.now() / 1000) + ttlSeconds };
  if (scope) {
    claims.scope = scope;
  }
  const body = b64url(JSON.stringify(claims));
  const sig = b64url(crypto.createHmac('sha256', SECRET).update(header + '.' + body).digest());
  return header + '.' + body + '.' + sig;
}

/** Microseconds since the epoch, comparable across processes on one machine. */
function nowUs() {
  return (performance.timeOrigin + performance.now()) * 1000;
}

// Log-linear histogram of microseconds: bucket i holds values near exp(i / 50), about 2 % apart.
const BUCKETS = 1024;
function newHist() {
  return new Float64Array(BUCKETS);
}
function record(h, us) {
  const i = us <= 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log(us) * 50));
  h[i]++;
}
function merge(into, from) {
  for (let i = 0; i < BUCKETS; i++) {
    into[i] += from[i];
  }
  return into;
}
function quantiles(h) {
  let n = 0;
  let max = 0;
  for (let i = 0; i < BUCKETS; i++) {
    n += h[i];
    if (h[i] > 0) {
      max = i;
    }
  }
  const at = (q) => {
    const target = q * n;
    let c = 0;
    for (let i = 0; i < BUCKETS; i++) {
      c += h[i];
      if (c >= target && c > 0) {
        return Math.exp((i + 0.5) / 50);
      }
    }
    return 0;
  };
  const ms = (us) => Math.round(us) / 1000;
  return { count: n, p50_ms: ms(at(0.5)), p90_ms: ms(at(0.9)), p99_ms: ms(at(0.99)), p999_ms: ms(at(0.999)),
    max_ms: n ? ms(Math.exp((max + 1) / 50)) : 0 };
}

const TICK = 100; // USER_HZ on Linux
/** CPU seconds a process has used so far in the kernel (system time). */
function sysSeconds(pid) {
  return procTimes(pid)[1];
}
/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const [user, sys] = procTimes(pid);
  return user + sys;
}
function procTimes(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(fields[11]) / TICK, Number(fields[12]) / TICK];
}
function status(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number((s.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm')) || [0, 0])[1]);
  return { rss_kb: kb('VmRSS'), threads: kb('Threads') };
}
function fds(pid) {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch (e) {
    return -1;
  }
}

/**
 * Which servers' figures are put over which in the same round: Herald (the launcher) over every
 * peer; a build over its A/B twin (payara6 over payara6-old, herald over herald-old); Herald's WAR
 * on an app server over the Node peer.
 */
function pairs(servers) {
  const out = [];
  const add = (a, b) => {
    if (servers.includes(a) && servers.includes(b) && !out.some(([x, y]) => x === a && y === b)) {
      out.push([a, b]);
    }
  };
  servers.filter((s) => s !== 'herald').forEach((s) => add('herald', s));
  servers.filter((s) => s.includes('-')).forEach((s) => add(s.split('-')[0], s));
  servers.filter((s) => /^(payara|wildfly)[^-]*$/.test(s)).forEach((s) => add(s, 'node'));
  return out;
}

module.exports = { pairs, SECRET, token, nowUs, newHist, record, merge, quantiles, cpuSeconds, sysSeconds, status, fds, BUCKETS };
