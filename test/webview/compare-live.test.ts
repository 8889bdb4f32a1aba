// The whole path in headless Chromium: the comparison runner streams from a loopback server
// (models of different speeds, a failing one, a missing one) through the host's comparison model
// into the panel's bundle; the panel's own messages (ready, requests) go back to the model.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { columnsFor, runComparison, type CompareVariant, type TestCase } from '../../src/core/compare';
import { ComparisonModel } from '../../src/core/compare/model';
import { isCompareWebviewMessage, type CompareHostMessage } from '../../src/shared/compare-protocol';
import { startCompareFake, type CompareFake } from '../fixtures/servers/compareScripts';
import { openCompare, startBrowser, stopBrowser, type ComparePage } from './compare-page';

const results = path.resolve(__dirname, '..', '..', 'test-results');
let lab: CompareFake;

before(async () => {
  lab = await startCompareFake();
  await startBrowser();
});
after(async () => {
  await stopBrowser();
  await lab.close();
});

const PROMPT = '---\nmodel: lab/echo\ninput:\n  schema:\n    city: string\n---\nTell me about {{city}} in one sentence please.\n';
const variants: CompareVariant[] = [{ id: 'city', file: '/w/city.prompt', text: PROMPT }];
const cases: TestCase[] = [
  { id: 'paris', line: 1, inputs: { city: 'Paris' }, expect: { contains: ['Paris'] } },
  { id: 'rome', line: 2, inputs: { city: 'Rome' }, expect: { contains: ['Lisbon'] } },
];

interface Live {
  panel: ComparePage;
  model: ComparisonModel;
  requests: string[];
}

/** A panel wired to a model the way ComparePanel wires them in VS Code (JSON across, in order). */
async function live(models: string[], concurrency: number, setup = { variants, cases, samples: 1 }): Promise<Live> {
  const model = new ComparisonModel({
    title: 'Compare city.prompt',
    file: 'city.prompt',
    variants: setup.variants,
    columns: columnsFor(setup.variants, models),
    cases: setup.cases,
    samples: setup.samples,
    concurrency,
  });
  const requests: string[] = [];
  let panel: ComparePage | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  const send = (message: CompareHostMessage): void => {
    const text = JSON.stringify(message);
    chain = chain.then(() => panel?.page.evaluate((m) => window.postMessage(JSON.parse(m), '*'), text));
  };
  panel = await openCompare(1300, 760, {
    toHost: (message) => {
      assert.ok(isCompareWebviewMessage(message), `a valid message: ${JSON.stringify(message)}`);
      if (message.type === 'ready') model.sendSnapshot();
      else if (message.type === 'request') {
        requests.push(message.action);
        send({ type: 'reply', requestId: message.requestId, ok: true });
      }
    },
  });
  model.attach(send);
  model.sendSnapshot();
  await chain;
  return { panel, model, requests };
}

test('four columns stream concurrently, two at a time: queued ones say so, a failing and a missing model keep the others going', async () => {
  const { panel, model } = await live(['lab/echo', 'lab/paced-15', 'lab/fail-3', 'lab/no-such-model'], 2);
  const seenQueued = panel.page.waitForFunction(
    () => document.querySelector('.col-head[data-col="c2"]')?.getAttribute('data-state') === 'queued',
  );
  const result = await runComparison(
    {
      file: 'city.prompt',
      variants,
      models: model.init.columns.map((c) => c.model).filter((m, i, a) => a.indexOf(m) === i),
      cases,
      concurrency: 2,
    },
    {
      endpoints: [{ name: 'lab', kind: 'ollama', url: lab.url }],
      onEvent: (cellId, event) => model.onEvent(cellId, event),
      onCell: (cell) => model.onCell(cell),
    },
  );
  await seenQueued;
  model.finish(result, result.id);
  await panel.page.waitForFunction(() => document.querySelector('.status')?.getAttribute('data-status') === 'completed');
  await panel.settle();
  const text = (col: string, row: string): Promise<string> =>
    panel.page.$$eval(`.cell[data-col="${col}"][data-case="${row}"] .strip:not(.thinking) .tok`, (e) =>
      e.map((x) => x.textContent).join(''),
    );
  assert.equal(await text('c0', 'paris'), 'Tell me about Paris in one sentence please.');
  assert.equal(await text('c1', 'rome'), 'Tell me about Rome in one sentence please.');
  assert.equal(await text('c2', 'paris'), 'Tell me about');
  assert.match(await panel.page.locator('.cell[data-col="c2"][data-case="paris"] .cell-error').innerText(), /Error: /);
  assert.match(await panel.page.locator('.cell[data-col="c3"][data-case="paris"] .cell-error').innerText(), /no-such-model/);
  assert.deepEqual(await panel.page.$$eval('.col-head', (e) => e.map((x) => (x as HTMLElement).dataset['state'])), [
    'completed',
    'completed',
    'error',
    'error',
  ]);
  // Pass counts: "contains Paris" passes, "contains Lisbon" fails, in the columns that ran.
  assert.equal(await panel.page.locator('.sum-cell[data-col="c0"] .passes').innerText(), '1/2 passed');
  assert.equal(
    await panel.page.locator('.sum-cell[data-col="c0"] .metric[data-metric="tokensPerSecond"]').getAttribute('class'),
    'metric best',
  );
  assert.match(await panel.page.locator('.cell[data-col="c1"][data-case="rome"] .checks .fail').innerText(), /does not contain "Lisbon"/);
  mkdirSync(results, { recursive: true });
  await panel.page.screenshot({ path: path.join(results, 'compare-live.png') });
  await panel.close();
});

test('Cancel stops every column and keeps what arrived; queued cells are marked cancelled', async () => {
  const { panel, model, requests } = await live(['lab/held-2', 'lab/echo'], 1);
  const controller = new AbortController();
  const running = runComparison(
    { file: 'city.prompt', variants, models: ['lab/held-2', 'lab/echo'], cases, concurrency: 1 },
    {
      endpoints: [{ name: 'lab', kind: 'ollama', url: lab.url }],
      signal: controller.signal,
      onEvent: (cellId, event) => model.onEvent(cellId, event),
      onCell: (cell) => model.onCell(cell),
    },
  );
  await panel.page.waitForFunction(() => document.querySelectorAll('.cell[data-col="c0"][data-case="paris"] .tok').length >= 2);
  await panel.page.click('.cancel');
  await panel.page.waitForFunction(() => document.querySelector('.panel-message')?.getAttribute('data-kind') === 'ok');
  assert.deepEqual(requests, ['cancel']);
  controller.abort();
  const result = await running;
  model.finish(result, result.id);
  await panel.page.waitForFunction(() => document.querySelector('.status')?.getAttribute('data-status') === 'stopped');
  assert.match(await panel.page.locator('.status').innerText(), /stopped — output kept/);
  assert.ok((await panel.page.locator('.cell[data-col="c0"][data-case="paris"] .tok').count()) >= 2);
  assert.equal(await panel.page.locator('.cell[data-col="c1"][data-case="paris"] .sample').getAttribute('data-status'), 'cancelled');
  assert.match(await panel.page.locator('.cell[data-col="c1"][data-case="paris"] .placeholder').innerText(), /Cancelled before it started/);
  assert.equal(await panel.page.locator('.cancel').isVisible(), false);
  await panel.close();
});

test('a reloaded panel asks again and shows the same grid; the arrangement it saved comes back', async () => {
  const { panel, model } = await live(['lab/echo', 'lab/paced-5'], 2);
  const result = await runComparison(
    { file: 'city.prompt', variants, models: ['lab/echo', 'lab/paced-5'], cases, concurrency: 2 },
    {
      endpoints: [{ name: 'lab', kind: 'ollama', url: lab.url }],
      onEvent: (cellId, event) => model.onEvent(cellId, event),
      onCell: (cell) => model.onCell(cell),
    },
  );
  model.finish(result, result.id);
  await panel.page.waitForFunction(() => document.querySelector('.status')?.getAttribute('data-status') === 'completed');
  await panel.page.click('.col-head[data-col="c0"] button[title="Move right"]');
  await panel.page.click('button.view[data-mode="text"]');
  const state = await panel.state();
  assert.equal((state as { comparisonId: string }).comparisonId, result.id);
  // VS Code reloads the webview with the state it saved; the host answers its `ready` with a snapshot.
  const reloaded = await openCompare(1300, 760, {
    initialState: state,
    toHost: (m) => (m as { type: string }).type === 'ready' && model.sendSnapshot(),
  });
  model.attach((message) => void reloaded.page.evaluate((m) => window.postMessage(JSON.parse(m), '*'), JSON.stringify(message)));
  model.sendSnapshot();
  await reloaded.page.waitForFunction(
    () =>
      document.querySelectorAll('.cell pre.text').length === 4 &&
      document.querySelector('.cell[data-col="c1"] pre.text')?.textContent !== '',
  );
  assert.equal(await reloaded.page.locator('button.view[data-mode="text"]').getAttribute('aria-pressed'), 'true');
  assert.equal(await reloaded.page.locator('.col-head[data-col="c0"]').evaluate((e) => (e as HTMLElement).style.gridColumnStart), '3');
  assert.equal(
    await reloaded.page.locator('.cell[data-col="c1"][data-case="rome"] pre.text').innerText(),
    'Tell me about Rome in one sentence please.',
  );
  await reloaded.close();
  await panel.close();
});

test('votes count the answer the rule extracts ("The final answer is **11:40**."), not the whole reply', async () => {
  const reasoning = 'Nine forty plus two hours is eleven forty.\nThe final answer is **11:40**.';
  const trip: CompareVariant[] = [{ id: 'trip', file: '/w/trip.prompt', text: `---\nmodel: lab/echo\n---\n${reasoning}\n` }];
  const one: TestCase[] = [{ id: 'trip', line: 1, inputs: {}, expect: {} }];
  const { panel, model } = await live(['lab/echo'], 1, { variants: trip, cases: one, samples: 3 });
  const result = await runComparison(
    { file: 'trip.prompt', variants: trip, models: ['lab/echo'], cases: one, samples: 3, concurrency: 1 },
    {
      endpoints: [{ name: 'lab', kind: 'ollama', url: lab.url }],
      onEvent: (cellId, event) => model.onEvent(cellId, event),
      onCell: (cell) => model.onCell(cell),
    },
  );
  model.finish(result, result.id);
  await panel.page.waitForFunction(() => document.querySelector('.status')?.getAttribute('data-status') === 'completed');
  const votes = panel.page.locator('.cell[data-col="c0"] .votes');
  assert.deepEqual(await votes.locator('svg.histogram .bucket .label').allTextContents(), ['11:40']);
  assert.match(await votes.locator('.vote-line').innerText(), /majority 11:40 · agreement 100%/);
  assert.deepEqual(await panel.page.locator('.cell[data-col="c0"] .sample-head .answer').allTextContents(), ['11:40', '11:40', '11:40']);
  await panel.close();
});
