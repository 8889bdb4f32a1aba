// The catalogue is what every surface is generated from: each template must render with its
// example inputs through the dotprompt library and pass the same checks as `promptscope check`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import { renderPrompt } from '../../src/core/prompt/render';
import { CLUSTER_TITLES, FAMILIES, FAMILY_TITLES, findPattern, PATTERNS } from '../../src/core/patterns/catalogue';
import { composePromptFile, exampleInputFor, inputName, templateInputNames } from '../../src/core/patterns/compose';
import { patternHints } from '../../src/core/patterns/hints';
import { explainPattern } from '../../src/core/patterns/markdown';
import { declaredPattern, recognizePatternAt } from '../../src/core/patterns/recognize';
import { FLAN_CLUSTERS, PATTERN_LANGUAGES } from '../../src/core/patterns/types';

for (const pattern of PATTERNS) {
  for (const template of pattern.templates) {
    test(`${pattern.id}/${template.id} renders its example and passes check`, async () => {
      const file = composePromptFile(pattern, template);
      const analysis = await analyzePrompt(file);
      const problems = analysis.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
      assert.deepEqual(problems, [], `diagnostics for\n${file}`);
      assert.deepEqual(patternHints(analysis), [], 'the catalogue itself triggers no pattern hints');
      const example = exampleInputFor(pattern, template);
      // No missing variables: every input the template reads at the top level has an example value.
      for (const v of analysis.template.variables) {
        if (v.scoped || v.data || v.head === '') continue;
        const optional = Object.keys(template.schema).some((k) => inputName(k) === v.head && k.includes('?'));
        assert.ok(v.head in example || optional, `"${v.head}" has no example value in ${pattern.id}/${template.id}`);
      }
      const rendered = await renderPrompt(file);
      const text = rendered.messages.flatMap((m) => m.content.map((p) => ('text' in p ? (p.text ?? '') : ''))).join('');
      assert.ok(text.trim().length > 0, 'renders to some text');
      assert.ok(!/\{\{|\}\}/.test(text), 'no Handlebars left in the output');
      for (const [name, value] of Object.entries(example)) {
        if (typeof value === 'string' && !/^\s*$/.test(value))
          assert.ok(text.includes(value.split('\n')[0]!), `example "${name}" appears in the rendered text`);
      }
      assert.equal(declaredPattern(analysis)?.id, pattern.id);
    });
  }
}

test('all 12 FLAN clusters have a pattern, with the datasets FLAN lists', () => {
  assert.equal(FLAN_CLUSTERS.length, 12);
  for (const cluster of FLAN_CLUSTERS) {
    const found = PATTERNS.filter((p) => p.cluster === cluster);
    assert.ok(found.length > 0, `cluster ${cluster} has a pattern`);
    for (const p of found) {
      assert.equal(p.family, 'flan');
      assert.ok(p.datasets.length >= 2, `${p.id} names its datasets`);
      assert.ok(
        p.templates.some((t) => t.form === 'zero-shot'),
        `${p.id} has a zero-shot template`,
      );
      assert.ok(
        p.templates.some((t) => t.form === 'few-shot' && t.body.includes('{{#each examples}}')),
        `${p.id} has a few-shot template over examples`,
      );
    }
  }
  assert.deepEqual(findPattern('flan-nli')?.datasets, ['ANLI', 'RTE', 'CB', 'SNLI', 'MNLI', 'WNLI', 'QNLI']);
});

test('options templates list the options last, under an OPTIONS heading', () => {
  const withOptions = PATTERNS.flatMap((p) => p.templates.filter((t) => t.form === 'options'));
  assert.ok(withOptions.length >= 8);
  for (const t of withOptions) assert.match(t.body, /\nOPTIONS:\n\{\{#each options\}\}\n- \{\{this\}\}\n\{\{\/each\}\}\n$/);
});

test('the reasoning and structure scaffolds the issue asks for are present', () => {
  for (const id of ['zero-shot-cot', 'few-shot-cot', 'self-consistency', 'least-to-most', 'plan-and-solve', 'react'])
    assert.equal(findPattern(id)?.family, 'reasoning', id);
  for (const id of ['role-system', 'delimiters', 'structured-output', 'instruction-record'])
    assert.equal(findPattern(id)?.family, 'structure', id);
  const sc = findPattern('self-consistency')!;
  for (const t of sc.templates) {
    assert.equal(t.extensions?.['promptscope.samples'], 5);
    assert.ok(Number(t.config?.['temperature']) > 0);
  }
  assert.ok(findPattern('structured-output')!.templates[0]!.output?.['schema']);
  const zs = findPattern('zero-shot-cot')!;
  assert.deepEqual(
    zs.templates.map((t) => t.id),
    ['one-pass', 'reason', 'extract'],
  );
});

test('ids are unique and template inputs are named once', () => {
  assert.equal(new Set(PATTERNS.map((p) => p.id)).size, PATTERNS.length);
  for (const p of PATTERNS) {
    assert.equal(new Set(p.templates.map((t) => t.id)).size, p.templates.length, p.id);
    for (const t of p.templates) assert.equal(new Set(templateInputNames(t)).size, templateInputNames(t).length, `${p.id}/${t.id}`);
    assert.ok(p.references.length > 0 || p.family === 'structure', `${p.id} cites its source`);
  }
});

test('every pattern, family and cluster has a title and explanation in English and Chinese', () => {
  for (const lang of PATTERN_LANGUAGES) {
    for (const p of PATTERNS) {
      assert.ok(p.title[lang].trim(), `${p.id} title ${lang}`);
      for (const part of ['what', 'when', 'mistakes'] as const)
        assert.ok(p.explanation[part][lang].trim().length > 20, `${p.id} ${part} ${lang}`);
      for (const t of p.templates) assert.ok(t.label[lang].trim(), `${p.id}/${t.id} label ${lang}`);
      const md = explainPattern(p, lang);
      assert.ok(md.startsWith(`# ${p.title[lang]}`));
    }
    for (const f of FAMILIES) assert.ok(FAMILY_TITLES[f][lang]);
    for (const c of FLAN_CLUSTERS) assert.ok(CLUSTER_TITLES[c][lang]);
  }
  // Chinese text is Chinese, not a copy of the English.
  for (const p of PATTERNS) assert.match(p.explanation.what['zh-cn'], /[\u4e00-\u9fff]/, p.id);
});

test('hover recognition: the pattern field and a reasoning trigger', async () => {
  const p = findPattern('few-shot-cot')!;
  const file = composePromptFile(p, p.templates[0]!);
  const analysis = await analyzePrompt(file);
  assert.equal(recognizePatternAt(analysis, { line: 1, character: 25 })?.pattern.id, 'few-shot-cot');
  const cot = await analyzePrompt("Q: {{q}}\nA: Let's think step by step.\n");
  assert.equal(recognizePatternAt(cot, { line: 1, character: 5 })?.pattern.id, 'zero-shot-cot');
  assert.equal(recognizePatternAt(cot, { line: 0, character: 1 }), undefined);
});
