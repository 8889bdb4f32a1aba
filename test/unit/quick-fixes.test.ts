// Every "Did you mean …?" diagnostic carries its suggestion as an edit, and applying it clears the finding.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import type { PromptDiagnostic, PromptEdit } from '../../src/core/prompt/diagnostic';
import { SchemaCatalog } from '../../src/core/schemas/catalog';
import { LineIndex } from '../../src/core/text/positions';

/** Applies edits (non-overlapping) from the end backwards so earlier offsets stay valid. */
function apply(text: string, edits: readonly PromptEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }));
  spans.sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

const cases: { name: string; text: string; fixed: string }[] = [
  { name: 'misspelt top-level key', text: '---\nmodle: a\n---\nhi\n', fixed: '---\nmodel: a\n---\nhi\n' },
  { name: 'misspelt nested key', text: '---\noutput:\n  fromat: json\n---\nhi\n', fixed: '---\noutput:\n  format: json\n---\nhi\n' },
  {
    name: 'near miss of a config key',
    text: '---\nconfig:\n  temprature: 0.5\n---\nhi\n',
    fixed: '---\nconfig:\n  temperature: 0.5\n---\nhi\n',
  },
  {
    name: 'model setting at the top, no config yet',
    text: '---\nmodel: a\ntemperature: 0.5\n---\nhi\n',
    fixed: '---\nmodel: a\nconfig:\n  temperature: 0.5\n---\nhi\n',
  },
  {
    name: 'model setting at the top, config below',
    text: '---\nmaxOutputTokens: 64\nconfig:\n    topK: 3\n---\nhi\n',
    fixed: '---\nconfig:\n    maxOutputTokens: 64\n    topK: 3\n---\nhi\n',
  },
  { name: 'misspelt helper', text: '{{#iff x}}a{{/iff}}\n', fixed: '{{#if x}}a{{/iff}}\n' },
  {
    name: 'misspelt input',
    text: '---\ninput:\n  schema:\n    name: string\n---\nHi {{nmae}}\n',
    fixed: '---\ninput:\n  schema:\n    name: string\n---\nHi {{name}}\n',
  },
  {
    name: 'misspelt Picoschema type',
    text: '---\ninput:\n  schema:\n    name: strng\n---\nHi {{name}}\n',
    fixed: '---\ninput:\n  schema:\n    name: string\n---\nHi {{name}}\n',
  },
];

async function diagnostics(text: string): Promise<PromptDiagnostic[]> {
  return (await analyzePrompt(text, { schemas: new SchemaCatalog().lookup })).diagnostics;
}

describe('"Did you mean" quick fixes', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const found = (await diagnostics(c.text)).filter((d) => d.message.includes('Did you mean'));
      assert.equal(found.length, 1, JSON.stringify(found));
      const fix = found[0]!.fix;
      assert.ok(fix, `no fix on: ${found[0]!.message}`);
      assert.equal(apply(c.text, fix.edits), c.fixed);
    });
  }

  test('every diagnostic that says "Did you mean" carries a fix, across the cases and the corpus-like mix', async () => {
    const mixed =
      '---\nmodle: a\ntemperature: 1\nconfig:\n  topk: 2\noutput:\n  fromat: json\ninput:\n  schema:\n    name: strng\n---\n{{#iff x}}{{nmae}}{{/iff}}\n';
    const all = [...(await Promise.all(cases.map((c) => diagnostics(c.text)))).flat(), ...(await diagnostics(mixed))];
    const suggesting = all.filter((d) => /did you mean/i.test(d.message));
    assert.ok(suggesting.length >= cases.length + 5, `only ${suggesting.length}`);
    for (const d of suggesting) assert.ok(d.fix && d.fix.edits.length > 0, `no fix on: ${d.message}`);
  });

  test('a multi-line value under a misplaced model setting is named, not offered as a broken edit', async () => {
    const found = await diagnostics('---\ntemperature: >\n  0.5\n---\nhi\n');
    const d = found.find((x) => x.code === 'unknown-key');
    assert.ok(d);
    assert.match(d.message, /Move it there as config\.temperature/);
    assert.equal(d.fix, undefined);
  });
});

describe('a partial with its own frontmatter', () => {
  const partial = '# licence\n---\nmodel: googleai/gemini-2.5-flash\n---\nBe brief.\n';

  test('the partial file itself is marked on its opening fence, and the fix removes the frontmatter', async () => {
    const found = (await analyzePrompt(partial, { filePath: '/ws/prompts/_style.prompt' })).diagnostics.filter(
      (d) => d.code === 'partial-frontmatter',
    );
    assert.equal(found.length, 1);
    assert.equal(found[0]!.severity, 'warning');
    assert.deepEqual(found[0]!.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
    assert.match(found[0]!.message, /lines 2–4\) is sent to the model as text/);
    const fixed = apply(partial, found[0]!.fix!.edits);
    assert.equal(fixed, '# licence\nBe brief.\n');
    const after = (await analyzePrompt(fixed, { filePath: '/ws/prompts/_style.prompt' })).diagnostics;
    assert.ok(!after.some((d) => d.code === 'partial-frontmatter'));
  });

  test('a prompt (no leading underscore) with a frontmatter is not a partial', async () => {
    const found = (await analyzePrompt(partial, { filePath: '/ws/prompts/style.prompt' })).diagnostics;
    assert.ok(!found.some((d) => d.code === 'partial-frontmatter'));
  });
});

describe('input or output written as a schema name', () => {
  test('a warning (the library accepts it; apps find no schema), and the fix moves the name under schema', async () => {
    const text = '---\ninput: InputSchema\noutput: "OutputSchema"\n---\nHello\n';
    const found = await diagnostics(text);
    assert.deepEqual(
      found.filter((d) => d.severity === 'error'),
      [],
    );
    const moved = found.filter((d) => d.code === 'invalid-value');
    assert.equal(moved.length, 2, JSON.stringify(found));
    for (const d of moved) assert.equal(d.severity, 'warning');
    assert.match(moved[0]!.message, /input is the string "InputSchema".*Write it as input\.schema: InputSchema/);
    let fixed = text;
    for (const d of [...moved].reverse()) fixed = apply(fixed, d.fix!.edits);
    assert.equal(fixed, '---\ninput:\n  schema: InputSchema\noutput:\n  schema: "OutputSchema"\n---\nHello\n');
    assert.ok(!(await diagnostics(fixed)).some((d) => d.code === 'invalid-value'));
  });

  test('schema fields written straight under output are pointed to output.schema', async () => {
    const found = await diagnostics('---\noutput:\n  animal: string\n---\nHi\n');
    const d = found.find((x) => x.code === 'unknown-key');
    assert.match(d?.message ?? '', /Unknown key "animal" in output\. Schema fields go under output\.schema: move "animal" there\./);
  });
});
