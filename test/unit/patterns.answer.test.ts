import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractAnswer } from '../../src/core/patterns/answer';
import { PATTERNS } from '../../src/core/patterns/catalogue';

test('after-phrase: the last "The answer is", to the end of its line', () => {
  const reply = 'She starts with 24. The answer is not 24 yet: 24 - 15 = 9, then 9 + 10 = 19.\nThe answer is 19.';
  assert.equal(extractAnswer('zero-shot-cot', reply), '19');
  assert.equal(extractAnswer('few-shot-cot', 'Steps…\nthe answer is **11:15**.'), '11:15');
  assert.equal(extractAnswer('self-consistency', '… The answer is 3.5.'), '3.5');
  assert.equal(extractAnswer('self-consistency', '先算……所以答案是 19。'), '19');
  assert.equal(extractAnswer('self-consistency', 'I could not solve it.'), undefined);
});

test('after-phrase: a LaTeX box holds the final answer, with or without the phrase', () => {
  assert.equal(extractAnswer('zero-shot-cot', 'So 24 - 15 + 10 = 19.\nThe answer is $\\boxed{19}$.'), '19');
  assert.equal(extractAnswer('zero-shot-cot', 'Adding up:\n\\[\n\\boxed{\\frac{3}{4}}\n\\]'), '\\frac{3}{4}');
  assert.equal(extractAnswer('self-consistency', 'The answer is 18 at first glance, but recounting gives \\boxed{19}.'), '19');
  // A box cut off mid-stream is no answer; the phrase still is.
  assert.equal(extractAnswer('zero-shot-cot', 'The answer is 7.\nChecking: \\boxed{7'), '7');
  assert.equal(extractAnswer('zero-shot-cot', 'The answer is $19$.'), '19');
  assert.equal(extractAnswer('zero-shot-cot', 'The answer is $5.'), '$5');
});

test('ReAct: the final-answer phrase', () => {
  assert.equal(extractAnswer('react', 'Thought: done.\nFinal answer: 118 years\n'), '118 years');
});

test('first-line: one option, without a leading label', () => {
  assert.equal(extractAnswer('flan-nli', '\n  Answer: no\nBecause the library was closed.'), 'no');
  assert.equal(extractAnswer('flan-sentiment', '- negative'), 'negative');
  assert.equal(extractAnswer('flan-coreference', '"suitcase".'), 'suitcase');
  assert.equal(extractAnswer({ kind: 'first-line' }, '   \n'), undefined);
});

test('json-field and whole-text', () => {
  assert.equal(
    extractAnswer('structured-output', 'Here you go:\n```json\n{"category": "bug", "urgency": "high", "summary": "Blank PDFs"}\n```'),
    'bug',
  );
  assert.equal(extractAnswer('structured-output', 'not json'), undefined);
  assert.equal(extractAnswer({ kind: 'json-field', field: 'n' }, '{"n": 3}'), '3');
  assert.equal(extractAnswer('flan-summarization', '  Ben and Anna meet at 7 on Friday.  '), 'Ben and Anna meet at 7 on Friday.');
});

test('every FLAN and reasoning pattern has an answer rule; unknown ids are refused', () => {
  for (const p of PATTERNS) if (p.family !== 'structure') assert.ok(p.answer, p.id);
  assert.throws(() => extractAnswer('no-such-pattern', 'x'), /No answer rule/);
});
