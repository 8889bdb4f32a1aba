// Named schemas in analysis, hover and completion, and the quick fixes of the silent-bug warnings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { completeAt } from '../../src/core/language/completion';
import { hoverAt } from '../../src/core/language/hover';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import type { PromptDiagnostic } from '../../src/core/prompt/diagnostic';
import { renderPrompt } from '../../src/core/prompt/render';
import { SchemaCatalog } from '../../src/core/schemas/catalog';
import { LineIndex } from '../../src/core/text/positions';

const catalog = new SchemaCatalog();
catalog.setFile('/ws/src/index.ts', [{ name: 'Recipe', line: 4, character: 18, form: 'ai.defineSchema' }]);
catalog.setMapped([
  {
    name: 'Person',
    location: { file: '/ws/schemas/person.json', line: 0, character: 0, form: 'promptscope.schemas' },
    jsonSchema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name'] },
  },
]);

function applyFix(text: string, d: PromptDiagnostic | undefined): string {
  assert.ok(d?.fix, 'a quick fix');
  const lines = new LineIndex(text);
  const edits = [...d.fix.edits]
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  return edits.reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

describe('named schemas', () => {
  test('a defined name: no diagnostic, hover says where, fields of a mapped file are checked', async () => {
    const text = '---\ninput:\n  schema: Person\noutput:\n  schema: Recipe\n---\nHi {{name}}, {{nickname}}\n';
    const analysis = await analyzePrompt(text, { schemas: catalog.lookup });
    assert.deepEqual(
      analysis.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`),
      ['undefined-variable 6:15'],
    );
    assert.deepEqual(
      analysis.schemaRefs.map(
        (r) => `${r.name} ${r.key} ${r.range.start.line}:${r.range.start.character}-${r.range.end.character} ${r.schema?.location.file}`,
      ),
      ['Person input.schema 2:10-16 /ws/schemas/person.json', 'Recipe output.schema 4:10-16 /ws/src/index.ts'],
    );
    assert.match(
      hoverAt(analysis, { line: 4, character: 12 }, (f) => f.replace('/ws/', ''))!.markdown,
      /defined with `ai\.defineSchema` in `src\/index\.ts` line 5/,
    );
    assert.match(hoverAt(analysis, { line: 2, character: 12 })!.markdown, /`name`: `string`\n- `age`: `integer`/);
  });

  test('an unknown name is information, never an error, in a nested Picoschema field too', async () => {
    const text = '---\noutput:\n  schema:\n    author: Writer, who wrote it\n    items(array): Item\n---\nhi\n';
    const found = (await analyzePrompt(text, { schemas: catalog.lookup })).diagnostics.map(
      (d) => `${d.severity} ${d.code} ${d.range.start.line}:${d.range.start.character}`,
    );
    assert.deepEqual(found, ['information unknown-schema 3:12', 'information unknown-schema 4:18']);
  });

  test("completion offers the workspace's names and the Picoschema types in schema values", async () => {
    const text = '---\noutput:\n  schema: \n---\nhi\n';
    const analysis = await analyzePrompt(text);
    const labels = completeAt(analysis, text.indexOf('schema: ') + 8, { schemaNames: catalog.names() }).map((e) => e.label);
    assert.deepEqual(labels, ['Person', 'Recipe', 'any', 'boolean', 'integer', 'null', 'number', 'string']);
  });
});

describe('silent bugs: the library renders them without complaint; each warning fixes it', () => {
  const prompt =
    '---\ninput:\n  schema:\n    topic: string\n---\n{{#role "system"}}Be brief.{{/role}}\nOn {topic}: {{$topic}} {% if topic %}yes{% endif %}\n';

  test('what the library renders', async () => {
    const rendered = await renderPrompt(prompt, { input: { topic: 'tides' } });
    const text = JSON.stringify(rendered.messages);
    assert.doesNotMatch(text, /Be brief/, 'the role block drops its text');
    assert.match(text, /On \{topic\}: {2}\{% if topic %\}yes\{% endif %\}/, 'single braces and Jinja stay literal; {{$topic}} is empty');
  });

  test('every warning carries a fix, and the fixed file renders what was meant', async () => {
    let text = prompt;
    for (let round = 0; round < 10; round++) {
      const next = (await analyzePrompt(text)).diagnostics.find((d) => d.fix);
      if (!next) break;
      text = applyFix(text, next);
    }
    assert.equal(
      text,
      '---\ninput:\n  schema:\n    topic: string\n---\n{{role "system"}}Be brief.\nOn {{topic}}: {{topic}} {{#if topic}}yes{{/if}}\n',
    );
    assert.deepEqual((await analyzePrompt(text)).diagnostics, []);
    const rendered = JSON.stringify((await renderPrompt(text, { input: { topic: 'tides' } })).messages);
    assert.match(rendered, /Be brief/);
    assert.match(rendered, /On tides: tides yes/);
  });

  test('a closing fence at the end of the file without a line break', async () => {
    const text = '---\nmodel: googleai/gemini-2.5-flash\n---';
    const [d] = (await analyzePrompt(text)).diagnostics;
    assert.equal(d?.code, 'frontmatter-fence-at-end');
    assert.equal(applyFix(text, d), `${text}\n`);
  });
});

test('"array" and "object" as a type name are errors with the Picoschema form, not an unknown named schema', async () => {
  // Seen in real projects: they go to the app's registry and fail in every app.
  const text = '---\ninput:\n  schema:\n    Packages: array\n    chunks:\n      type: object\n---\n{{Packages}}{{chunks}}\n';
  const found = (await analyzePrompt(text, { schemas: catalog.lookup })).diagnostics;
  assert.deepEqual(
    found.map((d) => [d.code, d.severity, `${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`]),
    [['invalid-schema', 'error', '3:14-19']],
  );
  assert.match(found[0]!.message, /"array" is written on the field: `name\(array\): itemType`/);
});
