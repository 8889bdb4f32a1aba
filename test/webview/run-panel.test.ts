import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { TranscriptToken } from '../../src/shared/protocol';
import { HOSTILE, tidesRun, token, transcript } from './fixtures';
import { openPanel, startBrowser, stopBrowser } from './page';

const results = path.resolve(__dirname, '..', '..', 'test-results');

before(startBrowser);
after(stopBrowser);

test('says ready, renders a snapshot as coloured chips, then appends increments', async () => {
  const panel = await openPanel();
  await panel.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [transcript('a', [token('Hello', -0.01), token(' world', -2.3, [[' there', -0.4]])], { status: 'running' })],
  });
  const chips = await panel.page.$$eval('.strip:not(.thinking) .tok', (els) => els.map((e) => [e.textContent, e.className]));
  assert.deepEqual(
    chips.map((c) => c[0]),
    ['Hello', ' world'],
  );
  assert.match(chips[0]![1]!, /\bp9\b/);
  assert.match(chips[1]![1]!, /\bp1\b/);
  await panel.post({ type: 'append', runId: 'a', from: 2, tokens: [token('!', -0.7, [], 40)] });
  assert.equal(await panel.page.locator('.strip:not(.thinking) .tok').count(), 3);
  await panel.post({
    type: 'status',
    runId: 'a',
    status: 'completed',
    notices: [],
    stats: { wallMs: 10, doneReason: 'stop', evalRate: 30 },
  });
  assert.match(await panel.page.locator('.stats').innerText(), /30\.0/);
  assert.equal(await panel.page.locator('.stop').isHidden(), true);
  await panel.close();
});

test('a gap in increments asks the host for a fresh snapshot', async () => {
  const panel = await openPanel();
  await panel.post({ type: 'snapshot', activeRunId: 'a', runs: [transcript('a', [token('one', -0.1)], { status: 'running' })] });
  await panel.post({ type: 'append', runId: 'a', from: 5, tokens: [token('lost', -0.1)] });
  const readies = (await panel.posted()).filter((m) => (m as { type: string }).type === 'ready');
  assert.equal(readies.length, 2);
  await panel.close();
});

test('hover shows alternatives with probabilities; clicking one asks to branch from that token', async () => {
  const panel = await openPanel();
  await panel.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [
      transcript('a', [
        token('The', -0.05),
        token(
          ' cat',
          -1.2,
          [
            [' dog', -0.9],
            [' bird', -2.5],
          ],
          30,
        ),
      ]),
    ],
  });
  await panel.page.hover('.tok[data-index="1"]');
  const pop = panel.page.locator('.popover');
  await pop.waitFor({ state: 'visible' });
  const rows = await pop.locator('.alt').allInnerTexts();
  assert.equal(rows.length, 3);
  assert.match(rows[1]!, /dog/);
  assert.match(await pop.locator('dl').innerText(), /logprob/);
  await pop.locator('.alt', { hasText: 'dog' }).click();
  const request = (await panel.posted()).find((m) => (m as { type: string }).type === 'request') as Record<string, unknown>;
  assert.deepEqual(
    { action: request['action'], runId: request['runId'], tokenIndex: request['tokenIndex'], alternative: request['alternative'] },
    { action: 'branch', runId: 'a', tokenIndex: 1, alternative: ' dog' },
  );
  await panel.close();
});

test('keyboard: arrows move between tokens, Enter opens the alternatives, Escape closes them', async () => {
  const panel = await openPanel();
  await panel.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [transcript('a', [token('a', -0.1), token('b', -0.2, [['c', -1]]), token('d', -0.3)])],
  });
  await panel.page.focus('.tok[data-index="0"]');
  await panel.page.keyboard.press('ArrowRight');
  assert.equal(await panel.page.evaluate(() => (document.activeElement as HTMLElement).dataset['index']), '1');
  await panel.page.keyboard.press('Enter');
  assert.equal(await panel.page.evaluate(() => document.activeElement?.classList.contains('alt')), true);
  await panel.page.keyboard.press('Escape');
  assert.equal(await panel.page.locator('.popover').isHidden(), true);
  assert.match((await panel.page.getAttribute('.tok[data-index="1"]', 'aria-label')) ?? '', /token 2: b, probability/);
  await panel.close();
});

test('thinking tokens go to the Reasoning block; text view copies the plain output', async () => {
  const panel = await openPanel();
  const think = { text: 'Let me think.', channel: 'thinking' as const, ms: 1 };
  await panel.post({ type: 'snapshot', activeRunId: 'a', runs: [transcript('a', [think, token('Answer: 4', -0.2)])] });
  assert.equal(await panel.page.locator('.reasoning').isVisible(), true);
  assert.equal(await panel.page.locator('.thinking .tok').textContent(), 'Let me think.');
  await panel.page.click('button.view[data-view="text"]');
  assert.equal(await panel.page.locator('pre.text').innerText(), 'Answer: 4');
  await panel.close();
});

test('without probabilities the panel says so once and still shows tokens and timing', async () => {
  const panel = await openPanel();
  await panel.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [transcript('a', [token('plain', undefined, [], 5), token(' text', undefined, [], 25)])],
  });
  const notices = await panel.page.locator('.notice').allInnerTexts();
  assert.equal(notices.filter((n) => /no token probabilities/.test(n)).length, 1);
  assert.equal(await panel.page.locator('.strip:not(.thinking) .tok').count(), 2);
  await panel.close();
});

test('an error shows inline with Retry, Pull model and Show Logs, and keeps the partial output', async () => {
  const panel = await openPanel();
  await panel.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [
      transcript('a', [token('partial', -0.1)], {
        status: 'error',
        error: { kind: 'model-not-found', message: 'Model "tiny" is not installed.', model: 'tiny' },
      }),
    ],
  });
  assert.match(await panel.page.locator('.error').innerText(), /not installed/);
  assert.deepEqual(await panel.page.locator('.error button').allInnerTexts(), ['Retry', 'Pull tiny', 'Show Logs']);
  assert.equal(await panel.page.locator('.strip:not(.thinking) .tok').innerText(), 'partial');
  await panel.page.click('.error button:has-text("Pull tiny")');
  assert.ok((await panel.posted()).some((m) => (m as { action?: string }).action === 'pullModel'));
  await panel.close();
});

test(`${HOSTILE.length} hostile outputs stay text: nothing runs, no markup is created, the layout holds`, async () => {
  assert.ok(HOSTILE.length >= 50);
  const panel = await openPanel(600, 700);
  const tokens = HOSTILE.map((h, i) => token(h, -0.5, [[`${h}?`, -1]], i * 10));
  tokens.push(token('x'.repeat(1024 * 1024), -0.1));
  await panel.post({ type: 'snapshot', activeRunId: 'a', runs: [transcript('a', tokens)] });
  // The sanitized Markdown view may contain images (blocked from loading by the CSP in VS Code);
  // everywhere else model output must never become an element.
  const check = async (allowImages = false): Promise<void> => {
    const state = await panel.page.evaluate(
      (images) => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        scripts: document.querySelectorAll(
          `#app script, #app iframe, #app object, #app embed, #app style, #app form${images ? '' : ', #app img'}`,
        ).length,
        handlers: Array.from(document.querySelectorAll('#app *')).filter((e) =>
          Array.from(e.attributes).some((a) => a.name.startsWith('on')),
        ).length,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      }),
      allowImages,
    );
    assert.equal(state.pwned, undefined);
    assert.equal(
      state.scripts,
      0,
      await panel.page.evaluate(() =>
        Array.from(document.querySelectorAll('#app script, #app iframe, #app img, #app object, #app embed, #app style, #app form'))
          .map((e) => e.outerHTML.slice(0, 120))
          .join(' | '),
      ),
    );
    assert.equal(state.handlers, 0);
    assert.ok(state.overflow <= 1, `the page is ${state.overflow}px wider than the viewport`);
  };
  await check();
  const chipTexts = await panel.page.$$eval('.strip:not(.thinking) .tok', (els) => els.slice(0, 3).map((e) => e.textContent));
  assert.equal(chipTexts[0], HOSTILE[0]);
  for (let i = 0; i < 12; i++) await panel.page.hover(`.tok[data-index="${i}"]`);
  await check();
  await panel.page.click('button.view[data-view="markdown"]');
  await check(true);
  const links = await panel.page.$$eval('.markdown a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
  assert.ok(
    links.every((href) => !/^javascript:/i.test(href)),
    `unsafe links: ${links.join(', ')}`,
  );
  await panel.page.click('button.view[data-view="text"]');
  await check();
  await panel.close();
});

test('a branch strip lists the original and its branches; choosing one asks the host', async () => {
  const panel = await openPanel();
  const branch = transcript('b', [token(' dog', -0.2)], {
    prefix: [token('The', -0.05)],
    meta: {
      id: 'b',
      title: 'run b',
      endpoint: 'ollama',
      model: 'tiny',
      startedAt: '',
      wantedLogprobs: true,
      origin: { parentId: 'a', tokenIndex: 1, alternative: ' dog' },
    },
  });
  await panel.post({
    type: 'snapshot',
    activeRunId: 'b',
    runs: [transcript('a', [token('The', -0.05), token(' cat', -1.2, [[' dog', -0.9]])]), branch],
  });
  const tabs = await panel.page.locator('.tab').allInnerTexts();
  assert.equal(tabs.length, 2);
  assert.match(tabs[1]!, /dog/);
  assert.equal(await panel.page.locator('.tok.prefix').count(), 1);
  await panel.page.click('.tab >> nth=0');
  assert.ok((await panel.posted()).some((m) => (m as { action?: string }).action === 'select'));
  await panel.close();
});

test('screenshot: a run streaming in after its reasoning, a branch of it, a token’s alternatives open', async () => {
  const panel = await openPanel(1000, 760);
  const run = tidesRun('r1');
  const thinking: TranscriptToken[] = ['The user wants', ' tides', ' explained', ' simply:', ' Moon,', ' bulges,', ' Sun.'].map(
    (text, i) => ({ text, channel: 'thinking', ms: 20 + i * 15 }),
  );
  const streaming = { ...run, tokens: [...thinking, ...run.tokens.slice(0, 60)], status: 'running' as const };
  delete streaming.stats;
  const branch = tidesRun('b1');
  branch.meta = { ...branch.meta, origin: { parentId: 'r1', tokenIndex: 24, alternative: ' pull' } };
  await panel.post({ type: 'snapshot', activeRunId: 'r1', runs: [streaming, branch] });
  await panel.post({ type: 'append', runId: 'r1', from: streaming.tokens.length, tokens: run.tokens.slice(60, 70) });
  await panel.page.click('.reasoning summary');
  await panel.page.hover('.strip:not(.thinking) .tok:text-is(" bulge") >> nth=0');
  await panel.page.locator('.popover').waitFor({ state: 'visible' });
  assert.equal(await panel.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  mkdirSync(results, { recursive: true });
  await panel.page.screenshot({ path: path.join(results, 'run-panel.png'), animations: 'disabled' });
  await panel.close();
});
