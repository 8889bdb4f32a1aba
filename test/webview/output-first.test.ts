// Output first, in headless Chromium: once a run starts, its tokens are on screen without scrolling
// (a full window and half of a wide one), the prompt section folds away and stays folded across a
// reload, stats and charts sit below the tokens, and colouring controls show only in the token view.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { promptState, tidesRun } from './fixtures';
import { openPanel, startBrowser, stopBrowser, type PanelPage } from './page';

before(startBrowser);
after(stopBrowser);

async function startRun(panel: PanelPage): Promise<void> {
  await panel.post({ type: 'snapshot', activeRunId: '', runs: [], prompt: promptState({ topic: 'tides' }) });
  assert.equal(
    await panel.page.locator('details.prompt').evaluate((d) => (d as HTMLDetailsElement).open),
    true,
    'the form is open before a run',
  );
  const running = tidesRun('r1');
  running.status = 'running';
  await panel.post({ type: 'snapshot', activeRunId: 'r1', runs: [running], prompt: promptState({ topic: 'tides' }) });
}

const firstChipInView = (panel: PanelPage): Promise<boolean> =>
  panel.page.$eval('.tok[data-index="0"]', (e) => {
    const r = e.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
  });

for (const [width, height, what] of [
  [1280, 800, 'a 1280×800 window'],
  [800, 1000, 'half of a 1600×1000 window'],
] as const) {
  test(`after a run starts in ${what}, the first token is on screen without scrolling`, async () => {
    const panel = await openPanel(width, height);
    await startRun(panel);
    assert.equal(await panel.page.evaluate(() => window.scrollY), 0);
    assert.equal(await firstChipInView(panel), true, 'the first token chip lies inside the viewport');
    const order = await panel.page.evaluate(() =>
      ['.output', '.stats-bar', '.charts'].map((s) => document.querySelector(s)!.getBoundingClientRect().top),
    );
    assert.ok(order[0]! < order[1]! && order[1]! < order[2]!, `stats and charts come after the tokens: ${order.join(', ')}`);
    await panel.close();
  });
}

test('the prompt section folds when a run starts and stays folded after a reload; the user can open it again', async () => {
  const panel = await openPanel(1280, 800);
  await startRun(panel);
  assert.equal(await panel.page.locator('details.prompt').evaluate((d) => (d as HTMLDetailsElement).open), false);
  const saved = await panel.page.evaluate(() => (window as unknown as { __state: { promptOpen?: boolean } }).__state);
  assert.equal(saved.promptOpen, false);
  await panel.close();
  const reloaded = await openPanel(1280, 800, saved);
  await reloaded.post({ type: 'snapshot', activeRunId: 'r1', runs: [tidesRun('r1')], prompt: promptState({ topic: 'tides' }) });
  assert.equal(
    await reloaded.page.locator('details.prompt').evaluate((d) => (d as HTMLDetailsElement).open),
    false,
    'still folded after the reload',
  );
  await reloaded.page.click('details.prompt > summary');
  // A snapshot of a run the panel already knows does not fold the form again.
  await reloaded.post({ type: 'snapshot', activeRunId: 'r1', runs: [tidesRun('r1')], prompt: promptState({ topic: 'tides' }) });
  assert.equal(await reloaded.page.locator('details.prompt').evaluate((d) => (d as HTMLDetailsElement).open), true);
  await reloaded.close();
});

test('a run that finished before the panel saw it running still folds the form: the output comes first', async () => {
  const panel = await openPanel(1280, 800);
  await panel.post({ type: 'snapshot', activeRunId: '', runs: [], prompt: promptState({ topic: 'tides' }) });
  // A fast model: the first snapshot that names the run already has it completed.
  await panel.post({ type: 'snapshot', activeRunId: 'r1', runs: [tidesRun('r1')], prompt: promptState({ topic: 'tides' }) });
  assert.equal(await panel.page.locator('details.prompt').evaluate((d) => (d as HTMLDetailsElement).open), false);
  assert.equal(await firstChipInView(panel), true);
  await panel.close();
});

test('the colour control and legend show only in the token view', async () => {
  const panel = await openPanel(1280, 800);
  await panel.post({ type: 'snapshot', activeRunId: 'r1', runs: [tidesRun('r1')] });
  assert.equal(await panel.page.locator('.output-head .colour select').isVisible(), true);
  assert.equal(await panel.page.locator('.topbar .colour').count(), 0, 'not in the top bar');
  await panel.page.click('button.view[data-view="text"]');
  assert.equal(await panel.page.locator('.colour select').isVisible(), false);
  assert.equal(await panel.page.locator('.legend').isVisible(), false);
  await panel.page.click('button.view[data-view="tokens"]');
  assert.equal(await panel.page.locator('.legend').isVisible(), true);
  await panel.close();
});
