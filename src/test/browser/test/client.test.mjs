// herald.js's own logic, against a scripted WebSocket: close codes, backoff, resume, the
// watchdog, request matching. Every server behaviour here is one the protocol allows, including
// those the real server cannot be made to show on demand (4000, 4001, 1009…).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { ChatRoom, Herald, HeraldError } from '../../../main/webapp/herald.js';

const URL_PUSH = 'ws://herald.test/herald/ws/push';
/** The scripted welcome's user, and the private topic herald.js subscribes it to for `notification`. */
const GUEST = 'guest-test';
const OWN = `user:${GUEST}`;

/** A WebSocket class whose instances the test plays the server for. */
function scriptedServer() {
  const sockets = [];
  class ScriptedSocket extends EventTarget {
    constructor(url) {
      super();
      this.url = url;
      this.sent = [];
      this.readyState = 0;
      this.closedByClient = null;
      sockets.push(this);
    }

    send(text) {
      if (this.readyState !== 1) throw new Error('not open');
      this.sent.push(JSON.parse(text));
    }

    close(code, reason) {
      this.closedByClient = { code, reason };
      if (this.readyState === 3) return;
      this.readyState = 3;
      setTimeout(() => this.#fire('close', { code: 1005, reason: '', wasClean: true }));
    }

    // the server's side
    open(welcome = {}) {
      this.readyState = 1;
      this.#fire('open');
      this.receive({ type: 'welcome', session: `s${sockets.indexOf(this)}`, user: GUEST, node: 'n', heartbeat: 60000, ...welcome });
    }

    receive(frame) {
      this.#fire('message', { data: JSON.stringify(frame) });
    }

    /** A failed handshake as Node 20's experimental WebSocket reports it: error, and no close ever. */
    failWithoutClose() {
      this.#fire('error');
    }

    drop(code, reason = '') {
      this.readyState = 3;
      this.#fire('close', { code, reason, wasClean: code !== 1006 });
    }

    frames(type) {
      return this.sent.filter((f) => f.type === type);
    }

    /** The frames about the application's topics: without the automatic subscription to the user's own. */
    appFrames(type) {
      return this.frames(type).filter((f) => f.topic !== OWN);
    }

    #fire(type, props = {}) {
      this.dispatchEvent(Object.assign(new Event(type), props));
    }
  }
  return { WebSocket: ScriptedSocket, sockets };
}

async function until(probe, message, timeout = 5000) {
  const deadline = Date.now() + timeout;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const clients = [];
function client(Type, options, url = URL_PUSH) {
  const c = new Type(url, { initialDelay: 5, maxDelay: 20, ...options });
  clients.push(c);
  return c;
}

afterEach(() => {
  while (clients.length) clients.pop().close();
});

/** A connected Herald on a scripted server, with one subscription answered at `seq` in `epoch`. */
async function subscribedClient({ topic = 't', seq = 5, epoch = 'e1', ...options } = {}) {
  const server = scriptedServer();
  const herald = client(Herald, { WebSocket: server.WebSocket, ...options });
  const got = [];
  herald.subscribe(topic, (m) => got.push(m.seq));
  await until(() => server.sockets.length === 1, 'a socket');
  const socket = server.sockets[0];
  socket.open();
  const [subscribe] = socket.frames('subscribe');
  assert.deepEqual({ ...subscribe, id: undefined }, { type: 'subscribe', topic, id: undefined }, 'a first subscribe has no since');
  socket.receive({ type: 'subscribed', topic, seq, epoch, recovered: true, id: subscribe.id });
  return { server, herald, socket, got };
}

function message(topic, seq, data = seq) {
  return { type: 'message', topic, seq, id: `m${seq}`, time: Date.now(), from: 'server', data };
}

describe('token', () => {
  test('a string token is sent as access_token; none means no parameter', async () => {
    const server = scriptedServer();
    client(Herald, { WebSocket: server.WebSocket, token: 'a b&c' });
    client(Herald, { WebSocket: server.WebSocket });
    await until(() => server.sockets.length === 2, 'two sockets');
    assert.equal(new URL(server.sockets[0].url).searchParams.get('access_token'), 'a b&c');
    assert.equal(new URL(server.sockets[1].url).search, '');
  });

  test('a token function is called again for every connection, told why', async () => {
    const server = scriptedServer();
    const reasons = [];
    client(Herald, { WebSocket: server.WebSocket, token: async ({ reason }) => { reasons.push(reason); return `tok-${reasons.length}`; } });
    await until(() => server.sockets.length === 1, 'a socket');
    server.sockets[0].open();
    server.sockets[0].drop(1006);
    await until(() => server.sockets.length === 2, 'a reconnect');
    assert.equal(new URL(server.sockets[1].url).searchParams.get('access_token'), 'tok-2');
    server.sockets[1].open();
    server.sockets[1].drop(4001, 'token expired');
    await until(() => server.sockets.length === 3, 'a reconnect after 4001');
    assert.equal(new URL(server.sockets[2].url).searchParams.get('access_token'), 'tok-3');
    assert.deepEqual(reasons, ['connect', 'reconnect', 'expired']);
  });

  test('the token function is told when the last handshake failed, and which token it used', async () => {
    const server = scriptedServer();
    const calls = [];
    const herald = client(Herald, { WebSocket: server.WebSocket, token: async (context) => { calls.push(context); return `tok-${calls.length}`; } });
    await until(() => server.sockets.length === 1, 'a socket');
    server.sockets[0].drop(1006); // before open: how a browser sees a 401
    await until(() => server.sockets.length === 2, 'a second try');
    server.sockets[1].open();
    assert.equal(herald.state, 'connected');
    assert.deepEqual(calls, [{ reason: 'connect', previous: undefined }, { reason: 'refused', previous: 'tok-1' }]);
  });

  test('a reconnect() while the token is being fetched makes one socket, not two', async () => {
    const server = scriptedServer();
    let release;
    let calls = 0;
    const herald = client(Herald, {
      WebSocket: server.WebSocket,
      token: () => { calls++; return calls === 1 ? new Promise((resolve) => { release = resolve; }) : `tok-${calls}`; },
    });
    await until(() => release, 'the first token call');
    herald.reconnect();
    await until(() => server.sockets.length === 1, 'the reconnect\'s socket');
    release('tok-late');
    server.sockets[0].open();
    await new Promise(setImmediate); // every microtask has run: the late token's continuation too
    assert.equal(server.sockets.length, 1);
    assert.equal(new URL(server.sockets[0].url).searchParams.get('access_token'), 'tok-2');
    assert.equal(herald.state, 'connected');
  });

  test('4001 reconnects at once with a fresh token', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket, token: () => 'fresh', initialDelay: 60_000, maxDelay: 60_000 });
    const states = [];
    herald.on('state', (state, detail) => states.push({ state, ...detail }));
    await until(() => server.sockets.length === 1, 'a socket');
    server.sockets[0].open();
    server.sockets[0].drop(4001, 'token expired');
    assert.deepEqual(states.at(-1), { state: 'reconnecting', code: 4001, reason: 'token expired', attempt: 1, delay: 0 });
    await until(() => server.sockets.length === 2, 'an immediate reconnect despite a 60 s backoff');
  });

  test('4001 with a fixed token stops: the same token cannot work again', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket, token: 'fixed' });
    const errors = [];
    herald.on('error', (e) => errors.push(e));
    await until(() => server.sockets.length === 1, 'a socket');
    server.sockets[0].open();
    server.sockets[0].drop(4001, 'token expired');
    assert.equal(herald.state, 'closed');
    assert.equal(errors[0].code, 'token_expired');
  });

  test('a failing token function is retried with backoff', async () => {
    const server = scriptedServer();
    let calls = 0;
    const herald = client(Herald, { WebSocket: server.WebSocket, token: async () => { if (++calls < 3) throw new Error('auth down'); return 'ok'; } });
    const errors = [];
    herald.on('error', (e) => errors.push(e.code));
    await until(() => server.sockets.length === 1, 'a socket once the token function works');
    assert.equal(calls, 3);
    assert.deepEqual(errors, ['token_failed', 'token_failed']);
  });
});

describe('close codes', () => {
  for (const code of [1003, 1007, 1008, 1009]) {
    test(`${code} stops and reports, without reconnecting`, async () => {
      const server = scriptedServer();
      const herald = client(Herald, { WebSocket: server.WebSocket });
      const errors = [];
      const states = [];
      herald.on('error', (e) => errors.push(e));
      herald.on('state', (state, detail) => states.push([state, detail.code]));
      const publishing = herald.publish('t', 1);
      await until(() => server.sockets.length === 1, 'a socket');
      server.sockets[0].open();
      server.sockets[0].drop(code, 'refused');
      assert.equal(herald.state, 'closed');
      assert.deepEqual(states.at(-1), ['closed', code]);
      assert.equal(errors.length, 1);
      assert.ok(errors[0] instanceof HeraldError);
      assert.equal(errors[0].code, 'closed_by_server');
      assert.equal(errors[0].closeCode, code);
      await assert.rejects(publishing, (e) => e.code === 'disconnected' || e.code === 'closed');
      await assert.rejects(herald.publish('t', 2), { code: 'closed' });
      // a reconnect would have come after at most maxDelay (20 ms)
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(server.sockets.length, 1);
    });
  }

  for (const [code, reason] of [[1001, 'going away'], [1006, ''], [1011, 'boom'], [4000, 'slow consumer']]) {
    test(`${code} reconnects and resumes`, async () => {
      const { server, herald, socket } = await subscribedClient();
      const states = [];
      herald.on('state', (state, detail) => states.push([state, detail.code, detail.reason]));
      socket.receive(message('t', 6));
      socket.drop(code, reason);
      assert.deepEqual(states[0], ['reconnecting', code, reason]);
      await until(() => server.sockets.length === 2, 'a new socket');
      server.sockets[1].open();
      assert.deepEqual(server.sockets[1].appFrames('subscribe').map(({ topic, since, epoch }) => ({ topic, since, epoch })),
        [{ topic: 't', since: 6, epoch: 'e1' }]);
      assert.equal(herald.state, 'connected');
    });
  }
});

describe('failed attempts', () => {
  test('an error with no close after it (Node 20) still leads to the next try', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket });
    const states = [];
    herald.on('state', (state, detail) => states.push([state, detail.code]));
    await until(() => server.sockets.length === 1, 'a socket');
    server.sockets[0].failWithoutClose();
    await until(() => server.sockets.length === 2, 'a second try');
    assert.deepEqual(states.slice(-1), [['reconnecting', 1006]]);
  });

  test('an attempt without a welcome is given up after connectTimeout', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket, connectTimeout: 50 });
    const states = [];
    herald.on('state', (state, detail) => states.push([state, detail.code]));
    await until(() => server.sockets.length === 2, 'a second try');
    assert.deepEqual(states.slice(-1), [['reconnecting', 4003]]);
    assert.ok(server.sockets[0].closedByClient);
  });
});

describe('refused handshakes', () => {
  test('back off like any failure, say so in the state, and report once after 3 in a row', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket, initialDelay: 10, maxDelay: 40 });
    const tries = [];
    const errors = [];
    herald.on('state', (state, detail) => { if (state === 'reconnecting') tries.push(detail); });
    herald.on('error', (e) => errors.push(e));
    for (let i = 0; i < 5; i++) {
      await until(() => server.sockets.length === i + 1, `socket ${i + 1}`);
      server.sockets[i].drop(1006); // a 401 or 403: the browser shows no status, only 1006 before open
    }
    await until(() => server.sockets.length === 6, 'socket 6');
    assert.deepEqual(tries.map((t) => [t.attempt, t.refused, t.failures, t.code]),
      [[1, true, 1, 1006], [2, true, 2, 1006], [3, true, 3, 1006], [4, true, 4, 1006], [5, true, 5, 1006]]);
    const steps = [10, 20, 40, 40, 40];
    tries.forEach((t, i) => assert.ok(t.delay >= steps[i] / 2 && t.delay <= steps[i], `try ${i + 1} waited ${t.delay}`));
    assert.match(tries[0].reason, /refused|unreachable/);
    assert.equal(errors.length, 1, 'reported once, not for every try');
    assert.equal(errors[0].code, 'handshake_failed');
    assert.match(errors[0].message, /401.*403/s);
    assert.equal(herald.state, 'reconnecting', 'it keeps trying');

    server.sockets[5].open();
    server.sockets[5].drop(1006); // after a welcome: a lost connection, not a refusal
    assert.deepEqual([tries.at(-1).attempt, tries.at(-1).refused, tries.at(-1).failures], [1, undefined, undefined]);
  });
});

describe('backoff', () => {
  test('grows exponentially up to the ceiling, with jitter, and starts over after a good connection', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket, initialDelay: 10, maxDelay: 40 });
    herald.on('error', () => {}); // handshake_failed, which the test above is about
    const delays = [];
    herald.on('state', (state, detail) => { if (state === 'reconnecting') delays.push([detail.attempt, detail.delay]); });
    for (let i = 0; i < 5; i++) {
      await until(() => server.sockets.length === i + 1, `socket ${i + 1}`);
      server.sockets[i].drop(1006); // refused before any welcome
    }
    await until(() => server.sockets.length === 6, 'socket 6');
    server.sockets[5].open();
    server.sockets[5].drop(1006);
    const steps = [10, 20, 40, 40, 40, 10];
    assert.deepEqual(delays.map(([attempt]) => attempt), [1, 2, 3, 4, 5, 1]);
    delays.forEach(([, delay], i) => {
      assert.ok(delay >= steps[i] / 2 && delay <= steps[i], `delay ${i + 1} is ${delay}, not within [${steps[i] / 2}, ${steps[i]}]`);
    });
  });

  test('reconnect: false stops at the first lost connection', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket, reconnect: false });
    herald.on('error', () => {});
    await until(() => server.sockets.length === 1, 'a socket');
    server.sockets[0].open();
    server.sockets[0].drop(1006);
    assert.equal(herald.state, 'closed');
  });
});

describe('resume', () => {
  test('every subscription resumes from its last seq and epoch; each message reaches the app once, in order', async () => {
    const { server, herald, socket, got } = await subscribedClient();
    const other = [];
    herald.subscribe('u', (m) => other.push(m.seq));
    const [subscribeU] = socket.frames('subscribe').filter((f) => f.topic === 'u');
    socket.receive({ type: 'subscribed', topic: 'u', seq: 0, epoch: 'eu', recovered: true, id: subscribeU.id });
    socket.receive(message('t', 6));
    socket.receive(message('t', 7));
    socket.drop(1006);
    await until(() => server.sockets.length === 2, 'a reconnect');
    const next = server.sockets[1];
    next.open();
    const resumes = next.appFrames('subscribe');
    assert.deepEqual(resumes.map(({ topic, since, epoch }) => ({ topic, since, epoch })),
      [{ topic: 't', since: 7, epoch: 'e1' }, { topic: 'u', since: 0, epoch: 'eu' }]);
    const infos = [];
    herald.on('subscribed', (frame, info) => infos.push(info));
    next.receive({ type: 'subscribed', topic: 't', seq: 9, epoch: 'e1', recovered: true, id: resumes[0].id });
    next.receive(message('t', 7)); // a repeat across the seam must not reach the app twice
    for (const seq of [8, 9, 10]) next.receive(message('t', seq));
    assert.deepEqual(got, [6, 7, 8, 9, 10]);
    assert.deepEqual(infos, [{ resumed: true, since: 7 }]);
    assert.deepEqual(herald.position('t'), { epoch: 'e1', seq: 10 });
    assert.deepEqual(other, []);
  });

  test('recovered: false is told as a gap, and the new stream is delivered from its start', async () => {
    const { server, herald, socket, got } = await subscribedClient();
    socket.receive(message('t', 6));
    const gaps = [];
    herald.on('gap', (gap) => gaps.push(gap));
    socket.drop(1001, 'going away');
    await until(() => server.sockets.length === 2, 'a reconnect');
    const next = server.sockets[1];
    next.open();
    const [resume] = next.frames('subscribe');
    next.receive({ type: 'subscribed', topic: 't', seq: 2, epoch: 'e2', recovered: false, id: resume.id });
    next.receive(message('t', 1));
    next.receive(message('t', 2));
    assert.equal(gaps.length, 1);
    assert.deepEqual({ ...gaps[0], frame: undefined },
      { topic: 't', epoch: 'e2', previousEpoch: 'e1', since: 6, frame: undefined });
    assert.deepEqual(got, [6, 1, 2]);
    next.drop(1006);
    await until(() => server.sockets.length === 3, 'another reconnect');
    server.sockets[2].open();
    const [again] = server.sockets[2].frames('subscribe');
    assert.equal(again.since, 2);
    assert.equal(again.epoch, 'e2');
  });

  test('a stored position is where the first subscribe starts', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket });
    herald.subscribe('t', () => {}, { since: 41, epoch: 'kept' });
    await until(() => server.sockets.length === 1, 'a socket');
    server.sockets[0].open();
    const [subscribe] = server.sockets[0].frames('subscribe');
    assert.equal(subscribe.since, 41);
    assert.equal(subscribe.epoch, 'kept');
  });

  test('unsubscribe ends the subscription and drops its late messages', async () => {
    const { herald, socket, got } = await subscribedClient();
    herald.unsubscribe('t');
    assert.equal(socket.frames('unsubscribe')[0].topic, 't');
    socket.receive(message('t', 6));
    assert.deepEqual(got, []);
    assert.deepEqual(herald.topics(), [OWN], 'only the notification topic is left');
  });

  test('a refused subscribe rejects ready and is reported; a rate-limited one is retried', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket });
    const errors = [];
    herald.on('error', (e) => errors.push(e));
    const bad = herald.subscribe('bad topic', () => {});
    const busy = herald.subscribe('busy', () => {});
    await until(() => server.sockets.length === 1, 'a socket');
    const socket = server.sockets[0];
    socket.open();
    const [badFrame, busyFrame] = socket.appFrames('subscribe');
    socket.receive({ type: 'error', code: 'bad_request', message: 'bad topic name', id: badFrame.id, topic: 'bad topic' });
    socket.receive({ type: 'error', code: 'rate_limited', message: 'slow down', id: busyFrame.id, topic: 'busy' });
    await assert.rejects(bad.ready, { code: 'bad_request' });
    assert.deepEqual(errors.map((e) => e.code), ['bad_request']);
    await until(() => socket.appFrames('subscribe').length === 3, 'a second subscribe to busy');
    const retry = socket.appFrames('subscribe')[2];
    assert.equal(retry.topic, 'busy');
    socket.receive({ type: 'subscribed', topic: 'busy', seq: 0, epoch: 'b', recovered: true, id: retry.id });
    assert.equal((await busy.ready).epoch, 'b');
  });
});

describe('notifications', () => {
  /** A connected Herald whose own `user:` subscription the scripted server has answered at `seq`. */
  async function notifiedClient({ seq = 3, epoch = 'ue1', ...options } = {}) {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket, ...options });
    const notes = [];
    herald.on('notification', (m) => notes.push(m.seq));
    await until(() => server.sockets.length === 1, 'a socket');
    const socket = server.sockets[0];
    socket.open();
    const own = socket.frames('subscribe').filter((f) => f.topic === OWN);
    assert.equal(own.length, 1, 'one subscribe to the user\'s own topic, made by herald.js after the welcome');
    assert.equal(own[0].since, undefined, 'live from now on the first connection');
    socket.receive({ type: 'subscribed', topic: OWN, seq, epoch, recovered: true, id: own[0].id });
    return { server, herald, socket, notes };
  }

  test('after the welcome herald.js subscribes to user:{welcome.user} and delivers its messages to `notification`', async () => {
    const { herald, socket, notes } = await notifiedClient();
    assert.deepEqual(herald.topics(), [OWN]);
    socket.receive(message(OWN, 4, { text: 'your order shipped' }));
    socket.receive(message(OWN, 5));
    socket.receive(message('someone.else', 6)); // not a subscription: nothing
    assert.deepEqual(notes, [4, 5]);
    assert.deepEqual(herald.position(OWN), { epoch: 'ue1', seq: 5 });
  });

  test('it resumes after a reconnect with seq and epoch, and each notification arrives once, in order', async () => {
    const { server, herald, socket, notes } = await notifiedClient();
    const gaps = [];
    herald.on('gap', (gap) => gaps.push(gap));
    socket.receive(message(OWN, 4));
    socket.drop(1006);
    await until(() => server.sockets.length === 2, 'a reconnect');
    const next = server.sockets[1];
    next.open();
    const own = next.frames('subscribe').filter((f) => f.topic === OWN);
    assert.deepEqual(own.map(({ since, epoch }) => ({ since, epoch })), [{ since: 4, epoch: 'ue1' }], 'one resume, not a fresh subscribe');
    next.receive({ type: 'subscribed', topic: OWN, seq: 6, epoch: 'ue1', recovered: true, id: own[0].id });
    for (const seq of [4, 5, 6, 7]) next.receive(message(OWN, seq)); // 4 again across the seam
    assert.deepEqual(notes, [4, 5, 6, 7]);
    assert.deepEqual(gaps, []);
    assert.deepEqual(herald.topics(), [OWN]);
  });

  for (const when of ['before the first connection', 'in a welcome listener, as apps had to']) {
    test(`an application's own subscribe to user:{id} (${when}) shares the subscription: one subscribe per connection, each message once to each`, async () => {
      const server = scriptedServer();
      const herald = client(Herald, { WebSocket: server.WebSocket });
      const mine = [];
      const notes = [];
      if (when.startsWith('before')) {
        herald.subscribe(OWN, (m) => mine.push(m.seq));
      } else {
        let added = false;
        herald.on('welcome', (w) => {
          if (!added) herald.subscribe(`user:${w.user}`, (m) => mine.push(m.seq));
          added = true;
        });
      }
      herald.on('notification', (m) => notes.push(m.seq));
      await until(() => server.sockets.length === 1, 'a socket');
      for (let i = 0; i < 2; i++) {
        if (i === 1) {
          server.sockets[0].drop(1006);
          await until(() => server.sockets.length === 2, 'a reconnect');
        }
        const socket = server.sockets[i];
        socket.open();
        const own = socket.frames('subscribe').filter((f) => f.topic === OWN);
        assert.equal(own.length, 1, `connection ${i + 1}: one subscribe to ${OWN}, not one per interested party`);
        socket.receive({ type: 'subscribed', topic: OWN, seq: i * 10, epoch: 'ue1', recovered: true, id: own[0].id });
        socket.receive(message(OWN, i * 10 + 1));
      }
      assert.deepEqual(mine, [1, 11]);
      assert.deepEqual(notes, [1, 11]);

      // the application lets go of the topic: its listeners go, the notifications stay
      const socket = server.sockets[1];
      herald.unsubscribe(OWN);
      assert.deepEqual(socket.frames('unsubscribe'), [], 'the subscription goes on for `notification`');
      socket.receive(message(OWN, 12));
      assert.deepEqual([mine, notes], [[1, 11], [1, 11, 12]]);
      assert.deepEqual(herald.topics(), [OWN]);
    });
  }

  test('{ notifications: false } subscribes to nothing by itself; a subscribe of your own still works', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket, notifications: false });
    const notes = [];
    herald.on('notification', (m) => notes.push(m.seq));
    await until(() => server.sockets.length === 1, 'a socket');
    const socket = server.sockets[0];
    socket.open();
    assert.deepEqual(socket.frames('subscribe'), []);
    assert.deepEqual(herald.topics(), []);
    const got = [];
    herald.subscribe(OWN, (m) => got.push(m.seq));
    const [own] = socket.frames('subscribe');
    assert.equal(own.topic, OWN);
    socket.receive({ type: 'subscribed', topic: OWN, seq: 0, epoch: 'ue1', recovered: true, id: own.id });
    socket.receive(message(OWN, 1));
    assert.deepEqual(got, [1]);
    assert.deepEqual(notes, []);
  });

  test('a reconnect with a token for another user moves the notifications to the new user\'s topic', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket, token: ({ reason }) => (reason === 'connect' ? 'alice' : 'bob') });
    const notes = [];
    herald.on('notification', (m) => notes.push(`${m.topic}#${m.seq}`));
    await until(() => server.sockets.length === 1, 'a socket');
    const first = server.sockets[0];
    first.open({ user: 'alice' });
    const [alice] = first.frames('subscribe');
    assert.equal(alice.topic, 'user:alice');
    first.receive({ type: 'subscribed', topic: 'user:alice', seq: 7, epoch: 'ea', recovered: true, id: alice.id });
    first.receive(message('user:alice', 8));
    first.drop(4001, 'token expired'); // the token function now gives bob's token
    await until(() => server.sockets.length === 2, 'a reconnect');
    const second = server.sockets[1];
    second.open({ user: 'bob' });
    const subscribes = second.frames('subscribe');
    assert.deepEqual(subscribes.map(({ topic, since, epoch }) => ({ topic, since, epoch })),
      [{ topic: 'user:bob', since: undefined, epoch: undefined }], 'bob\'s topic, live; alice\'s is not bob\'s to read');
    assert.deepEqual(herald.topics(), ['user:bob']);
    second.receive({ type: 'subscribed', topic: 'user:bob', seq: 2, epoch: 'eb', recovered: true, id: subscribes[0].id });
    second.receive(message('user:alice', 9)); // cannot come from a real server; must not be delivered as bob's
    second.receive(message('user:bob', 3));
    assert.deepEqual(notes, ['user:alice#8', 'user:bob#3']);
  });

  test('a user whose id cannot make a topic name has no private topic: nothing is subscribed, nothing is reported', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket });
    const errors = [];
    herald.on('error', (e) => errors.push(e));
    await until(() => server.sockets.length === 1, 'a socket');
    server.sockets[0].open({ user: 'ann@example.com' });
    assert.deepEqual(server.sockets[0].frames('subscribe'), []);
    assert.deepEqual(errors, []);
  });

  test('a chat room does not subscribe to anything', async () => {
    const server = scriptedServer();
    client(ChatRoom, { WebSocket: server.WebSocket }, 'ws://herald.test/herald/ws/chat/lobby');
    await until(() => server.sockets.length === 1, 'a socket');
    server.sockets[0].open();
    assert.deepEqual(server.sockets[0].sent, []);
  });
});

describe('publish', () => {
  test('resolves to the ack; rejects with the server\'s error code', async () => {
    const { socket, herald } = await subscribedClient();
    const ok = herald.publish('t', { a: 1 });
    const bad = herald.publish('no good', 1);
    const [first, second] = socket.frames('publish');
    assert.deepEqual({ ...first, id: undefined }, { type: 'publish', topic: 't', data: { a: 1 }, id: undefined });
    socket.receive({ type: 'error', code: 'forbidden', message: 'not allowed', id: second.id, topic: 'no good' });
    socket.receive({ type: 'ack', id: first.id, topic: 't', seq: 6 });
    assert.deepEqual(await ok, { type: 'ack', id: first.id, topic: 't', seq: 6 });
    await assert.rejects(bad, (e) => e instanceof Error && e.code === 'forbidden' && e.topic === 'no good' && e.message === 'not allowed');
  });

  test('waits for a connection; rejects when the connection drops before the answer, or on timeout', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket });
    const early = herald.publish('t', 'early');
    await until(() => server.sockets.length === 1, 'a socket');
    server.sockets[0].open();
    assert.deepEqual(server.sockets[0].frames('publish').map((f) => f.data), ['early']);
    server.sockets[0].drop(1006);
    await assert.rejects(early, { code: 'disconnected' });
    await assert.rejects(herald.publish('t', 'late', { timeout: 30 }), { code: 'timeout' });
  });
});

describe('watchdog', () => {
  test('a connection silent for two heartbeats is dropped and replaced', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket });
    const states = [];
    herald.on('state', (state, detail) => states.push([state, detail.code]));
    await until(() => server.sockets.length === 1, 'a socket');
    const opened = Date.now();
    server.sockets[0].open({ heartbeat: 100 });
    await until(() => server.sockets.length === 2, 'a replacement socket');
    const silentFor = Date.now() - opened;
    assert.ok(silentFor >= 200, `dropped after ${silentFor} ms, before two heartbeats`);
    assert.ok(server.sockets[0].frames('ping').length >= 1, 'it pinged first');
    assert.ok(server.sockets[0].closedByClient, 'the dead socket was closed');
    assert.deepEqual(states.find(([state]) => state === 'reconnecting'), ['reconnecting', 4004]);
  });

  test('pongs keep a quiet connection alive', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket });
    await until(() => server.sockets.length === 1, 'a socket');
    const socket = server.sockets[0];
    socket.open({ heartbeat: 200 });
    let answered = 0;
    await until(() => {
      for (const ping of socket.frames('ping').slice(answered)) {
        socket.receive({ type: 'pong', id: ping.id });
        answered++;
      }
      return answered >= 5; // 5 heartbeats, more than twice the watchdog's limit
    }, 'five pings');
    assert.equal(server.sockets.length, 1);
    assert.equal(herald.state, 'connected');
  });

  /** Holds the event loop, as a busy page, a throttled background tab or a sleeping laptop does. */
  function stall(ms) {
    const until = Date.now() + ms;
    while (Date.now() < until) { /* busy */ }
  }

  test('a page whose own timers were held up pings before it judges, and keeps a connection that answers', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket });
    await until(() => server.sockets.length === 1, 'a socket');
    const socket = server.sockets[0];
    socket.open({ heartbeat: 100 });
    const pingsBefore = socket.frames('ping').length;
    stall(500); // five heartbeats without a chance to ping or to hear anything
    await until(() => socket.frames('ping').length > pingsBefore, 'a ping after the stall');
    assert.equal(herald.state, 'connected', 'not dropped for a silence that was the page\'s own');
    socket.receive({ type: 'pong' });
    assert.equal(server.sockets.length, 1);
  });

  test('after a stall, a connection that does not answer is dropped', async () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket });
    const states = [];
    herald.on('state', (state, detail) => states.push([state, detail.code]));
    await until(() => server.sockets.length === 1, 'a socket');
    server.sockets[0].open({ heartbeat: 100 });
    stall(500);
    await until(() => server.sockets.length === 2, 'a replacement socket');
    assert.deepEqual(states.find(([state]) => state === 'reconnecting'), ['reconnecting', 4004]);
  });
});

describe('robustness', () => {
  test('a listener that throws is reported and does not stop delivery', async () => {
    const { socket, herald, got } = await subscribedClient();
    const errors = [];
    herald.on('error', (e) => errors.push(e.message));
    herald.subscribe('t', (m) => { if (m.seq === 6) throw new Error('app bug'); });
    socket.receive(message('t', 6));
    socket.receive(message('t', 7));
    assert.deepEqual(got, [6, 7]);
    assert.deepEqual(errors, ['app bug']);
  });

  test('no WebSocket in the runtime is a clear error', () => {
    const saved = globalThis.WebSocket;
    globalThis.WebSocket = undefined;
    try {
      assert.throws(() => new Herald(URL_PUSH), (e) => e instanceof TypeError && /--experimental-websocket/.test(e.message));
    } finally {
      globalThis.WebSocket = saved;
    }
  });

  test('http(s) URLs become ws(s); the chat URL is derived from the push URL', () => {
    const server = scriptedServer();
    const herald = client(Herald, { WebSocket: server.WebSocket }, 'https://example.test/herald/ws/push?x=1');
    assert.equal(herald.url, 'wss://example.test/herald/ws/push?x=1');
    const room = herald.room('lobby 1');
    clients.push(room);
    assert.equal(room.url, 'wss://example.test/herald/ws/chat/lobby%201?x=1');
  });
});

describe('ChatRoom', () => {
  test('presence as set operations; messages once, even when the room replays them on reconnect', async () => {
    const server = scriptedServer();
    const room = client(ChatRoom, { WebSocket: server.WebSocket }, 'ws://herald.test/herald/ws/chat/lobby');
    const presence = [];
    const texts = [];
    room.on('presence', (p) => presence.push(p.members.join(',')));
    room.on('message', (m) => texts.push(m.data.text));
    await until(() => server.sockets.length === 1, 'a socket');
    const socket = server.sockets[0];
    socket.open();
    socket.receive({ type: 'presence', topic: 'chat.lobby', members: ['alice', 'guest-test'] });
    socket.receive({ type: 'presence', topic: 'chat.lobby', event: 'join', user: 'bob' });
    socket.receive({ type: 'presence', topic: 'chat.lobby', event: 'leave', user: 'alice' });
    socket.receive(message('chat.lobby', 1, { text: 'one' }));
    const sending = room.send({ text: 'two' });
    const [publish] = socket.frames('publish');
    assert.deepEqual(publish.data, { text: 'two' });
    assert.equal(publish.topic, undefined);
    socket.receive({ type: 'ack', id: publish.id, topic: 'chat.lobby', seq: 2 });
    assert.equal((await sending).seq, 2);
    socket.receive(message('chat.lobby', 2, { text: 'two' }));
    socket.drop(1006);
    await until(() => server.sockets.length === 2, 'a reconnect');
    server.sockets[1].open();
    server.sockets[1].receive({ type: 'presence', topic: 'chat.lobby', members: ['bob', 'guest-test'] });
    for (const [seq, t] of [[1, 'one'], [2, 'two'], [3, 'three']]) server.sockets[1].receive(message('chat.lobby', seq, { text: t }));
    assert.deepEqual(presence, ['alice,guest-test', 'alice,bob,guest-test', 'bob,guest-test', 'bob,guest-test']);
    assert.deepEqual(texts, ['one', 'two', 'three']);
    assert.deepEqual(room.members, ['bob', 'guest-test']);
  });
});
