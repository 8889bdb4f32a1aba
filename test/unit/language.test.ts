// Completion, hover, document symbols and folding, on small prompts. A `|` in a test text marks
// the cursor and is removed before the analysis.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { completeAt, type CompletionContext, type CompletionEntry } from '../../src/core/language/completion';
import { foldingRanges } from '../../src/core/language/folding';
import { hoverAt } from '../../src/core/language/hover';
import { documentSymbols, type PromptSymbol } from '../../src/core/language/symbols';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import type { Range } from '../../src/core/text/positions';

async function complete(withCursor: string, ctx?: CompletionContext): Promise<CompletionEntry[]> {
  const offset = withCursor.indexOf('|');
  assert.ok(offset >= 0, 'the test text needs a | cursor');
  const text = withCursor.slice(0, offset) + withCursor.slice(offset + 1);
  return completeAt(await analyzePrompt(text), offset, ctx);
}
async function labels(withCursor: string, ctx?: CompletionContext): Promise<string[]> {
  return (await complete(withCursor, ctx)).map((e) => e.label);
}
const r = (sl: number, sc: number, el: number, ec: number): Range => ({
  start: { line: sl, character: sc },
  end: { line: el, character: ec },
});

const FM = [
  '---',
  'model: a',
  'config:',
  '  temperature: 1',
  'input:',
  '  schema:',
  '    name: string, The user name',
  '    count?: integer',
  '  default:',
  '    name: Ann',
  '---',
  '',
].join('\n');

describe('completion in the frontmatter', () => {
  test('top-level keys, without the ones already present', async () => {
    const all = await labels('---\n|\n---\nhi\n');
    for (const key of ['model', 'config', 'input', 'output', 'tools', 'description', 'name', 'version']) assert.ok(all.includes(key), key);
    assert.ok(!all.includes('raw'), 'raw is filled by Dotprompt and never written');
    const rest = await labels('---\nmodel: a\nm|\n---\nhi\n');
    assert.ok(!rest.includes('model'));
    assert.ok(rest.includes('config'));
    const entry = (await complete('---\n|\n---\nhi\n')).find((e) => e.label === 'config')!;
    assert.equal(entry.kind, 'property');
    assert.match(entry.documentation!, /temperature/);
  });

  test('config keys, without the ones already present', async () => {
    const keys = await labels('---\nconfig:\n  |\n---\nhi\n');
    assert.deepEqual(keys.slice(0, 5), ['temperature', 'topK', 'topP', 'maxOutputTokens', 'stopSequences']);
    const rest = await labels('---\nconfig:\n  temperature: 1\n  |\n---\nhi\n');
    assert.ok(!rest.includes('temperature'));
    assert.ok(rest.includes('topK'));
  });

  test('keys of input and output', async () => {
    assert.deepEqual(await labels('---\ninput:\n  |\n---\nhi\n'), ['schema', 'default', 'jsonSchema']);
    assert.deepEqual(await labels('---\noutput:\n  |\n---\nhi\n'), [
      'format',
      'schema',
      'jsonSchema',
      'instructions',
      'constrained',
      'contentType',
    ]);
  });

  test('output.format values', async () => {
    const entries = await complete('---\noutput:\n  format: |\n---\nhi\n');
    assert.deepEqual(
      entries.map((e) => e.label),
      ['text', 'json', 'jsonl', 'array', 'enum', 'media'],
    );
    assert.ok(entries.every((e) => e.kind === 'value'));
  });

  test('model names come from the context', async () => {
    assert.deepEqual(await labels('---\nmodel: |\n---\nhi\n', { models: ['ollama/llama3.2'] }), ['ollama/llama3.2']);
  });
});

describe('completion in the template', () => {
  test('inside {{: declared variables, helpers, custom helpers and data variables', async () => {
    const entries = await complete(`${FM}{{|`, { customHelpers: ['shout'] });
    const byLabel = new Map(entries.map((e) => [e.label, e]));
    assert.equal(byLabel.get('name')?.kind, 'variable');
    assert.equal(byLabel.get('name')?.detail, 'string');
    assert.equal(byLabel.get('name')?.documentation, 'The user name');
    assert.equal(byLabel.get('count')?.detail, 'integer (optional)');
    for (const helper of ['role', 'history', 'section', 'media', 'json', 'shout'])
      assert.equal(byLabel.get(helper)?.kind, 'function', helper);
    for (const data of ['@root', '@index', 'this']) assert.equal(byLabel.get(data)?.kind, 'keyword', data);
    assert.ok(!byLabel.has('if'), 'block helpers are offered after {{#');
  });

  test('after a helper name, only values', async () => {
    const after = await labels(`${FM}{{json |`);
    assert.ok(after.includes('name') && after.includes('@root'));
    assert.ok(!after.includes('json') && !after.includes('role'));
  });

  test('{{# offers block helpers', async () => {
    const entries = await complete(`${FM}{{#|`);
    assert.deepEqual(
      entries.map((e) => e.label),
      ['ifEquals', 'unlessEquals', 'if', 'unless', 'each', 'with'],
    );
    assert.ok(entries.every((e) => e.kind === 'keyword'));
  });

  test("the prompt's own inputs sort before helpers and @data variables, which would lead by label", async () => {
    const sorted = (await complete(`${FM}{{|`)).slice().sort((x, y) => (x.sortText ?? x.label).localeCompare(y.sortText ?? y.label));
    const labelsInOrder = sorted.map((e) => e.label);
    assert.deepEqual(labelsInOrder.slice(0, 2), ['count', 'name']);
    assert.ok(labelsInOrder.indexOf('if') < 0 && labelsInOrder.indexOf('json') < labelsInOrder.indexOf('@index'), labelsInOrder.join(' '));
    const afterHelper = (await complete(`${FM}{{json |`))
      .slice()
      .sort((x, y) => (x.sortText ?? x.label).localeCompare(y.sortText ?? y.label));
    assert.deepEqual(afterHelper.map((e) => e.label).slice(0, 3), ['count', 'name', '@first']);
  });

  test('{{role " offers the roles', async () => {
    assert.deepEqual(await labels(`${FM}{{role "|`), ['system', 'user', 'model', 'tool']);
    assert.deepEqual(await labels(`${FM}{{role "us|"}}`), ['system', 'user', 'model', 'tool']);
  });

  test('{{> offers partial names', async () => {
    assert.deepEqual(await labels(`${FM}{{> |`, { partialNames: ['header', 'footer'] }), ['header', 'footer']);
    assert.deepEqual(await labels(`${FM}{{>he|`, { partialNames: ['header'] }), ['header']);
  });

  test('{{/ offers the innermost block that is still open', async () => {
    assert.deepEqual(await labels(`${FM}{{#if name}}x{{/|`), ['if']);
    assert.deepEqual(await labels(`${FM}{{#each items}}{{#if name}}x{{/if}}{{/|`), ['each']);
    assert.deepEqual(await labels(`${FM}{{#each items}}\n{{#with a}}{{/|}}\n{{/each}}`), ['with']);
    assert.deepEqual(await labels(`${FM}{{#if a}}x{{/if}} {{/|`), []);
  });

  test('nothing in plain text, in comments, or between the fences and the body', async () => {
    assert.deepEqual(await labels(`${FM}plain | text`), []);
    assert.deepEqual(await labels(`${FM}{{! a comment |`), []);
    assert.deepEqual(await labels(`${FM}{{name}} |`), []);
  });

  test('without frontmatter, helpers are offered and no variables', async () => {
    const all = await complete('Hello {{|');
    assert.ok(all.some((e) => e.label === 'role'));
    assert.ok(!all.some((e) => e.kind === 'variable'));
  });
});

describe('hover', () => {
  const text = `${FM}{{role "system"}}\nHi {{name}} {{count}} {{#if name}}\n{{json name}}{{shout x}}{{@index}}\n{{/if}}{{#each xs}}{{title}}{{/each}}\n`;

  test('frontmatter keys show their documentation', async () => {
    const a = await analyzePrompt(text);
    const model = hoverAt(a, { line: 1, character: 2 })!;
    assert.match(model.markdown, /^\*\*model\*\* `string`/);
    assert.deepEqual(model.range, r(1, 0, 1, 5));
    const temperature = hoverAt(a, { line: 3, character: 4 })!;
    assert.match(temperature.markdown, /\*\*config\.temperature\*\* `number`[\s\S]*Sampling temperature/);
    assert.deepEqual(temperature.range, r(3, 2, 3, 13));
    const b = await analyzePrompt('---\nmyapp.flag: true\noutput:\n  format: json\n---\nhi\n');
    assert.match(hoverAt(b, { line: 1, character: 2 })!.markdown, /extension field.*ext\["myapp"\]/);
    assert.match(hoverAt(b, { line: 3, character: 3 })!.markdown, /One of: `text`, `json`/);
  });

  test('helpers show their signature and documentation', async () => {
    const a = await analyzePrompt(text);
    const ifHover = hoverAt(a, { line: 12, character: 26 })!;
    assert.match(ifHover.markdown, /\*\*if\*\* — Handlebars helper/);
    assert.deepEqual(ifHover.range, r(12, 25, 12, 27));
    const json = hoverAt(a, { line: 13, character: 3 })!;
    assert.match(json.markdown, /\*\*json\*\* — Dotprompt helper[\s\S]*\{\{json value indent=2\}\}/);
    assert.match(hoverAt(a, { line: 13, character: 16 })!.markdown, /\*\*shout\*\* — not a Dotprompt or Handlebars helper/);
  });

  test('variables show type, description and default; in the template and on the schema key', async () => {
    const a = await analyzePrompt(text);
    const name = hoverAt(a, { line: 12, character: 6 })!;
    assert.equal(name.markdown, '**name**: `string`\n\nThe user name\n\nDefault: `"Ann"`');
    assert.deepEqual(name.range, r(12, 5, 12, 9));
    assert.equal(hoverAt(a, { line: 12, character: 15 })!.markdown, '**count**: `integer` (optional)');
    assert.equal(hoverAt(a, { line: 6, character: 5 })!.markdown, name.markdown);
    assert.match(hoverAt(a, { line: 13, character: 26 })!.markdown, /data variable/);
    assert.match(hoverAt(a, { line: 14, character: 21 })!.markdown, /current `each`\/`with` context/);
  });

  test('nothing over plain text', async () => {
    assert.equal(hoverAt(await analyzePrompt(text), { line: 12, character: 1 }), undefined);
  });
});

describe('document symbols', () => {
  const names = (symbols: PromptSymbol[]): unknown[] => symbols.map((s) => (s.children.length ? [s.name, names(s.children)] : s.name));

  test('frontmatter keys, messages by role, blocks nested as written', async () => {
    const text = `---\nmodel: ollama/x\nconfig:\n  temperature: 1\n---\n{{role "user"}}\n{{#each xs}}\n  {{#if a}}\n    {{section "s"}}\n  {{/if}}\n{{/each}}\n{{> footer}}\n{{role "model"}}\nok\n{{history}}\n`;
    const symbols = documentSymbols(await analyzePrompt(text));
    assert.deepEqual(names(symbols), [
      ['Frontmatter', ['model', 'config']],
      ['user', [['#each', [['#if', ['section s']]]], '> footer']],
      'model',
      'history',
    ]);
    const [fm, user, model] = symbols;
    assert.equal(fm!.detail, 'ollama/x');
    assert.deepEqual(fm!.range, r(0, 0, 4, 3));
    assert.deepEqual(user!.selectionRange, r(5, 0, 5, 15));
    assert.deepEqual(user!.range, r(5, 0, 12, 0));
    assert.deepEqual(user!.children[0]!.range, r(6, 0, 10, 9));
    assert.deepEqual(user!.children[0]!.selectionRange, r(6, 0, 6, 12));
    assert.equal(user!.children[0]!.detail, 'xs');
    assert.equal(model!.kind, 'event');
  });

  test('blocks outside any role are top-level symbols', async () => {
    assert.deepEqual(names(documentSymbols(await analyzePrompt('plain\n{{#if a}}x{{/if}}\n'))), ['#if']);
  });

  test('an empty file has no symbols', async () => {
    assert.deepEqual(documentSymbols(await analyzePrompt('')), []);
  });
});

describe('folding', () => {
  test('frontmatter, multi-line blocks (closer left visible) and multi-line comments', async () => {
    const text =
      '# licence\n---\nmodel: a\nconfig:\n  temperature: 1\n---\n{{#each xs}}\n{{#if a}}x{{/if}}\n{{this}}\n{{/each}}\n{{!--\nlong\n--}}\n{{! short }}\n{{#if b}}\n{{/if}}\n';
    assert.deepEqual(foldingRanges(await analyzePrompt(text)), [
      { startLine: 1, endLine: 5, kind: 'region' },
      { startLine: 6, endLine: 8, kind: 'region' },
      { startLine: 10, endLine: 12, kind: 'comment' },
    ]);
  });

  test('CRLF folds the same lines', async () => {
    const text = '---\nmodel: a\n---\n{{#if a}}\nx\n{{/if}}\n';
    assert.deepEqual(foldingRanges(await analyzePrompt(text.replace(/\n/g, '\r\n'))), foldingRanges(await analyzePrompt(text)));
  });
});
