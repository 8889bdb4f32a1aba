// The README's picture of the comparison panel: three models on a chain-of-thought prompt with
// test cases, coloured tokens, the summary row with best values, pass/fail per cell, and the
// alternatives card of an uncertain token. Written to test-results/compare.png (`npm run
// screenshots` copies it to docs/images/).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { CompareCell, CompareMetric, SummaryView, TranscriptToken } from '../../src/shared/compare-protocol';
import { cell, comparison, openCompare, startBrowser, stopBrowser } from './compare-page';

const root = path.resolve(__dirname, '..', '..');

before(async () => {
  await startBrowser();
});
after(stopBrowser);

const MODELS = ['ollama/llama3.2:3b', 'ollama/qwen2.5:7b', 'vllm/Qwen2.5-14B-Instruct'];

const CASES = [
  {
    id: 'rolls',
    inputs: { question: 'A baker makes 24 rolls, sells three bags of 5, then bakes 10 more. How many rolls now?' },
    expect: '19',
  },
  { id: 'train', inputs: { question: 'A train leaves at 9:40 and the trip takes 2 h 35 min. When does it arrive?' }, expect: '12:15' },
];

const REPLIES: string[][] = [
  [
    'She starts with 24 rolls.\nThree bags of 5 is 15 rolls, so 24 - 15 = 9.\nThen she bakes 10 more: 9 + 10 = 19.\nThe answer is 19.',
    '9:40 plus 2 hours is 11:40.\n11:40 plus 35 minutes is 12:25.\nThe answer is 12:25.',
  ],
  [
    'Start: 24 rolls. Sold 3 × 5 = 15, leaving 9.\nBaked 10 more, so 9 + 10 = 19.\nThe answer is 19.',
    'Add 2 hours: 11:40. Add 35 minutes: 11:40 + 0:20 = 12:00, + 0:15 = 12:15.\nThe answer is 12:15.',
  ],
  [
    '24 − 3 × 5 = 24 − 15 = 9 rolls left after the sales.\n9 + 10 = 19.\nThe answer is 19.',
    '9:40 + 2:00 = 11:40; 11:40 + 0:35 = 12:15.\nThe answer is 12:15.',
  ],
];

/** Deterministic "model confidence": high on words, lower on numbers, a few hesitant tokens. */
function tokensOf(text: string, column: number, row: number): TranscriptToken[] {
  const pieces = text.match(/\n|[ ]?[A-Za-z]+|[ ]?\d+|[ ]?[^\sA-Za-z\d]/g) ?? [];
  let seed = 7 + column * 31 + row * 17;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return pieces.map((text, i) => {
    const r = rand();
    const numeric = /\d/.test(text);
    let p = numeric ? 0.55 + 0.45 * r : 0.82 + 0.18 * r;
    if (column === 0 && row === 1 && text === '25') p = 0.31;
    if (r < 0.06) p = 0.2 + r * 4;
    const logprob = Math.log(Math.min(0.999, p));
    const near = (d: number): string => `${text.startsWith(' ') ? ' ' : ''}${Math.max(0, Number(text.trim()) + d)}`;
    let alternatives: [string, number][] = numeric
      ? [
          [near(1), Math.log((1 - p) * 0.6)],
          [near(-1), Math.log((1 - p) * 0.3)],
        ]
      : [[text.toUpperCase(), Math.log((1 - p) * 0.5)]];
    if (column === 0 && row === 1 && text === '25')
      alternatives = [
        ['15', Math.log(0.58)],
        ['35', Math.log(0.06)],
        ['05', Math.log(0.02)],
      ];
    return {
      text,
      channel: 'content' as const,
      ms: 180 + column * 90 + i * (18 + column * 9),
      logprob,
      top: [{ text, logprob }, ...alternatives.map(([a, l]) => ({ text: String(a), logprob: Number(l) }))],
    };
  });
}

function best(values: Partial<Record<CompareMetric, number>>[], metric: CompareMetric, dir: 'min' | 'max'): number | undefined {
  const list = values.map((v) => v[metric]).filter((v): v is number => v !== undefined);
  return list.length < 2 ? undefined : dir === 'min' ? Math.min(...list) : Math.max(...list);
}

test('the comparison panel as the README shows it', async () => {
  const cells: CompareCell[] = [];
  const byCell = new Map<string, TranscriptToken[]>();
  const metrics: Partial<Record<CompareMetric, number>>[] = [];
  MODELS.forEach((_, c) => {
    let tokens = 0;
    let length = 0;
    let lp = 0;
    let lpCount = 0;
    CASES.forEach((testCase, r) => {
      const t = tokensOf(REPLIES[c]![r]!, c, r);
      const text = REPLIES[c]![r]!;
      const answer = /The answer is (.+)\.$/.exec(text)![1]!;
      const pass = answer === testCase.expect;
      tokens += t.length;
      length += text.length;
      for (const x of t) {
        lp += x.logprob!;
        lpCount += 1;
      }
      byCell.set(`c${c}/r${r}/s0`, t);
      cells.push(
        cell(`c${c}`, `case-${r}`, 0, {
          caseId: testCase.id,
          id: `c${c}/r${r}/s0`,
          tokens: t,
          answer,
          stats: { wallMs: 900 + c * 700, ttftMs: 180 + c * 90, evalRate: [61.2, 38.4, 27.9][c]!, outputTokens: t.length },
          assertions: [
            { kind: 'answer', pass, reason: pass ? `answer "${answer}"` : `expected answer "${testCase.expect}", got "${answer}"` },
          ],
          runId: `run-${c}-${r}`,
        }),
      );
    });
    metrics.push({
      tokens: tokens / 2,
      ttftMs: 180 + c * 90,
      tokensPerSecond: [61.2, 38.4, 27.9][c]!,
      meanLogprob: lp / lpCount,
      length: length / 2,
    });
  });
  const directions: Record<CompareMetric, 'min' | 'max'> = {
    tokens: 'min',
    ttftMs: 'min',
    tokensPerSecond: 'max',
    meanLogprob: 'max',
    length: 'min',
  };
  const summary: SummaryView = {
    columns: metrics.map((m, c) => {
      const passed = cells.filter((x) => x.column === `c${c}` && x.assertions.every((a) => a.pass)).length;
      return {
        column: `c${c}`,
        metrics: m,
        best: (Object.keys(directions) as CompareMetric[]).filter((k) => m[k] === best(metrics, k, directions[k])),
        cells: 2,
        completed: 2,
        errors: 0,
        stopped: 0,
        passed,
        failed: 2 - passed,
        casesPassed: passed,
        casesChecked: 2,
      };
    }),
    votes: [],
    rows: [
      { caseId: 'rolls', same: true },
      { caseId: 'train', same: false },
    ],
  };
  const panel = await openCompare(1440, 600);
  await panel.post({
    type: 'snapshot',
    comparison: comparison({
      title: 'Compare word-problems.prompt',
      file: 'prompts/word-problems.prompt',
      columns: MODELS.map((model, c) => ({ id: `c${c}`, variant: 'word-problems', model, label: model })),
      cases: CASES.map((c, i) => ({ id: c.id, line: i + 1, inputs: c.inputs, checked: true })),
      cells,
      summary,
      notices: ['Test cases from word-problems.tests.jsonl (2 cases).'],
    }),
  });
  await panel.settle();
  assert.equal(await panel.page.locator('.sample.fail').count(), 1);
  await panel.page.hover('.cell[data-col="c0"][data-case="train"] .tok:text-is(" 25")');
  await panel.page.locator('.popover').waitFor({ state: 'visible' });
  const ask = (await panel.posted()).find((m) => m['action'] === 'token')!;
  await panel.post({
    type: 'reply',
    requestId: ask['requestId'],
    ok: true,
    token: byCell.get(String(ask['cellId']))![Number(ask['index'])],
  });
  assert.equal(await panel.page.locator('.popover .alt').count(), 4);
  mkdirSync(path.join(root, 'test-results'), { recursive: true });
  await panel.page.screenshot({ path: path.join(root, 'test-results', 'compare.png') });
  await panel.close();
});
