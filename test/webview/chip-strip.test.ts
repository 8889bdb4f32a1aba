// Both panels draw token chips through one module (src/webview/common/strip.ts): the same tokens
// give the same blocks and chips (classes, text, ARIA, roving tab stop) in the run panel and in a
// comparison cell, and the arrow keys move between them alike.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { cell, comparison, openCompare, startBrowser as startCompareBrowser, stopBrowser as stopCompareBrowser, tok } from './compare-page';
import { token, transcript } from './fixtures';
import { openPanel, startBrowser as startRunBrowser, stopBrowser as stopRunBrowser } from './page';

const root = path.resolve(__dirname, '..', '..');

before(async () => {
  await startRunBrowser();
  await startCompareBrowser();
});
after(async () => {
  await stopRunBrowser();
  await stopCompareBrowser();
});

const TEXTS: [string, number | undefined][] = [
  ['The', -0.01],
  [' tide', -0.9],
  [' turns\n', -2.5],
  ['<b>x</b>', undefined],
  ['', -0.2],
];

/** Every block and chip of the strip in `scope`, as what a reader, a screen reader and the keyboard get. */
function stripShape(page: Page, scope: string): Promise<unknown> {
  return page.$eval(`${scope} .strip:not(.thinking)`, (strip) => ({
    strip: strip.className,
    blocks: Array.from(strip.children).map((block) => ({
      tag: block.tagName,
      className: block.className,
      chips: Array.from(block.children).map((chip) => ({
        tag: chip.tagName,
        className: chip.className,
        text: chip.textContent,
        attributes: Array.from(chip.attributes)
          .map((a) => `${a.name}=${a.value}`)
          .sort(),
      })),
    })),
  }));
}

test('the run panel and a comparison cell draw the same tokens as the same chips', async () => {
  const run = await openPanel();
  await run.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [
      transcript(
        'a',
        TEXTS.map(([text, logprob]) => token(text, logprob)),
        { status: 'completed' },
      ),
    ],
  });
  const compare = await openCompare();
  await compare.post({
    type: 'snapshot',
    comparison: comparison({ cells: [cell('c0', 'default', 0, { tokens: TEXTS.map(([text, logprob]) => tok(text, logprob)) })] }),
  });
  await compare.settle();
  const inRun = await stripShape(run.page, '.output');
  const inCompare = await stripShape(compare.page, '.cell[data-col="c0"]');
  assert.deepEqual(inCompare, inRun);
  // And the shape is the one the token card and the keyboard rely on.
  const chips = (inRun as { blocks: { chips: { className: string; text: string; attributes: string[] }[] }[] }).blocks[0]!.chips;
  assert.deepEqual(
    chips.map((c) => c.className),
    ['tok p9', 'tok p4', 'tok p0 nl', 'tok', 'tok p8'],
  );
  assert.deepEqual(
    chips.map((c) => c.text),
    ['The', ' tide', ' turns↵\n', '<b>x</b>', '∅'],
  );
  assert.ok(chips[0]!.attributes.includes('tabindex=0') && chips[1]!.attributes.includes('tabindex=-1'), 'one chip is the tab stop');
  assert.ok(chips[1]!.attributes.includes('role=button') && chips[1]!.attributes.some((a) => a.startsWith('aria-label=token 2')));

  // The arrow keys and Home/End move the focus alike.
  const walk = async (page: Page, scope: string): Promise<string[]> => {
    await page.focus(`${scope} .tok[data-index="0"]`);
    const seen: string[] = [];
    for (const key of ['ArrowRight', 'ArrowRight', 'End', 'ArrowLeft', 'Home']) {
      await page.keyboard.press(key);
      seen.push(await page.evaluate(() => (document.activeElement as HTMLElement).dataset['index'] ?? ''));
    }
    return seen;
  };
  const runWalk = await walk(run.page, '.output');
  assert.deepEqual(runWalk, ['1', '2', '4', '3', '0']);
  assert.deepEqual(await walk(compare.page, '.cell[data-col="c0"]'), runWalk);
  await run.close();
  await compare.close();
});

test('chips are made in one module: no other webview file colours tokens or builds chip strips', () => {
  const dir = path.join(root, 'src', 'webview');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const colouring = files.filter((f) => /\bbucketFor\(|\bbucketOf(Logprob|Entropy)\(/.test(readFileSync(path.join(dir, f), 'utf8')));
  assert.deepEqual(colouring.map((f) => f.split(path.sep).join('/')).sort(), ['common/colour.ts', 'common/strip.ts']);
  const strips = files.filter((f) => /createElement\('div'\)[\s\S]{0,80}'chunk'/.test(readFileSync(path.join(dir, f), 'utf8')));
  assert.deepEqual(
    strips.map((f) => f.split(path.sep).join('/')),
    ['common/strip.ts'],
  );
  for (const panel of ['run/tokens.ts', 'compare/cell.ts'])
    assert.match(readFileSync(path.join(dir, panel), 'utf8'), /from '\.\.\/common\/strip'/, `${panel} uses the shared strip`);
});
