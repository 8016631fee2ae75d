// herald.js in Node against the real server, with Node's own global WebSocket (Node 22+, or
// Node 20 with --experimental-websocket): the module is the same file the browser loads.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ChatRoom, Herald } from '../../../main/webapp/herald.js';
import { BASE, devToken, notify, publish, shortLivedToken, tcpProxy, uniqueTopic, waitFor } from './support.mjs';

const PUSH = `${BASE.replace(/^http/, 'ws')}/herald/ws/push`;
/** What a Node service of these tests may do: read anything, publish to node.* and chat rooms. */
const SCOPE = 'sub:* pub:node.* pub:chat.*';
const clients = [];
let proxy;
let users = 0;

/** A Herald for a user of its own, with a dev token unless the options bring a token. */
async function herald(url = PUSH, options = {}) {
  const token = 'token' in options ? options.token : await devToken(`node-${process.pid}-${++users}`, SCOPE);
  const client = new Herald(url, { initialDelay: 100, maxDelay: 1000, ...options, token });
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

test('the two-line example from docs/client.md: a Node service subscribing with a token', async () => {
  const topic = uniqueTopic('node.example');
  const received = [];
  const HERALD_TOKEN = await devToken('orders-service', SCOPE); // the service's token, from its configuration
  // docs/client.md: const herald = new Herald('ws://127.0.0.1:8080/herald/ws/push', { token: process.env.HERALD_TOKEN });
  //                 herald.subscribe('orders', (m) => console.log(m.seq, m.data));
  const h = new Herald(PUSH, { token: HERALD_TOKEN });
  clients.push(h);
  await h.subscribe(topic, (m) => received.push(m)).ready;
  const accepted = await publish(topic, { status: 'shipped' });
  await waitFor(() => received.length === 1, { message: 'the REST publish' });
  assert.equal(h.welcome.user, 'orders-service');
  assert.equal(received[0].seq, accepted.seq);
  assert.equal(received[0].id, accepted.id);
  assert.equal(received[0].from, 'backend'); // a REST publish is from its caller's sub
  assert.deepEqual(received[0].data, { status: 'shipped' });
});

test('publish resolves to the ack; the subscriber sees its own message', async () => {
  const topic = uniqueTopic('node.publish');
  const h = await herald();
  const seen = [];
  await h.subscribe(topic, (m) => seen.push(m)).ready;
  const ack = await h.publish(topic, { n: 1 });
  assert.equal(ack.type, 'ack');
  assert.equal(ack.topic, topic);
  assert.equal(ack.seq, 1);
  await waitFor(() => seen.length === 1, { message: 'the own message' });
  assert.equal(seen[0].from, h.welcome.user);
});

test('notifications: a REST push to /api/users/{user}/messages reaches `notification`, also across a cut connection', async () => {
  const user = `node-notified-${process.pid}-${Date.now().toString(36)}`;
  const h = await herald(`ws://127.0.0.1:${proxy.port}/herald/ws/push`, { token: () => devToken(user, SCOPE) });
  h.on('error', () => {}); // the refused tries while the proxy is down
  const notes = [];
  h.on('notification', (m) => notes.push(m));
  const subscribed = [];
  h.on('subscribed', (frame, info) => subscribed.push({ topic: frame.topic, ...info }));
  // a push is for the sessions subscribed when it is stored: wait until herald.js has subscribed for us
  await waitFor(() => subscribed.some((s) => s.topic === `user:${user}`), { message: 'the automatic subscription to user:' });
  assert.deepEqual(h.topics(), [`user:${user}`]);

  const first = await notify(user, { text: 'your export is ready' });
  assert.equal(first.topic, `user:${user}`);
  await waitFor(() => notes.length === 1, { message: 'the first notification' });
  assert.deepEqual({ ...notes[0], time: undefined },
    { type: 'message', topic: `user:${user}`, seq: first.seq, id: first.id, time: undefined, from: 'backend', data: { text: 'your export is ready' } });

  // pushed while the connection is down: the resume (since, epoch) brings it, once
  proxy.down();
  await waitFor(() => h.state === 'reconnecting', { message: 'the client to notice' });
  const missed = await notify(user, { text: 'pushed while offline' });
  proxy.up();
  await waitFor(() => h.state === 'connected', { message: 'a reconnect', timeout: 20_000 });
  const after = await notify(user, { text: 'after the reconnect' });
  await waitFor(() => notes.length >= 3, { message: 'the missed and the next notification' });
  assert.deepEqual(notes.map((m) => [m.seq, m.data.text]),
    [[first.seq, 'your export is ready'], [missed.seq, 'pushed while offline'], [after.seq, 'after the reconnect']]);
  const own = subscribed.filter((s) => s.topic === `user:${user}`);
  assert.deepEqual(own.slice(0, 2).map((s) => [s.resumed, s.since]), [[false, undefined], [true, first.seq]],
    'subscribed live once, then resumed from the last seq delivered');
  assert.ok(own.slice(1).every((s) => s.resumed), 'every later subscribe was a resume');
});

test('refusals reject with the server\'s error code: forbidden outside the scope, bad_request for a bad name', async () => {
  const h = await herald();
  const other = uniqueTopic('orders');
  await assert.rejects(h.publish(other, 1), (e) => e instanceof Error && e.name === 'HeraldError'
    && e.code === 'forbidden' && e.topic === other && /not allowed/.test(e.message));
  await assert.rejects(h.publish('user:someone-else', 1), { code: 'forbidden' }, 'user: topics need admin');
  await assert.rejects(h.subscribe('user:someone-else', () => {}).ready, { code: 'forbidden' });
  await assert.rejects(h.publish('not a topic!', 1), (e) => e.code === 'bad_request' && e.topic === 'not a topic!');
  // its own user: topic it may always read
  assert.equal((await h.subscribe(`user:${h.welcome.user}`, () => {}).ready).type, 'subscribed');
  assert.equal(h.state, 'connected', 'an error frame leaves the connection open');
});

test('the token goes in access_token on every connection, and a token function is asked again on reconnect', async () => {
  const issued = [];
  const h = await herald(`ws://127.0.0.1:${proxy.port}/herald/ws/push`, {
    token: async ({ reason }) => {
      issued.push({ reason, token: await devToken(`node-rotating-${process.pid}`, SCOPE) });
      return issued.at(-1).token;
    },
  });
  await waitFor(() => h.state === 'connected', { message: 'a connection' });
  proxy.cut();
  await waitFor(() => issued.length === 2 && h.state === 'connected', { message: 'a reconnect' });
  assert.deepEqual(issued.map((i) => i.reason), ['connect', 'reconnect']);
  const upgrades = proxy.requests.filter((line) => line.includes('/ws/push'));
  for (const { token } of issued) {
    assert.ok(upgrades.some((line) => line.includes(`access_token=${token}`)), upgrades.join('\n'));
  }
});

test('a handshake refused with 401 backs off, says so, and connects once the token function has a good token', async () => {
  const reasons = [];
  const h = await herald(PUSH, {
    initialDelay: 50,
    maxDelay: 400,
    token: async ({ reason }) => {
      reasons.push(reason);
      return reasons.length <= 3 ? 'not-a-jwt' : devToken(`node-recovered-${process.pid}`, SCOPE);
    },
  });
  const tries = [];
  const errors = [];
  h.on('state', (state, detail) => { if (state === 'reconnecting') tries.push(detail); });
  h.on('error', (e) => errors.push(e.code));
  await waitFor(() => h.state === 'connected', { message: 'a connection once the token is good', timeout: 20_000 });
  assert.deepEqual(reasons, ['connect', 'refused', 'refused', 'refused']);
  assert.deepEqual(tries.map((t) => [t.attempt, t.refused, t.failures]), [[1, true, 1], [2, true, 2], [3, true, 3]]);
  // backoff, not a hot loop: each try waits at least half of a doubling step
  tries.forEach((t, i) => assert.ok(t.delay >= Math.min(400, 50 * 2 ** i) / 2, `try ${i + 1} waited ${t.delay} ms`));
  assert.deepEqual(errors, ['handshake_failed']);
  assert.equal(h.welcome.user, `node-recovered-${process.pid}`);
});

test('a string token that expires ends the connection with 4001 and stops: token_expired', async () => {
  const h = await herald(PUSH, { token: await shortLivedToken(`node-short-${process.pid}`, SCOPE, 4) });
  const errors = [];
  h.on('error', (e) => errors.push(e));
  await waitFor(() => h.state === 'connected', { message: 'a connection while the token is good' });
  await waitFor(() => h.state === 'closed', { message: 'the 4001 close', timeout: 20_000 });
  assert.equal(errors[0].code, 'token_expired');
  assert.equal(errors[0].closeCode, 4001);
});

test('a cut connection resumes: every message once, in order', async () => {
  const topic = uniqueTopic('node.resume');
  const h = await herald(`ws://127.0.0.1:${proxy.port}/herald/ws/push`);
  h.on('error', () => {}); // the refused tries while the proxy is down
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
  const h = await herald(`ws://127.0.0.1:${proxy.port}/herald/ws/push`);
  const seqs = [];
  const states = [];
  h.on('state', (state, detail) => states.push({ state, ...detail }));
  await h.subscribe(topic, (m) => seqs.push(m.seq)).ready;
  const heartbeat = h.welcome.heartbeat;
  await publish(topic, 1);
  await waitFor(() => seqs.length === 1, { message: 'the first message' });
  proxy.freeze();
  await publish(topic, 2);
  await waitFor(() => states.some((s) => s.state === 'reconnecting'), { message: 'the watchdog', timeout: 6 * heartbeat });
  assert.equal(states.find((s) => s.state === 'reconnecting').code, 4004);
  await waitFor(() => h.state === 'connected', { message: 'a new connection' });
  await publish(topic, 3);
  await waitFor(() => seqs.length === 3, { message: 'the rest' });
  assert.deepEqual(seqs, [1, 2, 3]);
});

test('a chat room in Node: presence, messages; an invalid room name stops without connecting', async () => {
  const room = uniqueTopic('room').replace(/:/g, '-');
  const h = await herald();
  const alice = h.room(room);
  const bob = new ChatRoom(`${BASE}/herald/ws/chat/${room}`, { token: await devToken(`node-bob-${process.pid}`, SCOPE) });
  clients.push(alice, bob);
  const heard = [];
  alice.on('message', (m) => heard.push(m.data.text));
  await waitFor(() => alice.welcome && bob.welcome, { message: 'both in the room' });
  await waitFor(() => alice.members.includes(bob.welcome.user), { message: 'alice to see bob' });
  await bob.send({ text: 'hello from bob' });
  await waitFor(() => heard.includes('hello from bob'), { message: 'the message' });

  const bad = new ChatRoom(`${BASE}/herald/ws/chat/bad:room`, { initialDelay: 10, token: await devToken('node-bad', SCOPE) });
  clients.push(bad);
  const errors = [];
  bad.on('error', (e) => errors.push(e));
  await waitFor(() => bad.state === 'closed', { message: 'the refusal' });
  // the server refuses it before the upgrade (HTTP 400), which no browser could tell from a lost network
  assert.equal(errors[0].code, 'bad_request');
  assert.equal(bad.welcome, null);
});
