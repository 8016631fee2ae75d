'use strict';
// A subscriber worker: opens its share of the connections, subscribes each, and checks every
// delivery's seq (gaps = loss, seq at or below the last = duplicate or reordering) and its
// publish→deliver latency. The orchestrator asks it for counters over IPC.
const WebSocket = require('ws');
const { token, nowUs, newHist, record } = require('./common');

let conns = [];
let hist = newHist();
let delivered = 0;
let gaps = 0;
let dupOrReorder = 0;
let unexpectedCloses = 0;
let closing = false;
const closeCodes = {};

const SEQ = Buffer.from('"seq":');
const T = Buffer.from('"t":');

function intAt(buf, i) {
  let v = 0;
  for (let c = buf[i]; c >= 48 && c <= 57; c = buf[++i]) {
    v = v * 10 + (c - 48);
  }
  return v;
}

// With reportDone, every seq received by all of this worker's connections is reported to the
// orchestrator, whose publisher keeps its window on what every subscriber has, not just itself.
let reportDone = false;
let expected = 0;
const counts = new Map();

function countDone(seq) {
  const n = (counts.get(seq) || 0) + 1;
  if (n >= expected) {
    counts.delete(seq);
    process.send({ ev: 'done', seq });
  } else {
    counts.set(seq, n);
  }
}

function onDelivery(c, buf) {
  // deliveries start {"type":"message", and carry the publisher's send time as data.t
  const s = buf.indexOf(SEQ, 20);
  const seq = intAt(buf, s + 6);
  if (seq === c.last + 1) {
    c.last = seq;
  } else if (seq > c.last) {
    gaps += seq - c.last - 1;
    c.last = seq;
  } else {
    dupOrReorder++;
  }
  delivered++;
  if (reportDone) {
    countDone(seq);
  }
  const t = buf.indexOf(T, s);
  if (t > 0) {
    record(hist, nowUs() - parseFloat(buf.latin1Slice(t + 4, t + 24)));
  }
}

function open(spec, i) {
  return new Promise((resolve) => {
    const n = spec.start + i;
    const topic = spec.ownTopic ? `user:u${n}` : spec.topic;
    const sub = spec.ownTopic ? `u${n}` : `sub${n}`;
    const url = spec.url + '?access_token=' + token(sub, spec.ownTopic ? null : 'sub:*');
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 30000 });
    const c = { ws, topic, last: -1, open: false };
    let done = false;
    const finish = (ok) => {
      if (!done) {
        done = true;
        resolve(ok ? c : null);
      }
    };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', topic })));
    ws.on('message', (buf) => {
      if (buf[9] === 0x6d) { // "message"
        onDelivery(c, buf);
      } else if (buf.indexOf('"subscribed"') > 0) {
        c.last = intAt(buf, buf.indexOf(SEQ) + 6);
        c.open = true;
        finish(true);
      }
    });
    ws.on('close', (code) => {
      closeCodes[code] = (closeCodes[code] || 0) + 1;
      if (!closing) {
        unexpectedCloses++;
      }
      finish(false);
    });
    ws.on('error', () => finish(false));
  });
}

async function openAll(spec) {
  const started = Date.now();
  let next = 0;
  let failed = 0;
  const lanes = [];
  for (let l = 0; l < spec.concurrency; l++) {
    lanes.push((async () => {
      while (next < spec.count) {
        const i = next++;
        const c = await open(spec, i);
        if (c) {
          conns.push(c);
        } else {
          failed++;
        }
      }
    })());
  }
  await Promise.all(lanes);
  return { ok: conns.length, failed, ms: Date.now() - started };
}

process.on('message', async (m) => {
  if (m.cmd === 'open') {
    const r = await openAll(m);
    reportDone = !!m.reportDone;
    expected = conns.length;
    process.send({ ev: 'opened', ...r });
  } else if (m.cmd === 'snap') {
    process.send({ ev: 'snap', delivered, gaps, dupOrReorder, unexpectedCloses, closeCodes, hist: Array.from(hist) });
  } else if (m.cmd === 'resetHist') {
    hist = newHist();
    process.send({ ev: 'reset' });
  } else if (m.cmd === 'final') {
    // messages the server acknowledged but this connection never got
    let missing = 0;
    for (const c of conns) {
      const latest = m.latest[c.topic] || 0;
      if (c.open && c.last < latest) {
        missing += latest - c.last;
      }
    }
    process.send({ ev: 'final', missing, delivered, gaps, dupOrReorder, unexpectedCloses, closeCodes });
  } else if (m.cmd === 'close') {
    closing = true;
    for (const c of conns) {
      c.ws.terminate();
    }
    conns = [];
    process.send({ ev: 'closed' });
  }
});
