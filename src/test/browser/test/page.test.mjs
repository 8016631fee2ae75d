// The demo page at /herald/ in headless Chromium: loading with a dev token, chat and presence,
// picking a name, personal notifications, REST publishes, publish() errors, and the screenshot in docs/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BASE, DEMO_SCOPE, SCREENSHOT, launchBrowser, newContext, notify, openPage, publish, uniqueTopic, waitFor } from './support.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** The user the page's chat connection is, as the server's welcome says. */
async function chatUser(page) {
  await page.waitForSelector('#chat-state[data-state="connected"]');
  return page.evaluate(() => window.heraldDemo.room.welcome.user);
}

async function subscribed(page, topic) {
  await page.waitForFunction((t) => window.heraldDemo?.herald.position(t)?.epoch, topic);
}

/** A user name no other test uses. */
function uniqueUser(name) {
  return uniqueTopic(name).replace(/\./g, '-');
}

test('the demo page gets a dev token, loads without console errors and shows live prices', async () => {
  const context = await newContext(browser);
  try {
    const page = await openPage(context, `${BASE}/herald/`);
    assert.equal(await page.title(), 'Herald — live demo');
    await page.waitForSelector('#push-state[data-state="connected"]');
    await page.waitForSelector('#chat-state[data-state="connected"]');
    await page.waitForFunction(() => document.querySelectorAll('#ticker tbody tr').length === 5);
    const tickerSeq = () => page.evaluate(() => Number(/seq (\d+)/.exec(document.getElementById('ticker-meta').textContent)?.[1] ?? 0));
    const first = await tickerSeq();
    await waitFor(async () => (await tickerSeq()) > first, { message: 'a live tick after the first one' });
    const symbols = await page.$$eval('#ticker tbody th', (cells) => cells.map((c) => c.textContent));
    assert.deepEqual(symbols, ['HRLD', 'ACME', 'GLBX', 'INIT', 'NOVA']);
    assert.match(await page.textContent('#ticker tbody tr td.price'), /^\d+\.\d\d$/);
    // a random name by default, the same for both connections: one dev token serves both
    const me = await page.textContent('#me');
    assert.match(me, /^guest-[0-9a-f]{6}$/);
    assert.deepEqual(await page.evaluate(() => [window.heraldDemo.herald.welcome.user, window.heraldDemo.room.welcome.user]), [me, me]);
    assert.match(await page.textContent('#token-info'), new RegExp(`^dev token for ${me} · scope ${DEMO_SCOPE.replace(/\*/g, '\\*')} · valid until `));
    assert.equal(await page.isHidden('#auth-notice'), true);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('two browser contexts chat and see each other\'s presence, and get their own notifications, also after one picks another name', async () => {
  const room = uniqueTopic('room');
  const userA = uniqueUser('alice');
  const userB = uniqueUser('bob');
  const alice = await newContext(browser);
  const bob = await newContext(browser);
  try {
    const a = await openPage(alice, `${BASE}/herald/?room=${room}&user=${userA}`);
    const b = await openPage(bob, `${BASE}/herald/?room=${room}&user=${userB}`);
    assert.equal(await chatUser(a), userA);
    assert.equal(await chatUser(b), userB);
    assert.equal(await a.textContent('#room-name'), room);

    await a.waitForSelector(`#members li[data-user="${userB}"]`);
    await b.waitForSelector(`#members li[data-user="${userA}"]`);
    await b.waitForSelector(`#members li.me[data-user="${userB}"]`);

    // a back end pushes to B: herald.js subscribed B's page to user:{B} by itself
    await subscribed(b, `user:${userB}`);
    const forB = await notify(userB, { text: 'for B only' });
    await b.waitForSelector(`#notifications li[data-topic="user:${userB}"][data-id="${forB.id}"]:has-text("for B only")`);

    await b.fill('#chat-text', 'hello from B');
    await b.press('#chat-text', 'Enter');
    await a.waitForSelector(`#chat li[data-from="${userB}"]:has-text("hello from B")`);
    await b.waitForSelector(`#chat li.mine[data-from="${userB}"]:has-text("hello from B")`);

    await a.fill('#chat-text', 'hi B, A here');
    await a.click('#chat-form button[type=submit]');
    await b.waitForSelector(`#chat li[data-from="${userA}"]:has-text("hi B, A here")`);

    // each message once in each page, with its seq, in order
    for (const page of [a, b]) {
      const seqs = await page.$$eval('#chat li[data-seq]', (items) => items.map((li) => Number(li.dataset.seq)));
      assert.deepEqual(seqs, [1, 2]);
    }

    // B picks another name: both its connections come back as that user, with a token for it
    const renamed = uniqueUser('robert');
    await b.fill('#name', renamed);
    await b.press('#name', 'Enter');
    await a.waitForSelector(`#members li[data-user="${renamed}"]`);
    await a.waitForSelector(`#members li[data-user="${userB}"]`, { state: 'detached' });
    await b.waitForSelector(`#members li.me[data-user="${renamed}"]`);
    await b.waitForFunction((name) => window.heraldDemo.herald.welcome?.user === name, renamed);
    assert.equal(await b.textContent('#me'), renamed);
    // the notifications follow the new name
    await subscribed(b, `user:${renamed}`);
    assert.deepEqual(await b.evaluate(() => window.heraldDemo.herald.topics().filter((t) => t.startsWith('user:'))), [`user:${renamed}`]);
    const forRenamed = await notify(renamed, { text: 'for B under the new name' });
    await b.waitForSelector(`#notifications li[data-topic="user:${renamed}"][data-id="${forRenamed.id}"]`);
    await b.fill('#chat-text', 'B again, renamed');
    await b.press('#chat-text', 'Enter');
    await a.waitForSelector(`#chat li[data-from="${renamed}"][data-seq="3"]:has-text("B again, renamed")`);
    await b.waitForSelector(`#chat li.mine[data-seq="3"]`);
    // the room's replay on B's new connection did not repeat anything
    assert.deepEqual(await b.$$eval('#chat li[data-seq]', (items) => items.map((li) => Number(li.dataset.seq))), [1, 2, 3]);

    assert.equal(await a.$$eval('#notifications li[data-topic^="user:"]', (items) => items.length), 0, 'A got none of B\'s notifications');
    await bob.close();
    await a.waitForSelector(`#members li[data-user="${renamed}"]`, { state: 'detached' });
    await a.waitForSelector(`#chat li.notice:has-text("${renamed} left")`);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('a REST publish appears in the page; the page\'s own form publishes where its token allows, and shows a 403 elsewhere', async () => {
  const topic = uniqueTopic('demo.rest');
  const context = await newContext(browser);
  try {
    const page = await openPage(context, `${BASE}/herald/?topic=${topic}`);
    await subscribed(page, topic);
    const accepted = await publish(topic, { text: 'from the REST API' });
    const item = await page.waitForSelector(`#notifications li[data-topic="${topic}"][data-seq="${accepted.seq}"]`);
    assert.equal(await item.getAttribute('data-id'), accepted.id);
    assert.equal(await item.$eval('.text', (e) => e.textContent), 'from the REST API');
    assert.match(await item.$eval('.time', (e) => e.textContent), /^backend · /); // the REST caller's sub

    await page.fill('#notify-text', 'from the form');
    await page.click('#notify-form button[type=submit]');
    await page.waitForSelector(`#notifications li[data-topic="${topic}"][data-seq="2"]:has-text("from the form")`);
    assert.match(await page.textContent('#notify-result'), /202: stored in .* as seq 2/);

    // outside demo.*: the visitor's token may not publish there, and the page says so
    const elsewhere = uniqueTopic('orders');
    await page.fill('#notify-topic', elsewhere);
    await page.fill('#notify-text', 'not allowed');
    await page.click('#notify-form button[type=submit]');
    await page.waitForSelector('#notify-result:has-text("403 forbidden")');
    assert.match(await page.textContent('#notify-result'), new RegExp(`not allowed to publish to ${elsewhere.replace(/\./g, '\\.')}`));
    assert.equal(await page.inputValue('#notify-text'), 'not allowed', 'a refused message stays in the field');
    // the 403 is the fetch's answer, which Chromium also logs as a failed resource load
    assert.deepEqual(page.errors.filter((e) => !/status of 403/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('publish() rejects with the server\'s error code: forbidden outside the token\'s scope', async () => {
  const context = await newContext(browser);
  try {
    const page = await openPage(context, `${BASE}/herald/`);
    await page.waitForSelector('#push-state[data-state="connected"]');
    const topic = uniqueTopic('private');
    const outcome = await page.evaluate(async (t) => {
      const { herald } = window.heraldDemo;
      const describe = (error) => ({ isError: error instanceof Error, name: error.name, code: error.code, topic: error.topic, message: error.message });
      const results = {};
      for (const [name, target] of [['forbidden', t], ['userTopic', 'user:someone-else'], ['badName', 'not a topic!']]) {
        try {
          results[name] = { resolved: await herald.publish(target, { x: 1 }) };
        } catch (error) {
          results[name] = describe(error);
        }
      }
      results.allowed = await herald.publish('demo.allowed', { x: 1 });
      results.state = herald.state;
      return results;
    }, topic);
    assert.deepEqual(outcome.forbidden, { isError: true, name: 'HeraldError', code: 'forbidden', topic,
      message: `not allowed to publish to ${topic}` });
    assert.equal(outcome.userTopic.code, 'forbidden', 'user: topics need admin');
    assert.equal(outcome.badName.code, 'bad_request');
    assert.equal(outcome.allowed.type, 'ack', 'within the scope it publishes');
    assert.equal(outcome.state, 'connected', 'a refused publish leaves the connection open');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('screenshot of the demo page for docs/', async () => {
  const main = await newContext(browser);
  const other = await newContext(browser);
  try {
    const page = await openPage(main, `${BASE}/herald/?user=alice`);
    const friend = await openPage(other, `${BASE}/herald/?user=bob`);
    await subscribed(page, 'demo.notifications');
    const friendUser = await chatUser(friend);
    await page.waitForSelector(`#members li[data-user="${friendUser}"]`);
    await friend.fill('#chat-text', 'Hi! Are these prices live?');
    await friend.press('#chat-text', 'Enter');
    await page.waitForSelector('#chat li:has-text("Are these prices live?")');
    await page.fill('#chat-text', 'Every second. Press "Drop connection" and watch them catch up.');
    await page.press('#chat-text', 'Enter');
    await page.waitForSelector('#chat li.mine');
    for (const text of ['Deploy #1432 finished on production', 'Invoice 2025-118 was paid', 'Backup completed in 4 min 12 s']) {
      await publish('demo.notifications', { text });
    }
    await page.waitForFunction(() => document.querySelectorAll('#notifications li[data-seq]').length >= 3);
    await page.waitForFunction(() => document.querySelectorAll('#ticker tbody tr').length === 5);
    // as tall as the page's content: fullPage only ever extends the viewport
    await page.setViewportSize({ width: 1280, height: await page.evaluate(() => document.body.scrollHeight) });
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`# screenshot: ${SCREENSHOT}`);
    assert.deepEqual(page.errors, []);
  } finally {
    await main.close();
    await other.close();
  }
});
