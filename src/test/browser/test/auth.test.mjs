// Tokens in the browser: a token that expires during the connection (4001), a server that is not in
// dev mode, and handshakes refused with 401 or 403, which a browser sees only as a close 1006.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BASE, DEMO_SCOPE, PORT, assertAllOnceInOrder, devToken, launchBrowser, newContext, openPage, pushState,
  shortLivedToken, steadyPublisher, tcpProxy, uniqueTopic, waitFor,
} from './support.mjs';

/**
 * How long the short-lived token lives. The server closes its connections at exp plus its leeway
 * (BrowserIT sets 1 s) and within 2 s of that. The page must have connected with it before then,
 * and would otherwise just get a fresh token without a 4001: long enough for a busy machine.
 */
const SHORT_TOKEN_SECONDS = 8;

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

function uniqueUser(name) {
  return uniqueTopic(name).replace(/\./g, '-');
}

/** The page's log lines that contain `text`. */
async function logLines(page, text) {
  return page.$$eval('#log li', (items, t) => items.map((li) => li.textContent).filter((line) => line.includes(t)), text);
}

/** Chromium reports a failed handshake and a 4xx fetch on the console; anything else is a real error. */
function unexpected(errors) {
  return errors.filter((e) => !/WebSocket connection to .* failed|Failed to load resource: the server responded with a status of (401|403|404)/.test(e));
}

test('a token that expires during the connection: close 4001, a fresh token from the page\'s token function, nothing lost', async () => {
  const user = uniqueUser('expiring');
  const topic = uniqueTopic('demo.expiry');
  const context = await newContext(browser);
  const tokenRequests = [];
  // the page's first dev token is a short-lived one; the ones after it come from the server
  await context.route('**/herald/api/dev/token', async (route) => {
    const asked = route.request().postDataJSON();
    tokenRequests.push(asked);
    if (tokenRequests.length === 1) {
      const token = await shortLivedToken(asked.user, asked.scope, SHORT_TOKEN_SECONDS);
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ token }) });
    } else {
      await route.continue();
    }
  });
  try {
    const page = await openPage(context, `${BASE}/herald/?user=${user}&topic=${topic}`);
    await page.waitForFunction((t) => window.heraldDemo?.herald.position(t)?.epoch, topic);
    const firstSessions = await page.evaluate(() => [window.heraldDemo.herald.welcome.session, window.heraldDemo.room.welcome?.session]);
    const publisher = steadyPublisher(topic);

    // the server ends both connections with 4001; herald.js asks the token function again at once
    await waitFor(async () => {
      const closes = await logLines(page, 'after close 4001 "token expired"');
      return closes.some((line) => line.includes('push: reconnecting')) && closes.some((line) => line.includes('chat: reconnecting'));
    }, { message: 'both connections to close with 4001', timeout: 30_000 });
    await waitFor(async () => (await pushState(page)) === 'connected'
      && await page.getAttribute('#chat-state', 'data-state') === 'connected', { message: 'both connections back' });
    const atReconnect = publisher.count;
    await waitFor(() => publisher.count >= atReconnect + 10, { message: 'messages published after the reconnect' });
    const total = await publisher.stop();

    await assertAllOnceInOrder(page, topic, total);
    const now = await page.evaluate(() => ({
      users: [window.heraldDemo.herald.welcome.user, window.heraldDemo.room.welcome.user],
      sessions: [window.heraldDemo.herald.welcome.session, window.heraldDemo.room.welcome.session],
    }));
    assert.deepEqual(now.users, [user, user], 'the same user, with a new token');
    assert.notEqual(now.sessions[0], firstSessions[0], 'a new push session');
    assert.notEqual(now.sessions[1], firstSessions[1], 'a new chat session');
    // one fresh token for both connections: whichever asked second got the one the first fetched
    assert.deepEqual(tokenRequests, [{ user, scope: DEMO_SCOPE }, { user, scope: DEMO_SCOPE }]);
    assert.equal((await logLines(page, 'the last one expired: close 4001')).length, 1);
    assert.match((await logLines(page, `resumed ${topic}`)).join('\n'), /from seq \d+: \d+ missed messages? replayed/);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('without dev mode the page says it needs a token and connects nothing; with ?token= it works', async () => {
  const context = await newContext(browser);
  let devTokenRequests = 0;
  // what a server outside dev mode answers
  await context.route('**/herald/api/dev/token', (route) => {
    devTokenRequests++;
    return route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":"not_found","message":"no such resource"}' });
  });
  try {
    const page = await openPage(context, `${BASE}/herald/`);
    await page.waitForSelector('#auth-notice[data-kind="dev-off"]');
    const notice = await page.textContent('#auth-notice');
    assert.match(notice, /This page needs a token/);
    assert.match(notice, /not in dev mode/);
    assert.match(notice, /\?token=/);
    assert.equal(await page.textContent('#push-state .label'), 'push: no token');
    assert.equal(await page.textContent('#chat-state .label'), 'chat: no token');
    assert.equal(await page.isDisabled('#chat-text'), true);
    assert.deepEqual(page.sockets, [], 'no WebSocket without a token');
    assert.equal(devTokenRequests, 1);
    assert.deepEqual(unexpected(page.errors), []);

    // an application's token in the page URL: used as is, no dev token asked for
    const carol = uniqueUser('carol');
    const token = await devToken(carol, DEMO_SCOPE);
    const given = await openPage(context, `${BASE}/herald/?token=${token}`);
    await given.waitForSelector('#push-state[data-state="connected"]');
    await given.waitForSelector('#chat-state[data-state="connected"]');
    assert.equal(await given.evaluate(() => window.heraldDemo.herald.welcome.user), carol);
    assert.equal(await given.textContent('#me'), carol);
    assert.equal(await given.isHidden('#name-form'), true, 'the token says who the visitor is');
    assert.equal(await given.evaluate(() => location.search), '', 'the token is taken out of the address bar');
    assert.match(await given.textContent('#token-info'), new RegExp(`^token from \\?token= for ${carol} `));
    assert.ok(given.sockets.every((url) => url.includes(`access_token=${token}`)), given.sockets.join('\n'));
    assert.equal(devTokenRequests, 1, 'the page did not ask for a dev token');
    assert.deepEqual(given.errors, []);
  } finally {
    await context.close();
  }
});

test('handshakes refused with 401 (bad token) and 403 (foreign origin) back off, and the page says it cannot connect', async () => {
  const proxy = await tcpProxy();
  const context = await newContext(browser);
  try {
    // 401: the demo page with a token the server cannot verify
    const page = await openPage(context, `${BASE}/herald/?token=not-a-jwt`);
    // the push connection's third refusal in a row (the chat connection's may come first)
    await page.waitForSelector('#push-state .label:has-text("push: cannot connect")', { timeout: 30_000 });
    assert.match(await page.textContent('#push-state .label'), /^push: cannot connect \(try \d+ in \d+\.\d s\)$/);
    await page.waitForSelector('#auth-notice[data-kind="refused"]');
    assert.match(await page.textContent('#auth-notice'), /Cannot connect.*\?token=/s);
    const tries = await logLines(page, 'push: reconnecting');
    assert.ok(tries.length >= 3, tries.join('\n'));
    tries.slice(0, 3).forEach((line, i) => assert.match(line, new RegExp(`\\(try ${i + 1}\\) after close 1006 "the connection closed before it opened`)));
    assert.equal((await logLines(page, 'push: handshake_failed')).length, 1, 'reported once');
    assert.deepEqual(page.sockets.filter((url) => !url.includes('access_token=not-a-jwt')), []);
    assert.deepEqual(unexpected(page.errors), []);

    // 403: a page served from another origin (the proxy's port) connecting straight to Herald with
    // a good token; by default Herald allows only pages from its own host and port
    const foreign = await openPage(context, `${proxy.base}/herald/?user=${uniqueUser('foreign')}`);
    await foreign.waitForSelector('#push-state[data-state="connected"]'); // through the proxy: same origin, fine
    await foreign.evaluate(async (port) => {
      const { Herald } = await import('/herald/herald.js');
      const token = await window.heraldDemo.token();
      const client = new Herald(`ws://127.0.0.1:${port}/herald/ws/push`, { token, initialDelay: 100, maxDelay: 400 });
      window.refused = { tries: [], errors: [], client };
      client.on('state', (state, detail) => { if (state === 'reconnecting') window.refused.tries.push(detail); });
      client.on('error', (error) => window.refused.errors.push(error.code));
    }, PORT);
    await foreign.waitForFunction(() => window.refused.tries.length >= 4, null, { timeout: 30_000 });
    const refused = await foreign.evaluate(() => {
      window.refused.client.close();
      return { tries: window.refused.tries, errors: window.refused.errors, state: window.refused.client.state };
    });
    assert.deepEqual(refused.tries.slice(0, 4).map((t) => [t.attempt, t.code, t.refused, t.failures]),
      [[1, 1006, true, 1], [2, 1006, true, 2], [3, 1006, true, 3], [4, 1006, true, 4]]);
    // backoff, not a hot loop: each try waits at least half of its doubling step
    refused.tries.slice(0, 4).forEach((t, i) => assert.ok(t.delay >= Math.min(400, 100 * 2 ** i) / 2, `try ${i + 1} waited ${t.delay} ms`));
    assert.deepEqual(refused.errors, ['handshake_failed']);
    assert.deepEqual(unexpected(foreign.errors), []);
  } finally {
    await context.close();
    await proxy.close();
  }
});
