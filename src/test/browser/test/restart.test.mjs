// An in-memory server that restarts loses every stream: the page must be told (recovered: false)
// rather than silently resume in a new epoch.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, launchBrowser, newContext, openPage, publish, restartServer, uniqueTopic, waitFor } from './support.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test('a restart of the in-memory server reaches the page as recovered: false, and the new stream follows', async () => {
  const context = await newContext(browser);
  const topic = uniqueTopic('page.restart');
  try {
    const page = await openPage(context, `${BASE}/herald/?topic=${topic}`);
    await page.waitForFunction((t) => window.heraldDemo?.herald.position(t)?.epoch, topic);
    const gaps = await page.evaluateHandle(() => {
      const seen = [];
      window.heraldDemo.herald.on('gap', (gap) => seen.push({ topic: gap.topic, since: gap.since, epoch: gap.epoch,
        previousEpoch: gap.previousEpoch, recovered: gap.frame.recovered }));
      return seen;
    });
    for (let i = 1; i <= 3; i++) await publish(topic, { text: `before ${i}` });
    await page.waitForSelector(`#notifications li[data-topic="${topic}"][data-seq="3"]`);
    const before = await page.evaluate((t) => window.heraldDemo.herald.position(t), topic);
    const tickerEpoch = await page.evaluate(() => window.heraldDemo.herald.position('demo.ticker')?.epoch);

    await restartServer();

    await page.waitForSelector(`#notifications li.gap[data-topic="${topic}"][data-recovered="false"]`, { timeout: 30_000 });
    await page.waitForSelector('#push-state[data-state="connected"]');
    const told = (await gaps.jsonValue()).filter((g) => g.topic === topic);
    assert.equal(told.length, 1, JSON.stringify(told));
    assert.equal(told[0].recovered, false);
    assert.equal(told[0].since, 3);
    assert.equal(told[0].previousEpoch, before.epoch);
    assert.notEqual(told[0].epoch, before.epoch, 'a new stream has a new epoch');

    const accepted = await waitFor(() => publish(topic, { text: 'after the restart' }), { message: 'a publish on the new server' });
    assert.equal(accepted.seq, 1, 'the new stream starts again from seq 1');
    await page.waitForSelector(`#notifications li.gap[data-topic="${topic}"] + li[data-seq="1"]:has-text("after the restart")`);
    const seqs = await page.$$eval(`#notifications li[data-topic="${topic}"]`, (items) => items.map((li) => li.dataset.seq ?? 'gap'));
    assert.deepEqual(seqs, ['1', '2', '3', 'gap', '1']);
    assert.match(await page.textContent('#log'), /recovered: false/);
    // the restarted server's ticker is a new stream too, and the page follows it
    await page.waitForFunction((old) => {
      const position = window.heraldDemo.herald.position('demo.ticker');
      return position?.epoch && position.epoch !== old && position.seq > 0;
    }, tickerEpoch);
  } finally {
    await context.close();
  }
});
