// Comparison analysis: answer extraction and where the answer sits, the model's probability of
// the answer tokens, votes and calibration, the word diff, summaries, exports and saved records.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  answerSpecFor,
  AnswerRuleError,
  calibrationGap,
  ComparisonRecordError,
  ComparisonStore,
  diffWords,
  findAnswer,
  normalizeAnswer,
  parseCsv,
  parseRecord,
  sideOf,
  summarizeComparison,
  tallyVotes,
  toCsv,
  toJsonl,
  toMarkdown,
  TokenTrack,
  wordTokens,
  type CellResult,
  type ComparisonResult,
} from '../../src/core/compare';

const close = (actual: number | undefined, expected: number, digits = 9): void => {
  assert.ok(actual !== undefined, 'a number');
  assert.ok(Math.abs(actual - expected) < 10 ** -digits, `${actual} ≈ ${expected}`);
};

test('answer rules: promptscope.answer, the pattern named by promptscope.pattern, else the default', () => {
  assert.deepEqual(answerSpecFor({ answer: 'first-line' }).rule, { kind: 'first-line' });
  assert.deepEqual(answerSpecFor({ answer: 'json:label' }).rule, { kind: 'json-field', field: 'label' });
  assert.deepEqual(answerSpecFor({ answer: ['Final:', 'So'] }).rule, { kind: 'after-phrase', phrases: ['Final:', 'So'] });
  assert.deepEqual(answerSpecFor({ answer: 'after:Therefore' }).rule, { kind: 'after-phrase', phrases: ['Therefore'] });
  assert.throws(() => answerSpecFor({ answer: 42 }), AnswerRuleError);
  const fromPattern = answerSpecFor({ pattern: 'flan-sentiment' });
  assert.deepEqual(fromPattern.rule, { kind: 'first-line' });
  assert.equal(fromPattern.source, 'pattern flan-sentiment');
  const fallback = answerSpecFor(undefined);
  assert.equal(fallback.rule.kind, 'after-phrase');
  assert.equal(fallback.fallbackToWholeText, true);
});

test('findAnswer: the answer after the LAST phrase, with its span in the reply', () => {
  const spec = answerSpecFor(undefined);
  const reply = 'The answer is not obvious. 12 + 30 = 42.\nSo the answer is **42**.\nThen 42 again.';
  const found = findAnswer(spec, reply)!;
  assert.equal(found.answer, '42');
  assert.equal(reply.slice(found.start, found.end), '42');
  assert.equal(found.start, reply.indexOf('**42**') + 2, 'the span after the last phrase, not an earlier or later 42');
  assert.deepEqual(findAnswer(spec, '  positive \n'), { answer: 'positive', start: 2, end: 10 }, 'default falls back to the whole reply');
  assert.equal(findAnswer(answerSpecFor({ answer: 'after:Final:' }), 'no phrase'), undefined, 'declared rules do not fall back');
  const boxedReply = 'Start at 19, lose 2, find 2: 19 - 2 + 2 = 19.\n\\[\\boxed{19}\\]';
  const boxed = findAnswer(spec, boxedReply)!;
  assert.equal(boxed.answer, '19');
  assert.equal(boxed.start, boxedReply.indexOf('{19}') + 1, 'the 19 in the box, not the first 19 of the reasoning');
  const json = findAnswer(answerSpecFor({ answer: 'json:label' }), '{"note": "neg", "label": "neg"}')!;
  assert.equal(json.answer, 'neg');
  assert.equal(json.start, '{"note": "neg", "label": "'.length, 'the value of the field, not the earlier same text');
});

test('normalizeAnswer: case, spacing, full stops and number forms make one vote', () => {
  assert.equal(normalizeAnswer('  Paris. '), 'paris');
  assert.equal(normalizeAnswer('1,000.0'), '1000');
  assert.equal(normalizeAnswer('$42'), '42');
  assert.equal(normalizeAnswer('3.50'), '3.5');
  assert.equal(normalizeAnswer('New   York'), 'new york');
  assert.equal(normalizeAnswer('４２'), '42', 'full-width digits');
});

test('TokenTrack: probability of a span is exp(Σ logprob) of every token overlapping it', () => {
  const track = new TokenTrack();
  // "The answer is 42." as tokens: "The", " answer", " is", " 4", "2", "."
  for (const [text, lp] of [
    ['The', -0.1],
    [' answer', -0.2],
    [' is', -0.3],
    [' 4', Math.log(0.5)],
    ['2', Math.log(0.8)],
    ['.', -0.01],
  ] as const)
    track.push(text, lp);
  const text = 'The answer is 42.';
  const start = text.indexOf('42');
  close(track.spanProbability(start, start + 2), 0.4);
  close(track.spanProbability(0, 3), Math.exp(-0.1));
  assert.equal(track.spanProbability(5, 5), undefined);
  close(track.meanLogprob, (-0.1 - 0.2 - 0.3 + Math.log(0.5) + Math.log(0.8) - 0.01) / 6);
  assert.equal(track.count, 6);

  // A character split over byte tokens: the empty-text token belongs to the span it sits in.
  const cjk = new TokenTrack();
  cjk.push('答案', -0.1);
  cjk.push('', Math.log(0.5));
  cjk.push('是', Math.log(0.5));
  close(cjk.spanProbability(2, 3), 0.25);
  const partial = new TokenTrack();
  partial.push('4', undefined);
  partial.push('2', -0.1);
  assert.equal(partial.spanProbability(0, 2), undefined, 'no number when a token lacks its probability');
});

test('votes: histogram, majority, agreement, and model probability next to frequency', () => {
  const votes = tallyVotes([
    { answer: '42', probability: 0.9 },
    { answer: '42.0', probability: 0.7 },
    { answer: '41', probability: 0.06 },
    {},
    { answer: '42', probability: 0.8 },
  ]);
  assert.equal(votes.total, 5);
  assert.equal(votes.missing, 1);
  assert.equal(votes.majority, '42');
  close(votes.agreement, 0.6);
  assert.equal(votes.tie, false);
  assert.deepEqual(
    votes.buckets.map((b) => [b.answer, b.count, b.samples]),
    [
      ['42', 3, [0, 1, 4]],
      ['41', 1, [2]],
    ],
  );
  close(votes.buckets[0]!.frequency, 0.6);
  close(votes.buckets[0]!.modelProbability, 0.8);
  close(votes.buckets[1]!.frequency, 0.2);
  close(votes.buckets[1]!.modelProbability, 0.06);
  // Σ f·|p − f| / Σ f over answers with probabilities: (0.6·0.2 + 0.2·0.14) / 0.8
  close(calibrationGap(votes), (0.6 * 0.2 + 0.2 * 0.14) / 0.8);

  const tie = tallyVotes([{ answer: 'b' }, { answer: 'a' }, { answer: 'a' }, { answer: 'b' }]);
  assert.equal(tie.tie, true);
  assert.equal(tie.majority, 'b', 'a tie goes to the answer that appeared first');
  assert.equal(tie.buckets[0]!.modelProbability, undefined);
  assert.equal(calibrationGap(tie), undefined);
  const none = tallyVotes([{}, {}]);
  assert.equal(none.majority, undefined);
  assert.equal(none.agreement, 0);
});

/** LCS length by dynamic programming, to check the diff is minimal. */
function lcsLength(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = 0;
    for (let j = 1; j <= b.length; j += 1) {
      const keep = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? prev + 1 : Math.max(row[j]!, row[j - 1]!);
      prev = keep;
    }
  }
  return row[b.length]!;
}

test('word diff: words, spaces and punctuation; both sides rebuild; the common part is a longest one', () => {
  const d = diffWords('the cat sat on the mat', 'the dog sat on a mat today');
  assert.deepEqual(d.parts, [
    { op: 'equal', text: 'the ' },
    { op: 'delete', text: 'cat' },
    { op: 'insert', text: 'dog' },
    { op: 'equal', text: ' sat on ' },
    { op: 'delete', text: 'the' },
    { op: 'insert', text: 'a' },
    { op: 'equal', text: ' mat' },
    { op: 'insert', text: ' today' },
  ]);
  assert.equal(d.changedWords, 5);
  assert.deepEqual(wordTokens("It's 3.5, 你好!"), ["It's", ' ', '3', '.', '5', ',', ' ', '你', '好', '!']);
  assert.equal(diffWords('same text', 'same text').similarity, 1);

  let seed = 7;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const vocabulary = ['a', 'b', 'c', ' ', '.', 'dd'];
  const text = (): string =>
    Array.from({ length: Math.floor(random() * 14) }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join('');
  for (let i = 0; i < 300; i += 1) {
    const a = text();
    const b = text();
    const diff = diffWords(a, b);
    assert.equal(sideOf(diff.parts, 'baseline'), a);
    assert.equal(sideOf(diff.parts, 'compared'), b);
    const common = diff.parts
      .filter((p) => p.op === 'equal')
      .map((p) => wordTokens(p.text).length)
      .reduce((x, y) => x + y, 0);
    assert.equal(common, lcsLength(wordTokens(a), wordTokens(b)), `minimal for ${JSON.stringify([a, b])}`);
  }
});

test('word diff: very different long texts get a coarse diff instead of stalling', () => {
  const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' ');
  const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join(' ');
  // The search gives up after maxEdits edits (approximate) rather than walking all 6,000 words;
  // how long that takes is measured in bench/, not here.
  const d = diffWords(a, b, { maxEdits: 200 });
  assert.equal(d.approximate, true);
  assert.equal(sideOf(d.parts, 'baseline'), a);
  assert.equal(sideOf(d.parts, 'compared'), b);
});

function cell(column: string, caseId: string, sample: number, extra: Partial<CellResult>): CellResult {
  return {
    id: `${column}/${caseId}/s${sample}`,
    column,
    variant: 'v',
    model: column === 'c0' ? 'lab/a' : 'lab/b',
    caseId,
    sample,
    status: 'completed',
    content: '',
    thinking: '',
    tokenCount: 0,
    assertions: [],
    ...extra,
  };
}

function sampleResult(): ComparisonResult {
  return {
    id: '20250101T000000000Z-abcdef',
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000Z',
    status: 'completed',
    file: 'q.prompt',
    variants: [{ id: 'v', file: '/w/q.prompt' }],
    models: ['lab/a', 'lab/b'],
    columns: [
      { id: 'c0', variant: 'v', model: 'lab/a' },
      { id: 'c1', variant: 'v', model: 'lab/b' },
    ],
    cases: [{ id: 'one', line: 1, inputs: { n: 1 }, expect: { answer: '1' } }],
    samples: 1,
    cells: [
      cell('c0', 'one', 0, {
        content: 'The answer is 1 | <b>',
        tokenCount: 6,
        answer: '1',
        meanLogprob: -0.5,
        stats: { wallMs: 200, ttftMs: 50, evalRate: 40 },
        assertions: [{ kind: 'answer', pass: true, reason: 'answer "1"' }],
      }),
      cell('c1', 'one', 0, {
        status: 'error',
        content: 'Partial,\n"quoted"',
        tokenCount: 2,
        error: { kind: 'stream-cut', message: 'cut' },
        assertions: [{ kind: 'run', pass: false, reason: 'cut' }],
      }),
    ],
  };
}

test('summary: per-column metrics from completed cells, best marked, pass counts, rows that differ', () => {
  const result = sampleResult();
  result.cells.push(cell('c1', 'one', 1, { content: 'x', tokenCount: 3, meanLogprob: -0.1, stats: { wallMs: 1000, ttftMs: 100 } }));
  result.samples = 2;
  const summary = summarizeComparison(result);
  const [a, b] = summary.columns;
  assert.deepEqual(a!.metrics, { tokens: 6, ttftMs: 50, tokensPerSecond: 40, meanLogprob: -0.5, length: 21 });
  // c1: only its completed cell counts; tokens/s from (3 − 1) tokens over the 900 ms after the first.
  close(b!.metrics.tokensPerSecond, 2 / 0.9, 6);
  assert.deepEqual(a!.best.sort(), ['tokensPerSecond', 'ttftMs'].sort());
  assert.deepEqual(b!.best.sort(), ['length', 'meanLogprob', 'tokens'].sort());
  assert.deepEqual([a!.casesPassed, a!.casesChecked, b!.casesPassed, b!.casesChecked, b!.errors], [1, 1, 0, 1, 1]);
  assert.equal(summary.assertionsFailed, 1);
  assert.equal(summary.rows[0]!.same, false);
});

test('exports: Markdown escapes table cells, CSV and JSONL carry every cell', () => {
  const result = sampleResult();
  const md = toMarkdown(result);
  assert.match(md, /\| one \| ✅<br>The answer is 1 \\\| &lt;b&gt; \| /);
  assert.match(md, /⚠ cut<br>Partial,<br>"quoted"/);
  assert.match(md, /\| TTFT ms \| 50 \| – \|/);
  const { records, problems } = parseCsv(toCsv(result));
  assert.deepEqual(problems, []);
  assert.equal(records.length, 3);
  const header = records[0]!.fields;
  assert.equal(records[2]!.fields[header.indexOf('content')], 'Partial,\n"quoted"');
  assert.equal(records[2]!.fields[header.indexOf('error')], 'cut');
  const lines = toJsonl(result)
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { caseId: string; inputs: unknown; status: string });
  assert.deepEqual(
    lines.map((l) => [l.caseId, l.status]),
    [
      ['one', 'completed'],
      ['one', 'error'],
    ],
  );
  assert.deepEqual(lines[0]!.inputs, { n: 1 });
});

test('saved comparisons: save, list, load round trip; unreadable records are refused with a reason', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'promptscope-cmp-'));
  const store = new ComparisonStore(dir);
  const result = sampleResult();
  await store.save(result);
  const loaded = await store.load(result.id);
  assert.deepEqual({ ...loaded }, { type: 'comparison', version: 1, ...result });
  writeFileSync(path.join(dir, 'broken.comparison.json'), '{"type":');
  const unreadable: string[] = [];
  const listed = await store.list((id) => unreadable.push(id));
  assert.deepEqual(
    listed.map((l) => [l.id, l.models, l.cases]),
    [[result.id, ['lab/a', 'lab/b'], 1]],
  );
  assert.deepEqual(unreadable, ['broken'], 'the unreadable record is named, not silently dropped');
  assert.throws(() => parseRecord('{"type":"comparison","version":99}'), /newer Promptscope/);
  assert.throws(() => parseRecord('{"type":"run"}'), ComparisonRecordError);
  await assert.rejects(store.load('../etc'), /not a comparison id/);
  await store.delete(result.id);
  assert.deepEqual(await store.list(), []);
});

test('findAnswer (default rule): "The final answer is", "Final answer:" and "**Answer:**" give the answer, not the whole reply', () => {
  const spec = answerSpecFor(undefined);
  assert.equal(findAnswer(spec, 'Nine forty plus two hours.\nThe final answer is **11:40**.')?.answer, '11:40');
  assert.equal(findAnswer(spec, 'Steps…\nFinal answer: Paris')?.answer, 'Paris');
  assert.equal(findAnswer(spec, 'Six times seven.\n**Answer:** 42')?.answer, '42');
});
