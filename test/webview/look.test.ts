// Look and feel in headless Chromium: themes, codicons, reduced motion, no layout shift while
// streaming, CJK text; and the README's screenshots (light and dark) of a realistic run, saved to
// test-results/ (`npm run screenshots` copies them to docs/images/; tests never write tracked files).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { PromptState, RunTranscript } from '../../src/shared/protocol';
import { promptState, tidesRun, token, transcript } from './fixtures';
import { openPanel, startBrowser, stopBrowser, type Theme } from './page';

const root = path.resolve(__dirname, '..', '..');
const results = path.join(root, 'test-results');

before(startBrowser);
after(stopBrowser);

/** The prompt of the screenshots: the getting-started sample's two inputs. */
function shortPrompt(): PromptState {
  const prompt = promptState({ topic: 'tides' });
  prompt.form.fields = prompt.form.fields.slice(0, 2);
  prompt.form.label = 'explain.prompt';
  prompt.preview!.turns = [prompt.preview!.turns[0]!, prompt.preview!.turns[3]!];
  return prompt;
}

function withBranch(): RunTranscript[] {
  const original = tidesRun('r1');
  const branch = tidesRun('b1');
  branch.meta = { ...branch.meta, origin: { parentId: 'r1', tokenIndex: 17, alternative: ' pull' } };
  return [original, branch];
}

for (const theme of ['dark', 'light'] as const) {
  test(`screenshot (${theme}): a finished run with the alternatives of a token open`, async () => {
    const panel = await openPanel(1100, 820, undefined, theme);
    await panel.post({ type: 'snapshot', activeRunId: 'r1', runs: withBranch(), prompt: shortPrompt() });
    await panel.page.hover('.strip .tok:text-is(" gravity")');
    const rows = await panel.page.locator('.popover .alt').allInnerTexts();
    assert.ok(rows.length >= 4, 'the token has its alternatives open');
    assert.equal(await panel.page.evaluate(() => document.fonts.check('14px codicon')), true, 'the codicon font loaded');
    mkdirSync(results, { recursive: true });
    const file = path.join(results, `run-panel-${theme}.png`);
    await panel.page.screenshot({ path: file, animations: 'disabled' });
    await panel.close();
  });
}

test('themes: token colours come from the theme; high contrast draws outlines, not fills', async () => {
  const colours: Record<string, string> = {};
  for (const theme of ['dark', 'light', 'high-contrast'] as Theme[]) {
    const panel = await openPanel(900, 600, undefined, theme);
    await panel.post({ type: 'snapshot', activeRunId: 'a', runs: [transcript('a', [token('low', -3), token('high', -0.01)])] });
    const style = await panel.page.$eval('.tok.p0', (e) => ({
      bg: getComputedStyle(e).backgroundColor,
      border: getComputedStyle(e).borderBottomStyle,
    }));
    colours[theme] = style.bg;
    if (theme === 'high-contrast') {
      assert.equal(style.bg, 'rgba(0, 0, 0, 0)', 'no fill in high contrast');
      assert.equal(style.border, 'double');
    }
    await panel.close();
  }
  assert.notEqual(colours['dark'], colours['light'], 'light and dark themes give different fills');
});

test('reduced motion: the popover appears without animation', async () => {
  const panel = await openPanel(900, 600);
  await panel.page.emulateMedia({ reducedMotion: 'reduce' });
  await panel.post({ type: 'snapshot', activeRunId: 'a', runs: [transcript('a', [token('a', -0.5, [['b', -1]])])] });
  await panel.page.hover('.tok');
  assert.equal(await panel.page.$eval('.popover', (e) => getComputedStyle(e).animationName), 'none');
  await panel.page.emulateMedia({ reducedMotion: 'no-preference' });
  await panel.page.hover('.legend');
  await panel.page.hover('.tok');
  assert.equal(await panel.page.$eval('.popover', (e) => getComputedStyle(e).animationName), 'ps-pop');
  await panel.close();
});

test('no layout shift while streaming: stats, charts and the output box stay where they are', async () => {
  const panel = await openPanel(1000, 800);
  const running = tidesRun('r1');
  const all = running.tokens;
  running.tokens = [];
  running.status = 'running';
  delete running.stats;
  await panel.post({ type: 'snapshot', activeRunId: 'r1', runs: [running], prompt: shortPrompt() });
  await panel.page.evaluate(() => {
    const w = window as unknown as { __shift: number };
    w.__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number })[]) w.__shift += e.value;
    }).observe({ type: 'layout-shift', buffered: false });
  });
  const boxes = (): Promise<number[]> =>
    panel.page.evaluate(() =>
      ['.stats-bar', '.charts', '.output-head', '.output'].map((s) => document.querySelector(s)!.getBoundingClientRect().top),
    );
  await panel.post({ type: 'append', runId: 'r1', from: 0, tokens: all.slice(0, 1) });
  const before = await boxes();
  // Many lines of tokens, so the output box reaches its height limit and scrolls.
  const many = [...all, ...all, ...all, ...all, ...all, ...all];
  for (let from = 1; from < many.length; from += 20) {
    await panel.post({ type: 'append', runId: 'r1', from, tokens: many.slice(from, from + 20) });
  }
  // Stats are redrawn at most every 250 ms: wait for one redraw with the final count.
  await panel.page.waitForFunction((n) => document.querySelector('.stats')?.textContent?.includes(String(n)), many.length);
  assert.deepEqual(await boxes(), before);
  const shift = await panel.page.evaluate(() => (window as unknown as { __shift: number }).__shift);
  assert.ok(shift < 0.01, `cumulative layout shift ${shift}`);
  const output = await panel.page.$eval('.output', (e) => ({
    scrolled: e.scrollTop + e.clientHeight >= e.scrollHeight - 2,
    scrolls: e.scrollHeight > e.clientHeight,
  }));
  assert.deepEqual(output, { scrolled: true, scrolls: true }, 'the output follows the newest tokens');
  await panel.close();
});

test('CJK output: a font stack with CJK faces and room between lines', async () => {
  const panel = await openPanel(700, 500);
  const words = [
    '潮汐',
    '是由',
    '月球',
    '的引力',
    '引起的',
    '。',
    '海水',
    'は',
    '月',
    'に',
    '引',
    'かれ',
    'ます',
    '。',
    '조수',
    '는',
    ' 달',
    '의',
    ' 인력',
    '때문',
    '입니다',
  ];
  await panel.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [
      transcript(
        'a',
        words.map((w, i) => token(w, -0.1 * (i % 5), [], i * 20)),
      ),
    ],
  });
  const style = await panel.page.$eval('.strip', (e) => ({
    family: getComputedStyle(e).fontFamily,
    lineHeight: parseFloat(getComputedStyle(e).lineHeight),
    size: parseFloat(getComputedStyle(e).fontSize),
  }));
  assert.match(style.family, /Noto Sans Mono CJK SC/);
  assert.match(style.family, /Microsoft YaHei UI/);
  assert.ok(style.lineHeight / style.size >= 1.8, `line height ${style.lineHeight} for ${style.size}px`);
  const overflow = await panel.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1);
  await panel.close();
});
