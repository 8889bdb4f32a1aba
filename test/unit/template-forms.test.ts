// Handlebars forms that real prompts use and the library renders: inline partials, partial blocks
// with fallback content, sections over a value, and a partial called by its file name; and Go's
// text/template, which some Go apps keep in .prompt files.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import type { FileReader, PartialContext } from '../../src/core/prompt/partials';
import { renderPrompt } from '../../src/core/prompt/render';

const root = path.resolve('/ws');
function partials(files: Record<string, string> = {}): PartialContext {
  const reader: FileReader = { readFile: (p: string) => files[p] };
  return { workspaceRoot: root, promptDir: path.join(root, 'prompts'), partialsDirs: [], reader };
}
async function codes(text: string, context: PartialContext = partials()): Promise<string[]> {
  return (await analyzePrompt(text, { partials: context })).diagnostics.map((d) => `${d.code}@${d.range.start.line}`);
}
const schema = (...names: string[]): string => `---\ninput:\n  schema:\n${names.map((n) => `    ${n}: string\n`).join('')}---\n`;

test('a partial block renders its own content when the partial is missing: no warning, its inputs are used', async () => {
  const text = `${schema('name')}{{#> thanks}}Thank you {{name}}!{{/thanks}}\n`;
  assert.deepEqual(await codes(text), []);
  const rendered = await renderPrompt(text, { input: { name: 'Ada' } });
  assert.match(JSON.stringify(rendered.messages), /Thank you Ada!/, 'the library renders the fallback');
});

test('an inline partial is neither an unknown helper nor a missing partial', async () => {
  const text = `${schema('name')}{{#*inline "greet"}}Hello {{name}}{{/inline}}\n{{> greet}}\n`;
  assert.deepEqual(await codes(text), []);
  assert.deepEqual(
    await codes(`${schema('name')}{{name}} {{> greet}}\n`),
    ['missing-partial@5'],
    'without the inline definition it is missing',
  );
});

test('a section over an input is a use of it; over an unknown name, one warning', async () => {
  const text = `${schema('items(array)')}{{#items}}[{{this}}]{{/items}}{{^items}}none{{/items}}\n`;
  assert.deepEqual(await codes(text), []);
  assert.deepEqual(await codes(`${schema('items')}{{items}} {{#itmes}}x{{/itmes}}\n`), ['unknown-helper@5']);
  assert.deepEqual(await codes('{{#items}}[{{this}}]{{/items}}\n'), [], 'without a schema the name may be any input');
});

test('a partial called by its file name (with the underscore) is told its registered name', async () => {
  const files = { [path.join(root, 'prompts', '_persona.prompt')]: 'You are kind.' };
  const analysis = await analyzePrompt('{{> _persona}}\n', { partials: partials(files) });
  const missing = analysis.diagnostics.find((d) => d.code === 'missing-partial');
  assert.match(missing?.message ?? '', /The partial is named "persona" .* write \{\{> persona\}\}\./);
  assert.deepEqual(await codes('{{> persona}}\n', partials(files)), []);
});

test('Go text/template syntax: one warning that says so, and no variable noise from what Handlebars made of it', async () => {
  const text = `${schema('Query', 'Packages')}{{.Query}}\n{{range .Packages}}- {{.}}\n{{end}} {{len .Packages}}\n`;
  const found = (await analyzePrompt(text)).diagnostics;
  const go = found.filter((d) => d.code === 'go-template-syntax');
  assert.equal(go.length, 1);
  assert.match(go[0]!.message, /Go text\/template syntax \(here and in 2 more places\)/);
  assert.deepEqual(go[0]!.range, { start: { line: 6, character: 0 }, end: { line: 6, character: 10 } });
  assert.deepEqual(
    found.filter((d) => d.code === 'undefined-variable' || d.code === 'unused-input'),
    [],
  );
  assert.deepEqual(
    await codes(`${schema('name', 'xs')}{{name}} {{#each xs}}{{.}}{{this.a}}{{/each}}\n`),
    [],
    'Handlebars {{.}} and this.a are not Go',
  );
});
