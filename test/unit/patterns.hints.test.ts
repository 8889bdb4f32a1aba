// Pattern hints and their quick fixes: each fix, applied, must make its hint go away.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import { LineIndex } from '../../src/core/text/positions';
import { HINT_CODES, patternHints, type PatternHint, type TextEdit } from '../../src/core/patterns/hints';

async function hintsOf(text: string): Promise<PatternHint[]> {
  return patternHints(await analyzePrompt(text));
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
  return out;
}

async function fixedBy(text: string, code: string, fixIndex = 0): Promise<string> {
  const hint = (await hintsOf(text)).find((h) => h.code === code);
  assert.ok(hint, `expected a ${code} hint`);
  assert.equal(hint.severity, 'information');
  const fix = hint.fixes[fixIndex];
  assert.ok(fix, 'the hint has a quick fix');
  const fixed = applyEdits(text, fix.edits);
  assert.ok(!(await hintsOf(fixed)).some((h) => h.code === code), `fixed text still has ${code}:\n${fixed}`);
  const analysis = await analyzePrompt(fixed);
  assert.deepEqual(
    analysis.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  return fixed;
}

test('CoT trigger without an answer-format line', async () => {
  const text = "---\ninput:\n  schema:\n    q: string\n---\nQuestion: {{q}}\nAnswer: Let's think step by step.\n";
  const fixed = await fixedBy(text, HINT_CODES.cotWithoutAnswer);
  assert.match(fixed, /The answer is <answer>\."\n$/);
  assert.equal(
    (await hintsOf('Solve {{q}}. 请一步一步地思考，最后写出“答案是……”。\n')).length,
    0,
    "an answer format on the trigger's own line counts",
  );
  assert.equal((await hintsOf('Solve {{q}} one step at a time.\nThe answer is …\n')).length, 0);
  assert.equal((await hintsOf('{{q}}\nReason step by step, then put the result in \\boxed{}.\n')).length, 0, "LaTeX's box is a format too");
  assert.equal((await hintsOf('---\npromptscope.answer-step: extract\n---\nQ: {{q}}\nA: Let us go step by step.\n')).length, 0);
  assert.equal((await hintsOf('请逐步思考：{{q}}\n')).filter((h) => h.code === HINT_CODES.cotWithoutAnswer).length, 1);
  // Phrases from real prompts that describe a task rather than ask for reasoning.
  for (const task of [
    'Create a comprehensive, step-by-step implementation plan for {{app}}.',
    '- Trace the algorithm step by step (e.g., XOR with key 0x42)',
    '"kill_chain": "step-by-step description of how the attack flows"',
    '你需要通过友好的对话逐步了解学员的情况：{{q}}',
    '讀取計畫，逐步執行每個步驟。{{q}}',
  ])
    assert.equal((await hintsOf(`${task}\n`)).filter((h) => h.code === HINT_CODES.cotWithoutAnswer).length, 0, task);
});

test('exemplar labels that are not among the shared options', async () => {
  const text = [
    '---',
    'input:',
    '  default:',
    '    q: x',
    '    options:',
    '      - "yes"',
    '      - "no"',
    '    examples:',
    '      - q: a',
    '        answer: entailment',
    '      - q: b',
    '        answer: "no"',
    '---',
    '{{#each examples}}',
    '{{q}}',
    'Answer: {{answer}}',
    '{{/each}}',
    '{{q}}',
    '',
    'OPTIONS:',
    '{{#each options}}',
    '- {{this}}',
    '{{/each}}',
    '',
  ].join('\n');
  const hints = (await hintsOf(text)).filter((h) => h.code === HINT_CODES.exemplarLabel);
  assert.equal(hints.length, 1);
  assert.match(hints[0]!.message, /Exemplar 1 .*"entailment"/);
  const fixed = await fixedBy(text, HINT_CODES.exemplarLabel);
  assert.match(fixed, /options:\n\s+\["yes","no","entailment"\]/);
});

test("per-instance options: a label outside the exemplar's own options is reported without a fix", async () => {
  const text =
    '---\ninput:\n  default:\n    examples:\n      - options: [a, b]\n        answer: c\n---\n{{#each examples}}{{answer}}{{/each}}\n';
  const hints = await hintsOf(text);
  assert.equal(hints.length, 1);
  assert.deepEqual(hints[0]!.fixes, []);
});

test('FLAN options not at the end', async () => {
  const text = 'Review: {{review}}\n\nOPTIONS:\n{{#each options}}\n- {{this}}\n{{/each}}\n\nAnswer with one word.\n';
  const fixed = await fixedBy(text, HINT_CODES.optionsNotLast);
  assert.equal(fixed, 'Review: {{review}}\n\nAnswer with one word.\n\nOPTIONS:\n{{#each options}}\n- {{this}}\n{{/each}}\n');
  assert.equal((await hintsOf('Q\nOPTIONS:\n- yes\n- no\n')).length, 0, 'a static list at the end is fine');
  // An OPTIONS heading inside the exemplar loop is followed by the exemplar's answer by design.
  assert.equal((await hintsOf('{{#each examples}}\nOPTIONS:\n- a\nAnswer: {{answer}}\n{{/each}}\nQ\n')).length, 0);
});

test('an input default the template never renders', async () => {
  const text = '---\ninput:\n  default:\n    topic: tides\n    tone: playful\n---\nExplain {{topic}}.\n';
  const hints = (await hintsOf(text)).filter((h) => h.code === HINT_CODES.defaultNeverRendered);
  assert.equal(hints.length, 1);
  assert.match(hints[0]!.message, /"tone"/);
  const rendered = await fixedBy(text, HINT_CODES.defaultNeverRendered, 0);
  assert.match(rendered, /Explain \{\{topic\}\}\.\n\{\{tone\}\}\n$/);
  const removed = await fixedBy(text, HINT_CODES.defaultNeverRendered, 1);
  assert.equal(removed, '---\ninput:\n  default:\n    topic: tides\n---\nExplain {{topic}}.\n');
  assert.equal((await hintsOf('---\ninput:\n  default:\n    tone: a\n---\n{{> part}}\n')).length, 0, 'partials may render it');
});

test('self-consistency samples at temperature 0', async () => {
  const text = '---\npromptscope.samples: 5\nconfig:\n  temperature: 0\n---\nQ: {{q}}. The answer is …\n';
  const fixed = await fixedBy(text, HINT_CODES.samplesAtZero);
  assert.match(fixed, /temperature: 0\.7/);
});

test('no hints for files with errors', async () => {
  assert.deepEqual(await hintsOf('{{#each x}}step by step\n'), []);
});
