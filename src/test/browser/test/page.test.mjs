// The demo page at /herald/ in headless Chromium: loading, chat and presence, REST publishes,
// publish() errors, and the screenshot in docs/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BASE, SCREENSHOT, launchBrowser, newContext, openPage, publish, uniqueTopic, waitFor } from './support.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** The user the page's chat connection is (a new guest per connection until authentication lands). */
async function chatUser(page) {
  await page.waitForSelector('#chat-state[data-state="connected"]');
  return page.evaluate(() => window.heraldDemo.room.welcome.user);
}

async function subscribed(page, topic) {
  await page.waitForFunction((t) => window.heraldDemo?.herald.position(t)?.epoch, topic);
}

test('the demo page loads without console errors and shows live prices', async () => {
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
    assert.match(await page.textContent('#me'), /^guest-/);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('two browser contexts chat and see each other\'s presence', async () => {
  const room = uniqueTopic('room');
  const alice = await newContext(browser);
  const bob = await newContext(browser);
  try {
    const a = await openPage(alice, `${BASE}/herald/?room=${room}`);
    const b = await openPage(bob, `${BASE}/herald/?room=${room}`);
    const userA = await chatUser(a);
    const userB = await chatUser(b);
    assert.notEqual(userA, userB);
    assert.equal(await a.textContent('#room-name'), room);

    await a.waitForSelector(`#members li[data-user="${userB}"]`);
    await b.waitForSelector(`#members li[data-user="${userA}"]`);
    await b.waitForSelector(`#members li.me[data-user="${userB}"]`);

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

    await bob.close();
    await a.waitForSelector(`#members li[data-user="${userB}"]`, { state: 'detached' });
    await a.waitForSelector(`#chat li.notice:has-text("${userB} left")`);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('a REST publish appears in the page, and so does one from the page\'s own form', async () => {
  const topic = uniqueTopic('page.rest');
  const context = await newContext(browser);
  try {
    const page = await openPage(context, `${BASE}/herald/?topic=${topic}`);
    await subscribed(page, topic);
    const accepted = await publish(topic, { text: 'from the REST API' });
    const item = await page.waitForSelector(`#notifications li[data-topic="${topic}"][data-seq="${accepted.seq}"]`);
    assert.equal(await item.getAttribute('data-id'), accepted.id);
    assert.equal(await item.$eval('.text', (e) => e.textContent), 'from the REST API');
    assert.match(await item.$eval('.time', (e) => e.textContent), /^server · /);

    await page.fill('#notify-text', 'from the form');
    await page.click('#notify-form button[type=submit]');
    await page.waitForSelector(`#notifications li[data-topic="${topic}"][data-seq="2"]:has-text("from the form")`);
    assert.match(await page.textContent('#notify-result'), /202: stored in .* as seq 2/);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('publish() rejects with the server\'s error code', async () => {
  const context = await newContext(browser);
  try {
    const page = await openPage(context, `${BASE}/herald/`);
    // `forbidden` needs token scopes, which the server does not check yet; an invalid topic name
    // is the refusal it can give today, and the same code path carries every error code
    const outcome = await page.evaluate(async () => {
      const { Herald } = await import('/herald/herald.js');
      const herald = new Herald();
      try {
        const ack = await herald.publish('not a topic!', { x: 1 });
        return { resolved: ack };
      } catch (error) {
        return { isError: error instanceof Error, name: error.name, code: error.code, topic: error.topic, message: error.message };
      } finally {
        herald.close();
      }
    });
    assert.equal(outcome.isError, true, JSON.stringify(outcome));
    assert.equal(outcome.name, 'HeraldError');
    assert.equal(outcome.code, 'bad_request');
    assert.equal(outcome.topic, 'not a topic!');
    assert.match(outcome.message, /topic/);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('screenshot of the demo page for docs/', async () => {
  const main = await newContext(browser);
  const other = await newContext(browser);
  try {
    const page = await openPage(main, `${BASE}/herald/`);
    const friend = await openPage(other, `${BASE}/herald/`);
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
