// The page loses its connection (a TCP proxy between page and server cuts, refuses or freezes
// it, or the visitor presses "Drop connection") while messages keep being published; after the
// reconnect it must hold every message exactly once, in order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, assertAllOnceInOrder, launchBrowser, newContext, openPage, publish, pushState, shownSeqs, steadyPublisher, tcpProxy, uniqueTopic, waitFor } from './support.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test('a cut connection, refused for a while as messages keep coming, resumes with every message once, in order', async () => {
  const proxy = await tcpProxy();
  const context = await newContext(browser);
  const topic = uniqueTopic('page.cut');
  try {
    const page = await openPage(context, `${proxy.base}/herald/?topic=${topic}`);
    await page.waitForFunction((t) => window.heraldDemo?.herald.position(t)?.epoch, topic);
    const publisher = steadyPublisher(topic);
    await waitFor(async () => (await shownSeqs(page, topic)).length >= 10, { message: 'the first messages' });

    proxy.down();
    await waitFor(async () => (await pushState(page)) === 'reconnecting', { message: 'the page to notice the cut' });
    const atCut = publisher.count;
    await waitFor(() => publisher.count >= atCut + 20, { message: 'messages published during the outage' });
    proxy.up();
    await waitFor(async () => (await pushState(page)) === 'connected', { message: 'the reconnect', timeout: 30_000 });
    const atReconnect = publisher.count;
    await waitFor(() => publisher.count >= atReconnect + 10, { message: 'messages published after the reconnect' });
    const total = await publisher.stop();

    await assertAllOnceInOrder(page, topic, total);
    const log = await page.textContent('#log');
    assert.match(log, new RegExp(`resumed ${topic.replace(/\./g, '\\.')} from seq \\d+: \\d+ missed messages replayed`));
  } finally {
    await context.close();
    await proxy.close();
  }
});

test('a frozen connection (no close, no data) is noticed by the heartbeat watchdog and resumed', async () => {
  const proxy = await tcpProxy();
  const context = await newContext(browser);
  const topic = uniqueTopic('page.frozen');
  try {
    const page = await openPage(context, `${proxy.base}/herald/?topic=${topic}`);
    await page.waitForFunction((t) => window.heraldDemo?.herald.position(t)?.epoch, topic);
    const heartbeat = await page.evaluate(() => window.heraldDemo.herald.welcome.heartbeat);
    const publisher = steadyPublisher(topic);
    await waitFor(async () => (await shownSeqs(page, topic)).length >= 5, { message: 'the first messages' });

    proxy.freeze();
    await waitFor(async () => (await pushState(page)) === 'reconnecting', { message: 'the watchdog', timeout: 8 * heartbeat });
    await waitFor(async () => (await pushState(page)) === 'connected', { message: 'a new connection', timeout: 30_000 });
    const atReconnect = publisher.count;
    await waitFor(() => publisher.count >= atReconnect + 5, { message: 'messages after the reconnect' });
    const total = await publisher.stop();

    await assertAllOnceInOrder(page, topic, total);
    assert.match(await page.textContent('#log'), /nothing heard from the server/);
  } finally {
    await context.close();
    await proxy.close();
  }
});

test('"Drop connection" shows resume at work: the messages sent meanwhile are replayed', async () => {
  const context = await newContext(browser);
  const topic = uniqueTopic('page.drop');
  try {
    const page = await openPage(context, `${BASE}/herald/?topic=${topic}`);
    await page.waitForFunction((t) => window.heraldDemo?.herald.position(t)?.epoch, topic);
    await publish(topic, { text: 'message 1' });
    await waitFor(async () => (await shownSeqs(page, topic)).length === 1, { message: 'message 1' });
    await page.click('#drop');
    await waitFor(async () => (await pushState(page)) === 'reconnecting', { message: 'the drop' });
    for (let i = 2; i <= 4; i++) await publish(topic, { text: `message ${i}` });
    assert.deepEqual(await shownSeqs(page, topic), [1], 'nothing arrives while dropped');
    await waitFor(async () => (await pushState(page)) === 'connected', { message: 'the reconnect' });
    await publish(topic, { text: 'message 5' });
    await assertAllOnceInOrder(page, topic, 5);
    await page.waitForSelector(`#log li.resume:has-text("resumed ${topic} from seq 1: 3 missed messages replayed")`);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
