import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { CellState, ComparisonView, SummaryView } from '../../src/shared/compare-protocol';
import { batch, cell, comparison, openCompare, startBrowser, stopBrowser, tok, words, type ComparePage } from './compare-page';
import { HOSTILE } from './fixtures';

const results = path.resolve(__dirname, '..', '..', 'test-results');

before(async () => {
  await startBrowser();
});
after(stopBrowser);

const three = (): ComparisonView['columns'] => [
  { id: 'c0', variant: 'q', model: 'lab/echo', label: 'lab/echo' },
  { id: 'c1', variant: 'q', model: 'lab/paced-5', label: 'lab/paced-5' },
  { id: 'c2', variant: 'q', model: 'lab/fail-2', label: 'lab/fail-2' },
];

function chips(panel: ComparePage, column: string): Promise<string[]> {
  return panel.page.$$eval(`.cell[data-col="${column}"] .strip:not(.thinking) .tok`, (els) => els.map((e) => e.textContent ?? ''));
}

function state(base: ReturnType<typeof cell>, extra: Partial<CellState>): CellState {
  const { tokens: _tokens, ...rest } = base;
  void _tokens;
  return { ...rest, ...extra };
}

test('says ready, renders the snapshot, then streams increments into several columns at once', async () => {
  const panel = await openCompare();
  const running = (column: string) => cell(column, 'default', 0, { status: 'running' });
  await panel.post({
    type: 'snapshot',
    comparison: comparison({ status: 'running', concurrency: 3, columns: three(), cells: [running('c0'), running('c1'), running('c2')] }),
  });
  assert.equal(await panel.page.locator('.col-head').count(), 3);
  const a = words('The quick brown fox jumps over the lazy dog.', -0.05);
  const b = words('A slow green turtle walks past the busy cat.', -1.2);
  for (let i = 0; i < a.length; i += 3) {
    await panel.post({
      type: 'update',
      tokens: [batch('c0/r0/s0', i, a.slice(i, i + 3)), batch('c1/r0/s0', i, b.slice(i, i + 3))],
      cells: [],
    });
  }
  await panel.post({ type: 'update', tokens: [batch('c2/r0/s0', 0, words('Partial output'))], cells: [] });
  await panel.settle();
  assert.equal((await chips(panel, 'c0')).join(''), 'The quick brown fox jumps over the lazy dog.');
  assert.equal((await chips(panel, 'c1')).join(''), 'A slow green turtle walks past the busy cat.');
  assert.match((await panel.page.getAttribute('.cell[data-col="c0"] .tok >> nth=0', 'class')) ?? '', /\bp9\b/);
  assert.match((await panel.page.getAttribute('.cell[data-col="c1"] .tok >> nth=0', 'class')) ?? '', /\bp3\b/);
  // The failing column ends in an error and keeps its partial output; the others finish.
  await panel.post({
    type: 'update',
    tokens: [],
    cells: [
      state(cell('c2', 'default', 0), {
        status: 'error',
        tokenCount: 2,
        error: { kind: 'server-error', message: 'an error was encountered while running the model' },
      }),
      state(cell('c0', 'default', 0), { status: 'completed', tokenCount: a.length, stats: { wallMs: 300, ttftMs: 40, evalRate: 120 } }),
    ],
    status: 'running',
  });
  assert.match(
    await panel.page.locator('.cell[data-col="c2"] .cell-error').innerText(),
    /Error: an error was encountered[\s\S]*kept below/,
  );
  assert.equal((await chips(panel, 'c2')).join(''), 'Partial output');
  assert.match(await panel.page.locator('.cell[data-col="c0"] .cell-foot').innerText(), /9 tokens · first 40 ms · 120\.0 tok\/s/);
  assert.equal(await panel.page.locator('.col-head[data-col="c2"]').getAttribute('data-state'), 'error');
  assert.equal(await panel.page.locator('.cancel').isVisible(), true);
  await panel.post({ type: 'update', tokens: [], cells: [], status: 'completed', id: 'cmp-9' });
  assert.equal(await panel.page.locator('.cancel').isVisible(), false);
  // The panel tells the host what it shows when the comparison has ended.
  const reports = (await panel.posted()).filter((m) => m.type === 'rendered');
  assert.deepEqual(
    reports.map((r) => [r['status'], r['columns'], r['cells'], r['tokens']]),
    [['completed', 3, 3, 20]],
  );
  assert.deepEqual(await panel.state(), { comparisonId: 'cmp-9', ui: ((await panel.state()) as { ui: unknown }).ui });
  await panel.close();
});

test('a gap in the increments asks the host for a fresh snapshot', async () => {
  const panel = await openCompare();
  await panel.post({
    type: 'snapshot',
    comparison: comparison({ status: 'running', cells: [cell('c0', 'default', 0, { status: 'running', tokens: words('one two') })] }),
  });
  await panel.post({ type: 'update', tokens: [batch('c0/r0/s0', 7, words(' lost'))], cells: [] });
  assert.equal((await panel.posted()).filter((m) => m.type === 'ready').length, 2);
  await panel.close();
});

test('a cell announced in the same update as its first tokens keeps them; tokens for an unknown cell ask for a snapshot', async () => {
  const panel = await openCompare();
  await panel.post({ type: 'snapshot', comparison: comparison({ status: 'running' }) });
  const fresh = cell('c1', 'default', 0, { status: 'running' });
  await panel.post({ type: 'update', cells: [state(fresh, {})], tokens: [batch('c1/r0/s0', 0, words('Fast model, all at once.'))] });
  await panel.settle();
  assert.equal((await chips(panel, 'c1')).join(''), 'Fast model, all at once.');
  await panel.post({ type: 'update', cells: [], tokens: [batch('c0/r0/s0', 0, words('orphan'))] });
  assert.equal((await panel.posted()).filter((m) => m.type === 'ready').length, 2);
  await panel.close();
});

test('queued columns say that they wait for a free slot', async () => {
  const panel = await openCompare();
  await panel.post({
    type: 'snapshot',
    comparison: comparison({
      status: 'running',
      concurrency: 1,
      cells: [cell('c0', 'default', 0, { status: 'running' }), cell('c1', 'default', 0, { status: 'queued' })],
    }),
  });
  assert.match(await panel.page.locator('.col-head[data-col="c1"] .col-live').innerText(), /queued — 1 column at a time/);
  assert.match(await panel.page.locator('.cell[data-col="c1"] .placeholder').innerText(), /Queued: waiting for a free slot/);
  assert.match(await panel.page.locator('.cell[data-col="c0"] .placeholder').innerText(), /Waiting for the first token/);
  await panel.close();
});

test('word diff against a chosen baseline column; the baseline can be changed', async () => {
  const panel = await openCompare();
  await panel.post({
    type: 'snapshot',
    comparison: comparison({
      cells: [
        cell('c0', 'default', 0, { tokens: words('The answer is 42 because six times seven.') }),
        cell('c1', 'default', 0, { tokens: words('The answer is 41 because six times seven.') }),
      ],
    }),
  });
  await panel.page.click('.col-head[data-col="c0"] button:has-text("Baseline")');
  assert.equal(await panel.page.locator('button.view[data-mode="diff"]').getAttribute('aria-pressed'), 'true');
  assert.deepEqual(await panel.page.$$eval('.cell[data-col="c1"] .diff ins', (e) => e.map((x) => x.textContent)), ['41']);
  assert.deepEqual(await panel.page.$$eval('.cell[data-col="c1"] .diff del', (e) => e.map((x) => x.textContent)), ['42']);
  assert.match(await panel.page.locator('.cell[data-col="c0"] .cell-foot').innerText(), /baseline/);
  assert.match(await panel.page.locator('.cell[data-col="c1"] .cell-foot').innerText(), /88\.\d% similar/);
  await panel.page.selectOption('.baseline select', 'c1');
  assert.deepEqual(await panel.page.$$eval('.cell[data-col="c0"] .diff ins', (e) => e.map((x) => x.textContent)), ['42']);
  await panel.page.click('button.view[data-mode="text"]');
  assert.equal(await panel.page.locator('.cell[data-col="c1"] pre.text').innerText(), 'The answer is 41 because six times seven.');
  await panel.close();
});

function summaryOf(): SummaryView {
  const col = (
    column: string,
    metrics: SummaryView['columns'][number]['metrics'],
    best: SummaryView['columns'][number]['best'],
    passed: number,
  ): SummaryView['columns'][number] => ({
    column,
    metrics,
    best,
    cells: 2,
    completed: 2,
    errors: 0,
    stopped: 0,
    passed,
    failed: 2 - passed,
    casesPassed: passed,
    casesChecked: 2,
  });
  return {
    columns: [
      col('c0', { tokens: 12, ttftMs: 80, tokensPerSecond: 40, meanLogprob: -0.2, length: 60 }, ['tokens', 'length', 'meanLogprob'], 2),
      col('c1', { tokens: 20, ttftMs: 35, tokensPerSecond: 95.5, meanLogprob: -0.9, length: 99 }, ['ttftMs', 'tokensPerSecond'], 1),
    ],
    votes: [],
    rows: [
      { caseId: 'case-1', same: true },
      { caseId: 'case-2', same: false },
    ],
  };
}

test('summary row marks the best value of each metric; test rows show pass/fail with reasons; "different only" hides agreeing rows', async () => {
  const panel = await openCompare();
  const pass = [{ kind: 'answer' as const, pass: true, reason: 'answer "4"' }];
  const fail = [{ kind: 'answer' as const, pass: false, reason: 'expected answer "9", got "8"' }];
  await panel.post({
    type: 'snapshot',
    comparison: comparison({
      cases: [
        { id: 'case-1', line: 1, inputs: { a: 2, b: 2 }, checked: true },
        { id: 'case-2', line: 2, inputs: { a: 4, b: 5 }, checked: true },
      ],
      cells: [
        cell('c0', 'case-1', 0, { tokens: words('The answer is 4.'), assertions: pass }),
        cell('c1', 'case-1', 0, { tokens: words('The answer is 4.'), assertions: pass }),
        cell('c0', 'case-2', 0, { tokens: words('The answer is 9.'), assertions: [{ kind: 'answer', pass: true, reason: 'answer "9"' }] }),
        cell('c1', 'case-2', 0, { tokens: words('The answer is 8.'), assertions: fail }),
      ],
      summary: summaryOf(),
    }),
  });
  const best = async (column: string): Promise<string[]> =>
    panel.page.$$eval(`.sum-cell[data-col="${column}"] .metric.best`, (e) => e.map((x) => (x as HTMLElement).dataset['metric'] ?? ''));
  assert.deepEqual(await best('c0'), ['tokens', 'meanLogprob', 'length']);
  assert.deepEqual(await best('c1'), ['ttftMs', 'tokensPerSecond']);
  assert.match(await panel.page.locator('.sum-cell[data-col="c1"] .metric[data-metric="tokensPerSecond"]').innerText(), /95\.5\s*★/);
  assert.equal(await panel.page.locator('.sum-cell[data-col="c0"] .passes').innerText(), '2/2 passed');
  assert.equal(await panel.page.locator('.sum-cell[data-col="c1"] .passes').innerText(), '1/2 passed');
  assert.match(
    await panel.page.locator('.cell[data-col="c1"][data-case="case-2"] .checks .fail').innerText(),
    /✗\s*answer\s*expected answer "9", got "8"/,
  );
  assert.equal(await panel.page.locator('.cell[data-col="c1"][data-case="case-2"] .sample.fail').count(), 1);
  assert.match(await panel.page.locator('.case-head[data-case="case-1"]').innerText(), /all columns agree/);
  await panel.page.check('.different input');
  assert.equal(await panel.page.locator('.case-head[data-case="case-1"]').isVisible(), false);
  assert.equal(await panel.page.locator('.cell[data-case="case-1"]:visible').count(), 0);
  assert.equal(await panel.page.locator('.cell[data-case="case-2"]:visible').count(), 2);
  assert.match(await panel.page.locator('.filtered').innerText(), /1 row where all columns agree hidden/);
  await panel.page.uncheck('.different input');
  assert.equal(await panel.page.locator('.cell[data-case="case-1"]:visible').count(), 2);
  await panel.close();
});

test('self-consistency: a vote histogram per column with majority, agreement and model probability next to frequency', async () => {
  const panel = await openCompare();
  const answers = ['42', '42', '41', '42', '43'];
  const cells = answers.map((answer, i) =>
    cell('c0', 'default', i, {
      tokens: words(`Let me think. The answer is ${answer}.`),
      answer,
      answerProbability: { 42: 0.9, 41: 0.06, 43: 0.04 }[answer]!,
    }),
  );
  await panel.post({
    type: 'snapshot',
    comparison: comparison({
      samples: 5,
      temperature: 0.8,
      columns: [{ id: 'c0', variant: 'q', model: 'lab/vote', label: 'lab/vote' }],
      cells,
      summary: {
        columns: [],
        rows: [{ caseId: 'default', same: true }],
        votes: [
          {
            caseId: 'default',
            column: 'c0',
            total: 5,
            missing: 0,
            agreement: 0.6,
            tie: false,
            majority: '42',
            calibrationGap: 0.28,
            buckets: [
              { answer: '42', count: 3, frequency: 0.6, modelProbability: 0.9 },
              { answer: '41', count: 1, frequency: 0.2, modelProbability: 0.06 },
              { answer: '43', count: 1, frequency: 0.2, modelProbability: 0.04 },
            ],
          },
        ],
      },
    }),
  });
  const votes = panel.page.locator('.cell[data-col="c0"] .votes');
  assert.match(await votes.locator('.vote-line').innerText(), /majority 42 · agreement 60% · calibration gap 0\.28/);
  assert.deepEqual(await votes.locator('svg.histogram .count').allTextContents(), ['3', '1', '1']);
  assert.deepEqual(await votes.locator('svg.histogram .bucket .label').allTextContents(), ['42', '41', '43']);
  const widths = await votes.locator('svg.histogram .bucket .freq').evaluateAll((e) => e.map((r) => Number(r.getAttribute('width'))));
  assert.ok(Math.abs(widths[0]! / widths[1]! - 3) < 0.01, `bar widths follow the counts: ${widths.join(', ')}`);
  assert.equal(await votes.locator('svg.histogram .bucket .prob').count(), 3);
  const rows = await votes.locator('table.calibration tbody tr').allInnerTexts();
  assert.deepEqual(
    rows.map((r) => r.split('\t').map((x) => x.trim())),
    [
      ['42', '3', '60.0%', '90.0%'],
      ['41', '1', '20.0%', '6.0%'],
      ['43', '1', '20.0%', '4.0%'],
    ],
  );
  assert.equal(await panel.page.locator('.cell[data-col="c0"] .sample').count(), 5);
  assert.deepEqual(await panel.page.locator('.sample-head .answer').allTextContents(), answers);
  mkdirSync(results, { recursive: true });
  await panel.page.screenshot({ path: path.join(results, 'compare-votes.png') });
  await panel.close();
});

test('hovering a token shows its probability at once and its alternatives when the host answers, naming the column', async () => {
  const panel = await openCompare();
  const cat = tok(
    ' cat',
    -1.2,
    [
      [' dog', -0.9],
      [' bird', -2.5],
    ],
    30,
  );
  await panel.post({
    type: 'snapshot',
    comparison: comparison({ cells: [cell('c1', 'default', 0, { tokens: [tok('The', -0.05), cat] })] }),
  });
  await panel.settle();
  await panel.page.hover('.cell[data-col="c1"] .tok[data-index="1"]');
  const pop = panel.page.locator('.popover');
  await pop.waitFor({ state: 'visible' });
  assert.match(await pop.innerText(), /vllm\/Qwen2\.5-7B/);
  const ask = (await panel.posted()).find((m) => m['action'] === 'token')!;
  assert.deepEqual([ask['cellId'], ask['index']], ['c1/r0/s0', 1]);
  await panel.post({ type: 'reply', requestId: ask['requestId'], ok: true, token: cat });
  // Leading and trailing spaces are shown as ␣, as in the run panel's card.
  assert.deepEqual(await pop.locator('.alt .alt-text').allTextContents(), ['␣cat', '␣dog', '␣bird']);
  assert.match(await pop.locator('dl').innerText(), /probability\s*30\.1%[\s\S]*\+30 ms/);
  await panel.page.keyboard.press('Escape');
  assert.equal(await pop.isHidden(), true);
  await panel.close();
});

test('columns can be reordered, hidden and shown again, and resized; the arrangement is saved', async () => {
  const panel = await openCompare();
  await panel.post({
    type: 'snapshot',
    comparison: comparison({
      columns: three(),
      cells: three().map((c) => cell(c.id, 'default', 0, { tokens: words(`output of ${c.model}`) })),
    }),
  });
  const order = (): Promise<string[]> =>
    panel.page.$$eval('.col-head:not(.is-hidden)', (els) =>
      els
        .sort((a, b) => Number((a as HTMLElement).style.gridColumnStart) - Number((b as HTMLElement).style.gridColumnStart))
        .map((e) => (e as HTMLElement).dataset['col'] ?? ''),
    );
  assert.deepEqual(await order(), ['c0', 'c1', 'c2']);
  await panel.page.click('.col-head[data-col="c0"] button[title="Move right"]');
  assert.deepEqual(await order(), ['c1', 'c0', 'c2']);
  // Cells follow their column.
  assert.equal(await panel.page.locator('.cell[data-col="c0"]').evaluate((e) => (e as HTMLElement).style.gridColumnStart), '3');
  await panel.page.click('.col-head[data-col="c2"] button[title="Hide column"]');
  assert.deepEqual(await order(), ['c1', 'c0']);
  assert.equal(await panel.page.locator('.cell[data-col="c2"]').isVisible(), false);
  await panel.page.click('.hidden-cols button:has-text("Show lab/fail-2")');
  assert.deepEqual(await order(), ['c1', 'c0', 'c2']);
  // Dragging a column's grip onto the left half of another puts it before that one.
  const target = (await panel.page.locator('.col-head[data-col="c1"]').boundingBox())!;
  await panel.page.dragAndDrop('.col-head[data-col="c2"] .grip', '.col-head[data-col="c1"]', {
    targetPosition: { x: 10, y: target.height / 2 },
  });
  assert.deepEqual(await order(), ['c2', 'c1', 'c0']);
  await panel.page.click('.col-head[data-col="c2"] button[title="Move right"]');
  await panel.page.click('.col-head[data-col="c2"] button[title="Move right"]');
  await panel.page.click('.col-head[data-col="c0"] button[title="Move left"]');
  assert.deepEqual(await order(), ['c0', 'c1', 'c2']);
  await panel.page.click('.col-head[data-col="c0"] button[title="Move right"]');
  assert.deepEqual(await order(), ['c1', 'c0', 'c2']);
  const width = async (): Promise<number> =>
    panel.page.locator('.col-head[data-col="c1"]').evaluate((e) => e.getBoundingClientRect().width);
  const before = await width();
  await panel.page.focus('.col-head[data-col="c1"] .resize');
  for (let i = 0; i < 4; i++) await panel.page.keyboard.press('ArrowRight');
  assert.ok(Math.abs((await width()) - (before + 96)) < 2, `resized from ${before} to ${await width()}`);
  const box = (await panel.page.locator('.col-head[data-col="c0"] .resize').boundingBox())!;
  await panel.page.mouse.move(box.x + 3, box.y + 10);
  await panel.page.mouse.down();
  await panel.page.mouse.move(box.x + 63, box.y + 10, { steps: 4 });
  await panel.page.mouse.up();
  const saved = (await panel.state()) as { ui: { order: string[]; widths: Record<string, number> } };
  assert.deepEqual(saved.ui.order, ['c1', 'c0', 'c2']);
  assert.ok(saved.ui.widths['c1']! > before && saved.ui.widths['c0']! > 0, JSON.stringify(saved.ui.widths));
  await panel.close();
});

test('synchronized scrolling moves the same case in the other columns; off, it does not', async () => {
  const panel = await openCompare(1000, 500);
  const long = (n: number) => words(Array.from({ length: n }, (_, i) => `line ${i}\n`).join(''));
  await panel.post({
    type: 'snapshot',
    comparison: comparison({ cells: [cell('c0', 'default', 0, { tokens: long(400) }), cell('c1', 'default', 0, { tokens: long(200) })] }),
  });
  await panel.settle();
  const body = (c: string) => panel.page.locator(`.cell[data-col="${c}"] .cell-body`);
  const top = (c: string) => body(c).evaluate((e) => e.scrollTop / (e.scrollHeight - e.clientHeight));
  await body('c0').evaluate((e) => (e.scrollTop = (e.scrollHeight - e.clientHeight) / 2));
  await panel.page.waitForFunction(() => {
    const e = document.querySelector('.cell[data-col="c1"] .cell-body')!;
    return e.scrollTop > 0;
  });
  assert.ok(Math.abs((await top('c1')) - 0.5) < 0.05, `c1 at ${await top('c1')}`);
  await panel.page.uncheck('.sync input');
  await body('c0').evaluate((e) => (e.scrollTop = 0));
  await panel.post({ type: 'update', tokens: [], cells: [] });
  assert.ok((await top('c1')) > 0.4);
  await panel.close();
});

test('Cancel and the export buttons ask the host and show its answer', async () => {
  const panel = await openCompare();
  await panel.post({
    type: 'snapshot',
    comparison: comparison({ status: 'running', cells: [cell('c0', 'default', 0, { status: 'running' })] }),
  });
  await panel.page.click('.cancel');
  await panel.page.click('.exports button:has-text("CSV")');
  const requests = (await panel.posted()).filter((m) => m.type === 'request');
  assert.deepEqual(
    requests.map((r) => [r['action'], r['format']]),
    [
      ['cancel', undefined],
      ['export', 'csv'],
    ],
  );
  await panel.post({ type: 'reply', requestId: requests[1]!['requestId'], ok: true, message: 'Exported to qa.comparison.csv' });
  assert.equal(await panel.page.locator('.panel-message').innerText(), 'Exported to qa.comparison.csv');
  await panel.post({ type: 'reply', requestId: requests[0]!['requestId'], ok: false, error: 'This comparison is not running.' });
  assert.match(await panel.page.locator('.panel-message').innerText(), /Could not cancel: This comparison is not running/);
  // Malformed messages are ignored.
  await panel.post({ type: 'update', tokens: [{ cell: 'c0/r0/s0', from: 0, tokens: { text: [1], ms: [0], logprob: [null] } }], cells: [] });
  await panel.post({ type: 'snapshot', comparison: { id: 3 } });
  assert.equal(await panel.page.locator('.col-head').count(), 2);
  await panel.close();
});

test(`hostile outputs, labels, inputs, answers and errors in several columns stay text: nothing runs, no markup, the layout holds`, async () => {
  const panel = await openCompare(900, 700);
  const evil = HOSTILE;
  const columns = [0, 1, 2, 3].map((i) => ({ id: `c${i}`, variant: evil[i]!, model: evil[i + 4]!, label: `${evil[i]} · ${evil[i + 4]}` }));
  const cases = [0, 1].map((i) => ({
    id: `case-${i}`,
    line: 1,
    inputs: { [evil[8 + i]!]: evil[10 + i], list: evil.slice(12, 15) },
    checked: true,
  }));
  const cells = columns.flatMap((c, ci) =>
    cases.map((k, ki) =>
      cell(c.id, k.id, 0, {
        tokens: evil.slice((ci * 2 + ki) * 6, (ci * 2 + ki) * 6 + 14).map((h, i) => tok(h, -0.5 - i / 10, [[`${h}?`, -1]], i * 10)),
        answer: evil[ci + ki]!,
        assertions: [{ kind: 'regex', pass: false, reason: evil[20 + ci]! }],
        ...(ci === 3
          ? { status: 'error' as const, error: { kind: 'server-error' as const, message: evil[ki]!, serverMessage: evil[ki + 2]! } }
          : {}),
      }),
    ),
  );
  await panel.post({
    type: 'snapshot',
    comparison: comparison({
      title: evil[0]!,
      file: evil[1]!,
      columns,
      cases,
      cells,
      notices: [evil[2]!, evil[3]!],
      summary: {
        columns: [],
        rows: [],
        votes: [
          {
            caseId: 'case-0',
            column: 'c0',
            total: 2,
            missing: 0,
            agreement: 0.5,
            tie: true,
            majority: evil[5]!,
            buckets: [
              { answer: evil[5]!, count: 1, frequency: 0.5 },
              { answer: evil[6]!, count: 1, frequency: 0.5 },
            ],
          },
        ],
      },
    }),
  });
  await panel.settle();
  const check = async (): Promise<void> => {
    const s = await panel.page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      elements: document.querySelectorAll(
        '#app script, #app iframe, #app object, #app embed, #app style, #app form, #app img, #app link, #app meta, #app a, #app input:not([type="checkbox"]), #app video, #app math, #app x, #app template',
      ).length,
      handlers: Array.from(document.querySelectorAll('body *')).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on')))
        .length,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      toolbar: document.querySelector('.toolbar')!.getBoundingClientRect().width,
    }));
    assert.equal(s.pwned, undefined);
    assert.equal(s.elements, 0);
    assert.equal(s.handlers, 0);
    assert.ok(s.overflow <= 1, `the page is ${s.overflow}px wider than the window`);
    assert.ok(s.toolbar <= 900);
  };
  await check();
  assert.equal(await panel.page.locator('.title').innerText(), evil[0]);
  assert.equal((await chips(panel, 'c0'))[0], evil[0]);
  for (let i = 0; i < 8; i++) await panel.page.hover(`.cell[data-col="c1"] .tok[data-index="${i}"]`);
  await check();
  // Every column keeps its width: a 20,000-character word does not push the others away.
  const widths = await panel.page.$$eval('.col-head', (els) => els.map((e) => e.getBoundingClientRect().width));
  assert.ok(
    widths.every((w) => w >= 270 && w < 700),
    widths.join(', '),
  );
  for (const mode of ['text', 'diff']) {
    await panel.page.click(`button.view[data-mode="${mode}"]`);
    await panel.page.waitForTimeout(0);
    await check();
  }
  await panel.page.screenshot({ path: path.join(results, 'compare-hostile.png') });
  await panel.close();
});
