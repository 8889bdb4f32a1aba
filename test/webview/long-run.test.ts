// Long runs: chips in blocks that end at line breaks, drawn within a frame budget; keyboard
// navigation across blocks; recolouring and stats on runs of many thousands of tokens.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TranscriptToken } from '../../src/shared/protocol';
import { token, transcript } from './fixtures';
import { openPanel, startBrowser, stopBrowser } from './page';

before(startBrowser);
after(stopBrowser);

/** `count` tokens with a paragraph break every `paragraph` tokens. */
function prose(count: number, paragraph = 120): TranscriptToken[] {
  return Array.from({ length: count }, (_, i) =>
    token(i % paragraph === paragraph - 1 ? '.\n\n' : ` w${i}`, -((i % 10) / 5), [[' alt', -3]], i * 5),
  );
}

const lastChip = `document.querySelector('.strip:not(.thinking)').lastElementChild?.lastElementChild?.dataset.index`;

test('chips sit in blocks that close at a line break; arrow keys and End cross blocks', async () => {
  const panel = await openPanel(900, 700);
  await panel.post({ type: 'snapshot', activeRunId: 'a', runs: [transcript('a', prose(1200))] });
  await panel.page.waitForFunction(`${lastChip} === '1199'`);
  const blocks = await panel.page.$$eval('.strip:not(.thinking) > .chunk', (els) =>
    els.map((e) => ({ n: e.children.length, endsLine: (e.lastElementChild?.textContent ?? '').endsWith('\n') })),
  );
  assert.ok(blocks.length >= 3, `${blocks.length} blocks`);
  assert.ok(
    blocks.slice(0, -1).every((b) => b.endsLine && b.n >= 256 && b.n <= 1024),
    JSON.stringify(blocks),
  );
  const firstBlockEnd = String(blocks[0]!.n - 1);
  await panel.page.focus(`.tok[data-index="${firstBlockEnd}"]`);
  await panel.page.keyboard.press('ArrowRight');
  assert.equal(await panel.page.evaluate(() => (document.activeElement as HTMLElement).dataset['index']), String(blocks[0]!.n));
  await panel.page.keyboard.press('ArrowLeft');
  assert.equal(await panel.page.evaluate(() => (document.activeElement as HTMLElement).dataset['index']), firstBlockEnd);
  await panel.page.keyboard.press('End');
  assert.equal(await panel.page.evaluate(() => (document.activeElement as HTMLElement).dataset['index']), '1199');
  await panel.page.keyboard.press('Home');
  assert.equal(await panel.page.evaluate(() => (document.activeElement as HTMLElement).dataset['index']), '0');
  await panel.close();
});

test('a 30,000-token snapshot is drawn over many frames, each stopping when its time budget is spent', async () => {
  const panel = await openPanel(900, 700);
  // The page's clock advances 1 ms each time it is read, whatever the machine's load: the strip
  // checks it every few dozen chips, so a frame that respects its budget draws a bounded number
  // of chips (how fast that is on real hardware is measured in bench/panel.ts, not here).
  await panel.page.evaluate(() => {
    let now = performance.now();
    performance.now = () => (now += 1);
  });
  const tokens = prose(30_000);
  // As the host sends it: the snapshot holds the first 1,000 tokens, the rest follow as increments.
  const { stats: _finished, ...run } = transcript('a', tokens.slice(0, 1000), { status: 'running' });
  const messages: unknown[] = [{ type: 'snapshot', activeRunId: 'a', runs: [run] }];
  for (let from = 1000; from < tokens.length; from += 1000)
    messages.push({ type: 'append', runId: 'a', from, tokens: tokens.slice(from, from + 1000) });
  // Chips on screen at every animation frame, counted from before the first message arrives.
  const counts = (await panel.page.evaluate(`new Promise((resolve) => {
    const counts = [];
    const count = () => document.querySelectorAll('.strip:not(.thinking) .tok').length;
    const tick = () => { counts.push(count()); if (${lastChip} === '29999') resolve(counts); else requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    for (const m of ${JSON.stringify(messages)}) window.postMessage(m, '*');
  })`)) as number[];
  assert.equal(counts.at(-1), 30_000);
  // A snapshot is shown at once (it is what the panel restores); the increments then follow in
  // frames of at most ~1,000 chips (a budget of 8 ms, checked every 64 chips, is 512 here).
  const perFrame = counts
    .slice(1)
    .map((n, i) => ({ before: counts[i]!, added: n - counts[i]! }))
    .filter((f) => f.before >= 1000);
  const largest = Math.max(...perFrame.map((f) => f.added));
  assert.ok(largest <= 1024, `a frame drew ${largest} chips; per frame: ${perFrame.map((f) => f.added).join(' ')}`);
  assert.ok(perFrame.filter((f) => f.added > 0).length >= 29, `drawn over ${perFrame.length} frames`);
  // Stats follow the increments.
  await panel.page.waitForFunction(() => /output tokens\s*30000/.test((document.querySelector('.stats') as HTMLElement).innerText));
  await panel.close();
});

test('recolouring a long run happens a few blocks per frame and reaches every chip', async () => {
  const panel = await openPanel(900, 700);
  await panel.post({ type: 'snapshot', activeRunId: 'a', runs: [transcript('a', prose(5000))] });
  await panel.page.waitForFunction(`${lastChip} === '4999'`);
  await panel.page.selectOption('.colour select', 'off');
  await panel.page.waitForFunction(() => document.querySelectorAll('.strip .tok[class*=" p"]').length === 0);
  await panel.page.selectOption('.colour select', 'probability');
  await panel.page.waitForFunction(
    () =>
      document.querySelectorAll('.strip .tok.p9').length > 0 &&
      document.querySelector('.strip .tok[data-index="4998"]')!.className.includes(' p'),
  );
  await panel.close();
});
