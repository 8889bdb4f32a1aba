// The run panel in headless Chromium, beyond streaming: colouring modes and the legend, what the
// alternatives card says, text and Markdown views, Stop, request replies and timeouts, restoring
// from saved state, runs from other tabs, and branches of branches in the tab strip.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TranscriptToken } from '../../src/shared/protocol';
import { token, transcript } from './fixtures';
import { openPanel, startBrowser, stopBrowser, type PanelPage } from './page';

before(startBrowser);
after(stopBrowser);

type Posted = { type: string; action?: string; requestId?: number; runId?: string };
const requests = async (panel: PanelPage): Promise<Posted[]> => ((await panel.posted()) as Posted[]).filter((m) => m.type === 'request');
const classOf = (panel: PanelPage, index: number): Promise<string> => panel.page.$eval(`.tok[data-index="${index}"]`, (e) => e.className);

test('colouring: by entropy ranks spread-out alternatives low; off removes colours and the legend; the choice is saved', async () => {
  const panel = await openPanel();
  const spread = token(' it', Math.log(0.3), [
    [' this', Math.log(0.3)],
    [' that', Math.log(0.2)],
    [' what', Math.log(0.2)],
  ]);
  await panel.post({ type: 'snapshot', activeRunId: 'a', runs: [transcript('a', [token('Sure', -0.001, [['Yes', -9]]), spread])] });
  assert.match(await classOf(panel, 0), /\bp9\b/);
  assert.match(await classOf(panel, 1), /\bp3\b/, 'probability 0.3 is bucket 3');
  await panel.page.selectOption('.colour select', 'entropy');
  await panel.page.waitForFunction(() => document.querySelector('.tok[data-index="1"]')?.className.includes('p5'));
  assert.match(await classOf(panel, 0), /\bp9\b/, 'one clear choice stays high');
  assert.deepEqual(await panel.page.locator('.legend .tok').evaluateAll((els) => [els[0]!.textContent, els[els.length - 1]!.textContent]), [
    'spread out',
    'one clear choice',
  ]);
  await panel.page.selectOption('.colour select', 'off');
  await panel.page.waitForFunction(() => !/\bp\d\b/.test(document.querySelector('.tok[data-index="0"]')?.className ?? 'p0'));
  assert.equal(await panel.page.locator('.legend').isHidden(), true);
  const state = await panel.page.evaluate(() => (window as unknown as { __state: { colour?: string } }).__state);
  assert.equal(state.colour, 'off');
  await panel.close();
});

test('the alternatives card: hex bytes for a piece of a character, time since the previous token, spaces made visible', async () => {
  const panel = await openPanel();
  const partial: TranscriptToken = { text: '', channel: 'content', ms: 130, logprob: -0.2, bytes: [0xe4, 0xbd] };
  await panel.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [transcript('a', [token('A', -0.1, [], 100), partial, token(' b', -0.3, [[' c', -2]], 175)])],
  });
  await panel.page.hover('.tok[data-index="1"]');
  const facts = await panel.page.locator('.popover dl').innerText();
  assert.match(facts, /e4 bd \(part of a character\)/);
  assert.match(facts, /\+30 ms/);
  assert.match(await panel.page.locator('.popover').innerText(), /No alternatives/);
  await panel.page.hover('.tok[data-index="2"]');
  assert.match(await panel.page.locator('.popover dl').innerText(), /\+45 ms/);
  assert.deepEqual(await panel.page.locator('.popover .alt-text').allInnerTexts(), ['␣b', '␣c']);
  assert.equal(await panel.page.locator('.tok[data-index="1"]').innerText(), '∅', 'an empty token is still a chip you can hover');
  await panel.close();
});

test('Markdown waits for the end of the run, then renders sanitized; the text view is the exact output', async () => {
  const panel = await openPanel();
  const tokens = ['# Tides', '\n\n', 'The **Moon**', ' pulls `water`.', '\n\n', '<b onclick="x()">bold?</b>'].map((t, i) =>
    token(t, -0.1, [], i * 10),
  );
  await panel.post({ type: 'snapshot', activeRunId: 'a', runs: [transcript('a', tokens, { status: 'running' })] });
  assert.equal(await panel.page.locator('button.view[data-view="markdown"]').isDisabled(), true);
  await panel.post({ type: 'status', runId: 'a', status: 'completed', notices: [], stats: { wallMs: 60 } });
  await panel.page.click('button.view[data-view="markdown"]');
  const md = panel.page.locator('.markdown');
  assert.equal(await md.locator('h1').innerText(), 'Tides');
  assert.equal(await md.locator('strong').innerText(), 'Moon');
  assert.equal(await md.locator('code').innerText(), 'water');
  assert.equal(await md.locator('[onclick]').count(), 0);
  await panel.page.click('button.view[data-view="text"]');
  assert.equal(await panel.page.locator('pre.text').evaluate((e) => e.textContent), tokens.map((t) => t.text).join(''));
  assert.equal(await md.evaluate((e) => e.childElementCount), 0, 'the Markdown is gone once another view is shown');
  await panel.close();
});

test('Stop asks the host; the stopped run keeps its tokens and hides Stop', async () => {
  const panel = await openPanel();
  await panel.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [transcript('a', [token('one', -0.1), token(' two', -0.1)], { status: 'running' })],
  });
  assert.equal(await panel.page.locator('.stop').isVisible(), true);
  await panel.page.click('.stop');
  const stop = (await requests(panel)).find((m) => m.action === 'stop');
  assert.equal(stop?.runId, 'a');
  await panel.post({ type: 'reply', requestId: stop!.requestId!, ok: true });
  await panel.post({
    type: 'status',
    runId: 'a',
    status: 'stopped',
    notices: [],
    error: { kind: 'aborted', message: 'Stopped.' },
    stats: { wallMs: 20 },
  });
  assert.equal(await panel.page.locator('.stop').isHidden(), true);
  assert.equal(await panel.page.locator('.status').innerText(), 'stopped');
  assert.equal(await panel.page.locator('.error').isHidden(), true, 'a stop is not an error');
  assert.equal(await panel.page.locator('.strip:not(.thinking) .tok').count(), 2);
  await panel.close();
});

test('every request is settled: an error reply and a missing reply (after the timeout) both say why', async () => {
  const panel = await openPanel();
  await panel.page.clock.install();
  await panel.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [transcript('a', [token('x', -0.1)], { status: 'error', error: { kind: 'server-error', message: 'The server failed.' } })],
  });
  await panel.page.click('.error button:has-text("Retry")');
  const retry = (await requests(panel)).find((m) => m.action === 'retry')!;
  await panel.post({ type: 'reply', requestId: retry.requestId!, ok: false, error: 'this run was restored from history' });
  assert.match(await panel.page.locator('.notices').innerText(), /Could not retry: this run was restored from history/);
  await panel.page.click('.error button:has-text("Show Logs")');
  assert.ok((await requests(panel)).some((m) => m.action === 'showLogs'));
  await panel.page.clock.runFor(15_001);
  await panel.page.waitForFunction(() =>
    /Could not showLogs: the editor did not answer in time/.test(document.querySelector('.notices')?.textContent ?? ''),
  );
  await panel.close();
});

test('a reloaded webview comes back with its view and colouring, and asks for a snapshot', async () => {
  const panel = await openPanel(900, 700, { view: 'text', colour: 'entropy', runIds: ['a'], activeRunId: 'a' });
  assert.deepEqual(
    (await panel.posted()).map((m) => (m as Posted).type),
    ['ready'],
  );
  await panel.post({ type: 'snapshot', activeRunId: 'a', runs: [transcript('a', [token('Hello', -0.1), token(' again', -0.2)])] });
  assert.equal(await panel.page.locator('pre.text').innerText(), 'Hello again');
  assert.equal(await panel.page.locator('.colour select').inputValue(), 'entropy');
  assert.equal(await panel.page.locator('button.view[data-view="text"]').getAttribute('aria-pressed'), 'true');
  await panel.close();
});

test('tokens of a run in another tab are kept, not drawn into the one shown; its tab follows its status', async () => {
  const panel = await openPanel();
  await panel.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [transcript('a', [token('shown', -0.1)]), transcript('b', [], { status: 'running' })],
  });
  await panel.post({ type: 'append', runId: 'b', from: 0, tokens: [token('hidden', -0.1), token(' run', -0.1)] });
  await panel.post({ type: 'status', runId: 'b', status: 'completed', notices: [], stats: { wallMs: 5 } });
  assert.deepEqual(await panel.page.locator('.strip:not(.thinking) .tok').allInnerTexts(), ['shown']);
  assert.equal(await panel.page.locator('.tab[data-run-id="b"]').getAttribute('data-status'), 'completed');
  // The host answers a select with a snapshot naming the new active run.
  await panel.post({
    type: 'snapshot',
    activeRunId: 'b',
    runs: [transcript('a', [token('shown', -0.1)]), transcript('b', [token('hidden', -0.1), token(' run', -0.1)])],
  });
  assert.deepEqual(await panel.page.locator('.strip:not(.thinking) .tok').allInnerTexts(), ['hidden', ' run']);
  await panel.close();
});

test('branches of branches sit under their parent in the tab strip, with where they came from', async () => {
  const panel = await openPanel();
  const meta = (id: string, parentId?: string, tokenIndex = 0, alternative = '') => ({
    id,
    title: `run ${id}`,
    endpoint: 'ollama',
    model: 'tiny',
    startedAt: '',
    wantedLogprobs: true,
    ...(parentId ? { origin: { parentId, tokenIndex, alternative } } : {}),
  });
  const runs = [
    transcript('a', [token('The', -0.1), token(' cat', -1)]),
    transcript('r2', [token('A', -0.1)]),
    transcript('b', [token(' dog', -0.2)], { meta: meta('b', 'a', 1, ' dog') }),
    transcript('c', [token(' ran', -0.2)], { meta: meta('c', 'b', 2, ' ran') }),
  ];
  await panel.post({ type: 'snapshot', activeRunId: 'c', runs });
  const tabs = await panel.page
    .locator('.tab')
    .evaluateAll((els) =>
      els.map((e) => [e.textContent, (e as HTMLElement).dataset['depth'], e.getAttribute('title'), e.getAttribute('aria-selected')]),
    );
  assert.deepEqual(
    tabs.map((t) => t[0]),
    ['tiny · done', 'branch 1: “dog” · done', '↳ branch 2: “ran” · done', 'tiny · done'],
  );
  assert.deepEqual(
    tabs.map((t) => t[1]),
    ['0', '1', '2', '0'],
  );
  assert.equal(tabs[2]![2], 'completed · from branch 1: “dog” at token 3');
  assert.equal(tabs[2]![3], 'true');
  await panel.close();
});

test('run tabs say model and status: done, failed, running; the label follows a status change', async () => {
  const panel = await openPanel();
  const on = (id: string, model: string) => ({ id, title: `run ${id}`, endpoint: 'ollama', model, startedAt: '', wantedLogprobs: true });
  await panel.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [
      transcript('a', [token('Hi', -0.1)], { meta: on('a', 'llama3.2') }),
      transcript('b', [], { meta: on('b', 'qwen2.5'), status: 'error', error: { kind: 'stream-cut', message: 'boom' } }),
      transcript('c', [token('Yo', -0.1)], { meta: on('c', 'gemma3:1b'), status: 'running' }),
    ],
  });
  const labels = () => panel.page.locator('.tab').allInnerTexts();
  assert.deepEqual(await labels(), ['llama3.2 · done', 'qwen2.5 · failed', 'gemma3:1b · running…']);
  assert.equal(await panel.page.locator('.tab >> nth=0').getAttribute('aria-label'), 'original: llama3.2 · done');
  await panel.post({ type: 'status', runId: 'c', status: 'stopped', notices: [] });
  await panel.page.waitForFunction(() => document.querySelectorAll('.tab')[2]?.textContent === 'gemma3:1b · stopped');
  await panel.close();
});
