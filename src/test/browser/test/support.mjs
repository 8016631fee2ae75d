// Shared by the browser tests: the server under test (started by BrowserIT), Debian's Chromium
// through playwright-core, a TCP proxy that can cut or freeze connections, and condition waits.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..', '..', '..');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: these tests run from BrowserIT `
      + '(mvn verify -Dit.test=BrowserIT), which starts Herald and sets it');
  }
  return value;
}

/** http://127.0.0.1:PORT of the Herald under test. */
export const BASE = required('HERALD_BASE_URL');
/** BrowserIT's control endpoint (restart the server, mint short-lived tokens). */
export const CONTROL = required('HERALD_CONTROL_URL');
export const CHROMIUM = process.env.HERALD_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOT = process.env.HERALD_SCREENSHOT || path.join(REPO, 'docs', 'demo.png');
export const PORT = Number(new URL(BASE).port);

/** The flags the issue asks for; Playwright adds its own (remote debugging, a fresh temp --user-data-dir). */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Chromium. launch() (not launchPersistentContext) so that each test can have several
 * isolated contexts; Playwright gives the process a fresh --user-data-dir of its own and deletes
 * it on close. TMPDIR points it into a directory this run owns, so nothing leaks between runs.
 */
export async function launchBrowser() {
  const profileRoot = await mkdtemp(path.join(tmpdir(), 'herald-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    env: { ...process.env, TMPDIR: profileRoot },
    timeout: 60_000,
  });
  browser.on('disconnected', () => rm(profileRoot, { recursive: true, force: true }));
  return browser;
}

let webappChecked = false;

/**
 * The page must come from the server itself: Chromium's Local Network Access checks block a
 * page that did not come from a loopback address (a page fulfilled by request routing, say) from
 * opening WebSockets to 127.0.0.1. The in-process server serves the classpath's /webapp/, which
 * src/test/resources/webapp (a link to src/main/webapp) puts there, as the jar does.
 */
async function requireWebapp() {
  if (webappChecked) return;
  const response = await fetch(`${BASE}/herald/herald.js`);
  const body = await response.text();
  if (!response.ok || !body.includes('export class Herald')) {
    throw new Error(`${BASE}/herald/herald.js is ${response.status}: the server under test does not serve `
      + 'src/main/webapp (is src/test/resources/webapp, a link to it, on the test classpath?)');
  }
  webappChecked = true;
}

/** A new, isolated browser context (its own cookies, storage and connections). */
export async function newContext(browser, options = {}) {
  await requireWebapp();
  return browser.newContext({ viewport: { width: 1280, height: 860 }, ...options });
}

/** Opens `url` in a new page of `context`, collecting its console errors and uncaught exceptions. */
export async function openPage(context, url) {
  const page = await context.newPage();
  page.errors = [];
  page.sockets = []; // the URL of every WebSocket the page opened
  page.on('websocket', (socket) => page.sockets.push(socket.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') page.errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.errors.push(`uncaught: ${error.message}`));
  await page.goto(url);
  return page;
}

/** Polls `probe` until it returns a truthy value; fails with `message` after `timeout` ms. */
export async function waitFor(probe, { timeout = 15_000, interval = 25, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${message} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** What the demo page asks its dev tokens for (demo.js DEMO_SCOPE). */
export const DEMO_SCOPE = 'sub:* pub:chat.* pub:demo.*';

/** A token from dev mode's POST /herald/api/dev/token (valid for an hour); no scope: the server's default. */
export async function devToken(user, scope) {
  const response = await fetch(`${BASE}/herald/api/dev/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(scope === undefined ? { user } : { user, scope }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(`POST /api/dev/token: ${response.status} ${JSON.stringify(body)} (is BrowserIT's server in dev mode?)`);
  }
  return body.token;
}

/** A token that expires `seconds` from now, minted by BrowserIT in Java (dev tokens live an hour). */
export async function shortLivedToken(user, scope, seconds) {
  const query = new URLSearchParams({ user, scope, seconds: String(seconds) });
  const response = await fetch(`${CONTROL}/token?${query}`, { method: 'POST' });
  const body = await response.text();
  if (!response.ok) throw new Error(`minting a short-lived token failed: ${response.status} ${body}`);
  return JSON.parse(body).token;
}

let backendToken;
/** What an application's back end publishes with: an admin token of its own. */
async function backend() {
  backendToken ??= devToken('backend', 'admin').catch((error) => {
    backendToken = undefined; // e.g. asked while the server restarts: ask again next time
    throw error;
  });
  return backendToken;
}

/** POST /herald/api/topics/{topic}/messages as the back end; returns the 202 body ({topic, seq, id}). */
export async function publish(topic, data) {
  const response = await fetch(`${BASE}/herald/api/topics/${encodeURIComponent(topic)}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await backend()}` },
    body: JSON.stringify(data),
  });
  const body = await response.json();
  if (response.status !== 202) throw new Error(`publish to ${topic}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** POST /herald/api/users/{user}/messages as the back end (pushing to a user needs `admin`); returns the 202 body. */
export async function notify(user, data) {
  const response = await fetch(`${BASE}/herald/api/users/${encodeURIComponent(user)}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await backend()}` },
    body: JSON.stringify(data),
  });
  const body = await response.json();
  if (response.status !== 202) throw new Error(`push to user ${user}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

// ---------------------------------------------------------------- a page's notification feed

/** Publishes to `topic` through REST at a steady pace until stopped; `count` is how many were accepted. */
export function steadyPublisher(topic) {
  const publisher = { count: 0, stopped: false };
  publisher.done = (async () => {
    while (!publisher.stopped) {
      await publish(topic, { text: `message ${publisher.count + 1}` });
      publisher.count++;
      // pacing, not synchronisation: spreads the messages over the outage and the reconnect
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  publisher.stop = async () => {
    publisher.stopped = true;
    await publisher.done;
    return publisher.count;
  };
  return publisher;
}

export async function shownSeqs(page, topic) {
  return page.$$eval(`#notifications li[data-topic="${topic}"][data-seq]`, (items) => items.map((li) => Number(li.dataset.seq)));
}

export async function pushState(page) {
  return page.getAttribute('#push-state', 'data-state');
}

export async function assertAllOnceInOrder(page, topic, total) {
  await waitFor(async () => (await shownSeqs(page, topic)).length >= total, { message: `${total} messages in the page`, timeout: 30_000 });
  const seqs = await shownSeqs(page, topic);
  assert.deepEqual(seqs, Array.from({ length: total }, (_, i) => i + 1), 'every message exactly once, in order');
  const texts = await page.$$eval(`#notifications li[data-topic="${topic}"] .text`, (items) => items.map((e) => e.textContent));
  assert.deepEqual(texts, seqs.map((seq) => `message ${seq}`));
}

/** Asks BrowserIT to stop the server and start a new in-memory one on the same port. */
export async function restartServer() {
  const response = await fetch(`${CONTROL}/restart`, { method: 'POST' });
  const body = await response.text();
  if (!response.ok) throw new Error(`restart failed: ${response.status} ${body}`);
  return body;
}

let topics = 0;
/** A topic name no other test uses (the server is shared by every test of the run). */
export function uniqueTopic(prefix) {
  return `${prefix}.${process.pid}.${Date.now().toString(36)}.${++topics}`;
}

/**
 * A TCP proxy in front of the server, so a test can take the network away from a client:
 * `cut()` resets every connection (the client sees 1006 at once), `down()` also refuses new ones
 * until `up()`, `freeze()` stops forwarding on the open connections without closing them (a
 * half-open connection, which only the client's heartbeat watchdog can notice).
 */
export async function tcpProxy(targetPort = PORT) {
  const pairs = new Set();
  const requests = [];
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    client.once('data', (chunk) => requests.push(chunk.toString('latin1').split('\r\n')[0]));
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    /** The first line of every request the proxy has forwarded (e.g. "GET /herald/ws/push?access_token=… HTTP/1.1"). */
    requests,
    get connections() {
      return pairs.size;
    },
    cut() {
      for (const { client, upstream } of [...pairs]) {
        client.resetAndDestroy();
        upstream.destroy();
      }
    },
    down() {
      refusing = true;
      this.cut();
    },
    up() {
      refusing = false;
    },
    freeze() {
      for (const { client, upstream } of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    async close() {
      this.cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
