// The comparison panel at half width (a panel beside the editor, 640–800 px): columns and their
// headers stay readable (the grid scrolls sideways instead of clipping), vote labels show where
// the answers differ, the vote legend uses the bars' colours, the Baseline control looks enabled
// when it is, and votes count the extracted answer, not the whole reply.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { ComparisonView } from '../../src/shared/compare-protocol';
import { cell, comparison, openCompare, startBrowser, stopBrowser, words, type ComparePage } from './compare-page';

const results = path.resolve(__dirname, '..', '..', 'test-results');

before(async () => {
  await startBrowser();
});
after(stopBrowser);

const WIDTH = 720;

const columns = (): ComparisonView['columns'] => [
  {
    id: 'c0',
    variant: 'cot-step-by-step',
    model: 'ollama/qwen2.5-coder:14b-instruct-q4_K_M',
    label: 'cot-step-by-step · ollama/qwen2.5-coder:14b-instruct-q4_K_M',
  },
  {
    id: 'c1',
    variant: 'cot-step-by-step',
    model: 'vllm/meta-llama/Llama-3.1-8B-Instruct',
    label: 'cot-step-by-step · vllm/meta-llama/Llama-3.1-8B-Instruct',
  },
  { id: 'c2', variant: 'plan-and-solve', model: 'ollama/llama3.2', label: 'plan-and-solve · ollama/llama3.2' },
];

const LONG = 'The train leaves the station at nine and arrives in the city at ';
const answers = [`${LONG}eleven forty`, `${LONG}eleven forty`, `${LONG}twelve fifteen`];

async function halfWidthPanel(): Promise<ComparePage> {
  const panel = await openCompare(WIDTH, 760);
  const cells = columns().flatMap((c) =>
    answers.map((answer, i) => cell(c.id, 'default', i, { tokens: words(`Let me think. The answer is ${answer}.`), answer })),
  );
  await panel.post({
    type: 'snapshot',
    comparison: comparison({
      samples: 3,
      columns: columns(),
      cells,
      summary: {
        columns: [],
        rows: [{ caseId: 'default', same: true }],
        votes: columns().map((c) => ({
          caseId: 'default',
          column: c.id,
          total: 3,
          missing: 0,
          agreement: 2 / 3,
          tie: false,
          majority: answers[0]!,
          buckets: [
            { answer: answers[0]!, count: 2, frequency: 2 / 3, modelProbability: 0.7 },
            { answer: answers[2]!, count: 1, frequency: 1 / 3, modelProbability: 0.2 },
          ],
        })),
      },
    }),
  });
  await panel.settle();
  return panel;
}

test('at half width the columns and their headers are not clipped: the grid scrolls sideways', async () => {
  const panel = await halfWidthPanel();
  mkdirSync(results, { recursive: true });
  await panel.page.screenshot({ path: path.join(results, 'compare-half.png') });
  const scroller = panel.page.locator('.grid-scroll');
  for (const id of ['c0', 'c1', 'c2']) {
    const head = panel.page.locator(`.col-head[data-col="${id}"]`);
    await head.scrollIntoViewIfNeeded();
    const box = await head.evaluate((h) => {
      const r = h.getBoundingClientRect();
      const title = h.querySelector<HTMLElement>('.model')!;
      const actions = Array.from(h.querySelectorAll<HTMLElement>('.col-actions button')).map((b) => b.getBoundingClientRect());
      return {
        width: r.width,
        left: r.left,
        right: r.right,
        overflow: h.scrollWidth - h.clientWidth,
        titleHidden: title.scrollWidth - title.clientWidth,
        actionsOutside: actions.filter((a) => a.right > r.right + 0.5 || a.left < r.left - 0.5).length,
      };
    });
    assert.ok(box.width >= 220, `column ${id} is ${box.width}px wide`);
    assert.equal(box.overflow, 0, `header ${id} overflows by ${box.overflow}px`);
    assert.equal(box.titleHidden, 0, `the model name in ${id} is cut by ${box.titleHidden}px`);
    assert.equal(box.actionsOutside, 0, `buttons of ${id} outside its header`);
  }
  // Every column can be brought fully into view.
  // The vote table fits its cell (no column cut off at the cell's edge).
  const table = await panel.page.locator('.cell[data-col="c0"] table.calibration').evaluate((t) => {
    const cellBox = t.closest('.cell')!.getBoundingClientRect();
    return { right: t.getBoundingClientRect().right, cell: cellBox.right, wide: t.scrollWidth - t.clientWidth };
  });
  assert.ok(table.right <= table.cell + 0.5 && table.wide <= 0, `vote table ends at ${table.right}, its cell at ${table.cell}`);
  const reach = await scroller.evaluate((s) => {
    s.scrollLeft = s.scrollWidth;
    const last = document.querySelector('.col-head[data-col="c2"]')!.getBoundingClientRect();
    return { right: last.right, view: s.getBoundingClientRect().right, scrolls: s.scrollWidth > s.clientWidth };
  });
  assert.ok(reach.scrolls, 'three columns do not fit 720px: the grid scrolls');
  assert.ok(reach.right <= reach.view + 0.5, `the last column ends at ${reach.right}, the view at ${reach.view}`);
  await panel.close();
});

test('vote labels show where long answers differ, not the same cut-off start', async () => {
  const panel = await halfWidthPanel();
  const votes = panel.page.locator('.cell[data-col="c0"] .votes');
  const labels = await votes.locator('svg.histogram .bucket .label').allTextContents();
  assert.deepEqual(labels, ['…eleven forty', '…twelve fifteen']);
  const rows = await votes.locator('table.calibration td.answer').allTextContents();
  assert.notEqual(rows[0], rows[1], 'the table tells the answers apart too');
  assert.ok(
    rows.every((r) => /eleven forty|twelve fifteen/.test(r)),
    rows.join(' | '),
  );
  // The whole answer stays one hover away.
  assert.equal(await votes.locator('table.calibration td.answer').first().getAttribute('title'), answers[0]);
  await panel.close();
});

test('the vote legend uses the colours of the bars it explains', async () => {
  const panel = await halfWidthPanel();
  const fills = await panel.page.locator('.cell[data-col="c0"] svg.histogram').evaluate((svg) => {
    return {
      bars: Array.from(svg.querySelectorAll('.bucket .freq')).map((e) => getComputedStyle(e).fill),
      probs: Array.from(svg.querySelectorAll('.bucket .prob')).map((e) => getComputedStyle(e).fill),
      legendBar: getComputedStyle(svg.querySelector('.legend .freq')!).fill,
      legendProb: getComputedStyle(svg.querySelector('.legend .prob')!).fill,
    };
  });
  assert.equal(fills.bars.length, 2);
  for (const bar of fills.bars) assert.equal(bar, fills.legendBar, `an observed bar is ${bar}, the legend says ${fills.legendBar}`);
  for (const prob of fills.probs) assert.equal(prob, fills.legendProb);
  assert.notEqual(fills.legendBar, fills.legendProb);
  await panel.close();
});

test('the Baseline control is enabled in every view and looks it; picking a baseline opens the diff', async () => {
  const panel = await halfWidthPanel();
  const look = (): Promise<{ disabled: boolean; opacity: string; labelOpacity: string; color: string }> =>
    panel.page.locator('.baseline select').evaluate((s) => ({
      disabled: (s as HTMLSelectElement).disabled,
      opacity: getComputedStyle(s).opacity,
      labelOpacity: getComputedStyle(s.closest('label')!).opacity,
      color: getComputedStyle(s).color,
    }));
  const syncLook = await panel.page.locator('.check.sync').evaluate((l) => getComputedStyle(l).color);
  const inTokens = await look();
  assert.deepEqual(
    { disabled: inTokens.disabled, opacity: inTokens.opacity, labelOpacity: inTokens.labelOpacity },
    { disabled: false, opacity: '1', labelOpacity: '1' },
  );
  assert.equal(inTokens.color, syncLook, 'the select reads like the other enabled controls');
  await panel.page.selectOption('.baseline select', 'c1');
  assert.equal(await panel.page.locator('button.view[data-mode="diff"]').getAttribute('aria-pressed'), 'true');
  assert.equal(await panel.page.locator('.col-head[data-col="c1"] button[aria-pressed="true"]').count(), 1);
  assert.deepEqual(await look(), inTokens);
  await panel.close();
});
