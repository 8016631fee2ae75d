'use strict';
// The peer: what many teams would write instead of Herald — a Node `ws` server doing the same job
// (topics, one seq per topic, a message frame shaped like Herald's, an ack to the publisher) and
// nothing else. The frame is serialised once per message and sent to every subscriber as the same
// Buffer, as ws' own broadcast example does. Usage: node server.js PORT
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 8092);
const topics = new Map(); // name -> { seq, subs: Set<ws> }
let ids = 0;

function topic(name) {
  let t = topics.get(name);
  if (!t) {
    t = { seq: 0, subs: new Set() };
    topics.set(name, t);
  }
  return t;
}

const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, clientTracking: false });
wss.on('connection', (ws) => {
  const mine = new Set();
  ws.on('message', (raw, isBinary) => {
    let f;
    try {
      f = JSON.parse(raw);
    } catch (e) {
      ws.send('{"type":"error","code":"bad_request"}');
      return;
    }
    if (f.type === 'subscribe') {
      const t = topic(f.topic);
      t.subs.add(ws);
      mine.add(f.topic);
      ws.send(JSON.stringify({ type: 'subscribed', topic: f.topic, seq: t.seq, recovered: true }));
    } else if (f.type === 'publish') {
      const t = topic(f.topic);
      const seq = ++t.seq;
      const id = (++ids).toString(36).padStart(11, '0');
      const frame = Buffer.from('{"type":"message","topic":' + JSON.stringify(f.topic) + ',"seq":' + seq
        + ',"id":"' + id + '","time":' + Date.now() + ',"from":"bench","data":' + JSON.stringify(f.data) + '}');
      for (const s of t.subs) {
        s.send(frame, { binary: false });
      }
      ws.send('{"type":"ack","id":' + JSON.stringify(f.id || null) + ',"topic":' + JSON.stringify(f.topic)
        + ',"seq":' + seq + '}');
    } else if (f.type === 'ping') {
      ws.send('{"type":"pong"}');
    }
  });
  ws.on('close', () => {
    for (const name of mine) {
      const t = topics.get(name);
      if (t) {
        t.subs.delete(ws);
      }
    }
  });
  ws.on('error', () => {});
});
wss.on('listening', () => console.log('node-ws peer listening on ' + port));
