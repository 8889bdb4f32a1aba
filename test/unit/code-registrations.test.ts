// Helpers, partials and schemas that application code registers, in the forms Genkit's SDKs
// (JS/TS, Go, Python, Dart) and the dotprompt library offer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import type { CheckFinding } from '../../src/cli/commands/check';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import { hoverAt } from '../../src/core/language/hover';
import { findSchemaDefinitions } from '../../src/core/schemas/definitions';
import { findRegistrations, RegistrationCatalog } from '../../src/core/schemas/registrations';
import { scanFolderForSchemas } from '../../src/core/schemas/scan-node';

const schemasIn = (text: string, file: string): string[] =>
  findSchemaDefinitions(text, file).map((d) => `${d.name}@${d.line}:${d.character} ${d.form}`);
const registrationsIn = (text: string, file: string): string[] =>
  findRegistrations(text, file).map((r) => `${r.kind} ${r.name}@${r.line}:${r.character} ${r.form}`);

describe('Go genkit.DefineSchemasFor', () => {
  test('each value registers its type name: several per call, over several lines, pointers and packages dropped', () => {
    const source = [
      'genkit.DefineSchemasFor(g, JokeRequest{}, Joke{})',
      'genkit.DefineSchemasFor(g,',
      '\t&RecipeRequest{},',
      '\tmodels.Recipe{Title: "a, b"}, // a comment, with commas',
      '\t(*Order)(nil),',
      '\tnew(api.Invoice),',
      ')',
    ].join('\n');
    assert.deepEqual(schemasIn(source, 'main.go'), [
      'JokeRequest@0:27 genkit.DefineSchemasFor',
      'Joke@0:42 genkit.DefineSchemasFor',
      'RecipeRequest@2:2 genkit.DefineSchemasFor',
      'Recipe@3:8 genkit.DefineSchemasFor',
      'Order@4:3 genkit.DefineSchemasFor',
      'Invoice@5:9 genkit.DefineSchemasFor',
    ]);
  });

  test('values whose type cannot be read are not found: a variable, a map, a generic type', () => {
    assert.deepEqual(schemasIn('genkit.DefineSchemasFor(g, input, map[string]any{}, Page[int]{})', 'a.go'), []);
  });

  test('an unclosed call finds nothing and does not throw', () => {
    assert.deepEqual(schemasIn('genkit.DefineSchemasFor(g, A{}', 'a.go'), []);
  });
});

describe('helpers and partials registered in code', () => {
  test('Genkit JS/TS and the dotprompt library: defineHelper / definePartial', () => {
    const source =
      "ai.defineHelper('shout', (s) => s.toUpperCase());\nai.definePartial(\"persona\", 'You are {{name}}.');\ndp.defineHelper(`list`, fn);";
    assert.deepEqual(registrationsIn(source, 'src/index.ts'), [
      'helper shout@0:17 ai.defineHelper',
      'partial persona@1:18 ai.definePartial',
      'helper list@2:17 dp.defineHelper',
    ]);
  });

  test('JS: new Dotprompt({helpers, partials}) registers each key', () => {
    const source = [
      'const dp = new Dotprompt({',
      '  defaultModel: "x",',
      '  helpers: { shout, "snake-case": (s) => s, trim(s) { return s.trim(); } },',
      "  partials: { footer: 'Bye {{name}}, {really}' },",
      '});',
    ].join('\n');
    assert.deepEqual(registrationsIn(source, 'a.mjs'), [
      'helper shout@2:13 new Dotprompt({helpers})',
      'helper snake-case@2:21 new Dotprompt({helpers})',
      'helper trim@2:44 new Dotprompt({helpers})',
      'partial footer@3:14 new Dotprompt({partials})',
    ]);
  });

  test('Go: genkit.DefineHelper / DefinePartial, and the dotprompt library', () => {
    const source = [
      'genkit.DefineHelper(g, "uppercase", strings.ToUpper)',
      'genkit.DefinePartial(g, "chefPersona", `You are a chef.`)',
      'dp.DefineHelper("lower", strings.ToLower, nil)',
      'dp := dotprompt.NewDotprompt(&dotprompt.DotpromptOptions{',
      '\tHelpers: map[string]any{"join": join},',
      '\tPartials: map[string]string{"sig": "-- {{name}}"},',
      '})',
    ].join('\n');
    assert.deepEqual(registrationsIn(source, 'main.go'), [
      'helper uppercase@0:24 genkit.DefineHelper',
      'partial chefPersona@1:25 genkit.DefinePartial',
      'helper lower@2:17 dp.DefineHelper',
      'helper join@4:26 DotpromptOptions({Helpers})',
      'partial sig@5:30 DotpromptOptions({Partials})',
    ]);
  });

  test('Python: ai.define_helper / define_partial, and Dotprompt(helpers=…, partials=…)', () => {
    const source = [
      "ai.define_helper('list', list_helper)",
      'ai.define_partial(name="style", source="Be brief.")',
      "dp = Dotprompt(helpers={'upper': str.upper}, partials={'intro': '''Hi, {{name}}'''})",
    ].join('\n');
    assert.deepEqual(registrationsIn(source, 'app.py'), [
      'helper list@0:18 ai.define_helper',
      'partial style@1:24 ai.define_partial',
      'helper upper@2:25 Dotprompt({helpers})',
      'partial intro@2:56 Dotprompt({partials})',
    ]);
  });

  test('Dart spells it like JS', () => {
    assert.deepEqual(registrationsIn("ai.defineHelper('shout', (args) => '');", 'main.dart'), ['helper shout@0:17 ai.defineHelper']);
  });

  test('names must be literals; other files and other objects are not read', () => {
    assert.deepEqual(registrationsIn('ai.defineHelper(name, fn); const o = { helpers: { a } };', 'a.ts'), []);
    assert.deepEqual(registrationsIn("ai.defineHelper('x', fn)", 'README.md'), []);
  });

  test('the catalog answers by kind and forgets a file that no longer registers anything', () => {
    const catalog = new RegistrationCatalog();
    catalog.setFile('/w/a.ts', findRegistrations("ai.defineHelper('shout', f); ai.definePartial('intro', 'x')", '/w/a.ts'));
    assert.equal(catalog.helper('shout')?.file, '/w/a.ts');
    assert.equal(catalog.partial('shout'), undefined);
    assert.equal(catalog.partial('intro')?.form, 'ai.definePartial');
    assert.deepEqual(catalog.names('helper'), ['shout']);
    catalog.setFile('/w/a.ts', []);
    assert.equal(catalog.helper('shout'), undefined);
  });
});

describe('a project that registers schemas, helpers and partials in code (Go, TS, Python)', () => {
  const root = path.resolve(__dirname, '..', 'fixtures', 'projects', 'genkit-registered');

  async function check(...files: string[]): Promise<CheckFinding[]> {
    let out = '';
    const io: CliIo = { out: (t) => void (out += t), err: (t) => assert.fail(t), cwd: root, color: false };
    await main(['check', ...files, '--json'], io);
    return JSON.parse(out) as CheckFinding[];
  }

  test('promptscope check: no warning for what the code registers; what it does not register still warns', async () => {
    const findings = await check('prompts/recipe.prompt', 'prompts/order.prompt');
    assert.deepEqual(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.code}`).sort(), [
      'prompts/order.prompt:11:1 warning missing-partial',
      'prompts/order.prompt:12:3 warning unknown-helper',
    ]);
  });

  test('analysis keeps where each registered helper and partial is defined, and hover shows it', async () => {
    const { registrations } = scanFolderForSchemas(root);
    const file = path.join(root, 'prompts', 'recipe.prompt');
    const analysis = await analyzePrompt(readFileSync(file, 'utf8'), {
      filePath: file,
      partials: { workspaceRoot: root, promptDir: path.dirname(file), partialsDirs: [], reader: { readFile: () => undefined } },
      registered: registrations,
    });
    assert.deepEqual(
      analysis.registered
        .map(
          (u) =>
            `${u.range.start.line}:${u.range.start.character} ${u.registration.kind} ${u.registration.name} ${path.basename(u.registration.file)}:${u.registration.line + 1} ${u.registration.form}`,
        )
        .sort(),
      ['7:0 partial chefPersona main.go:26 genkit.DefinePartial', '8:12 helper uppercase main.go:25 genkit.DefineHelper'],
    );
    const hover = hoverAt(analysis, { line: 8, character: 14 }, (f) => path.relative(root, f));
    assert.match(hover?.markdown ?? '', /registered with `genkit\.DefineHelper` in `main\.go` line 25/);
  });
});
