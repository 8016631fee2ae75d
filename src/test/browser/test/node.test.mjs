// herald.js in Node against the real server, with Node's own global WebSocket (Node 22+, or
// Node 20 with --experimental-websocket): the module is the same file the browser loads.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ChatRoom, Herald } from '../../../main/webapp/herald.js';
import { BASE, publish, tcpProxy, uniqueTopic, waitFor } from './support.mjs';

const PUSH = `${BASE.replace(/^http/, 'ws')}/herald/ws/push`;
const clients = [];
let proxy;

function herald(url = PUSH, options = {}) {
  const client = new Herald(url, { initialDelay: 100, maxDelay: 1000, ...options });
  clients.push(client);
  return client;
}

before(async () => {
  assert.equal(typeof globalThis.WebSocket, 'function', 'Node has a global WebSocket (Node 20: --experimental-websocket)');
  proxy = await tcpProxy();
});

after(async () => {
  for (const client of clients) client.close();
  await proxy.close();
});

test('the two-line example from docs/client.md: a Node service subscribing', async () => {
  const topic = uniqueTopic('node.example');
  const received = [];
  // docs/client.md: const herald = new Herald('ws://127.0.0.1:8080/herald/ws/push');
  //                 herald.subscribe('orders', (m) => console.log(m.seq, m.data));
  const h = herald();
  await h.subscribe(topic, (m) => received.push(m)).ready;
  const accepted = await publish(topic, { status: 'shipped' });
  await waitFor(() => received.length === 1, { message: 'the REST publish' });
  assert.equal(received[0].seq, accepted.seq);
  assert.equal(received[0].id, accepted.id);
  assert.equal(received[0].from, 'server');
  assert.deepEqual(received[0].data, { status: 'shipped' });
});

test('publish resolves to the ack; the subscriber sees its own message', async () => {
  const topic = uniqueTopic('node.publish');
  const h = herald();
  const seen = [];
  await h.subscribe(topic, (m) => seen.push(m)).ready;
  const ack = await h.publish(topic, { n: 1 });
  assert.equal(ack.type, 'ack');
  assert.equal(ack.topic, topic);
  assert.equal(ack.seq, 1);
  await waitFor(() => seen.length === 1, { message: 'the own message' });
  assert.equal(seen[0].from, h.welcome.user);
});

test('publish rejects with the server\'s error code: an invalid topic name is bad_request', async () => {
  const h = herald();
  // forbidden needs a token scope, which the server does not check yet: every guest may publish anywhere
  await assert.rejects(h.publish('not a topic!', 1), (e) => e instanceof Error && e.code === 'bad_request'
    && e.topic === 'not a topic!' && /topic/.test(e.message));
  assert.equal(h.state, 'connected', 'an error frame leaves the connection open');
});

test('the token goes in access_token, and a token function is asked again on reconnect', async () => {
  let issued = 0;
  const h = herald(`ws://127.0.0.1:${proxy.port}/herald/ws/push`, { token: async () => `node-token-${++issued}` });
  await waitFor(() => h.state === 'connected', { message: 'a connection' });
  proxy.cut();
  await waitFor(() => issued === 2 && h.state === 'connected', { message: 'a reconnect' });
  const upgrades = proxy.requests.filter((line) => line.includes('/ws/push'));
  assert.ok(upgrades.some((line) => line.includes('access_token=node-token-1')), upgrades.join('\n'));
  assert.ok(upgrades.some((line) => line.includes('access_token=node-token-2')), upgrades.join('\n'));
});

test('a cut connection resumes: every message once, in order', async () => {
  const topic = uniqueTopic('node.resume');
  const h = herald(`ws://127.0.0.1:${proxy.port}/herald/ws/push`);
  const seqs = [];
  await h.subscribe(topic, (m) => seqs.push(m.seq)).ready;
  for (let i = 1; i <= 5; i++) await publish(topic, i);
  await waitFor(() => seqs.length === 5, { message: '5 messages' });
  proxy.down();
  await waitFor(() => h.state === 'reconnecting', { message: 'the client to notice' });
  for (let i = 6; i <= 15; i++) await publish(topic, i);
  proxy.up();
  await waitFor(() => h.state === 'connected', { message: 'a reconnect', timeout: 20_000 });
  for (let i = 16; i <= 20; i++) await publish(topic, i);
  await waitFor(() => seqs.length >= 20, { message: '20 messages' });
  assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => i + 1));
});

test('a frozen (half-open) connection is noticed by the heartbeat watchdog and replaced', async () => {
  const topic = uniqueTopic('node.frozen');
  const h = herald(`ws://127.0.0.1:${proxy.port}/herald/ws/push`);
  const seqs = [];
  const states = [];
  h.on('state', (state, detail) => states.push({ state, ...detail }));
  await h.subscribe(topic, (m) => seqs.push(m.seq)).ready;
  const heartbeat = h.welcome.heartbeat;
  await publish(topic, 1);
  await waitFor(() => seqs.length === 1, { message: 'the first message' });
  const frozenAt = Date.now();
  proxy.freeze();
  await publish(topic, 2);
  await waitFor(() => states.some((s) => s.state === 'reconnecting'), { message: 'the watchdog', timeout: 6 * heartbeat });
  const noticedAfter = Date.now() - frozenAt;
  assert.equal(states.find((s) => s.state === 'reconnecting').code, 4004);
  assert.ok(noticedAfter <= 4 * heartbeat, `noticed after ${noticedAfter} ms, heartbeat ${heartbeat} ms`);
  await waitFor(() => h.state === 'connected', { message: 'a new connection' });
  await publish(topic, 3);
  await waitFor(() => seqs.length === 3, { message: 'the rest' });
  assert.deepEqual(seqs, [1, 2, 3]);
});

test('a chat room in Node: presence, messages; an invalid room name (1008) stops without retrying', async () => {
  const room = uniqueTopic('room').replace(/:/g, '-');
  const h = herald();
  const alice = h.room(room);
  const bob = new ChatRoom(`${BASE}/herald/ws/chat/${room}`);
  clients.push(alice, bob);
  const heard = [];
  alice.on('message', (m) => heard.push(m.data.text));
  await waitFor(() => alice.welcome && bob.welcome, { message: 'both in the room' });
  await waitFor(() => alice.members.includes(bob.welcome.user), { message: 'alice to see bob' });
  await bob.send({ text: 'hello from bob' });
  await waitFor(() => heard.includes('hello from bob'), { message: 'the message' });

  const bad = new ChatRoom(`${BASE}/herald/ws/chat/bad:room`, { initialDelay: 10 });
  clients.push(bad);
  const errors = [];
  bad.on('error', (e) => errors.push(e));
  await waitFor(() => bad.state === 'closed', { message: 'the refusal' });
  assert.equal(errors[0].code, 'closed_by_server');
  assert.equal(errors[0].closeCode, 1008);
});
