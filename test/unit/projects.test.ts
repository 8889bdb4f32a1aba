// Realistic Genkit projects (test/fixtures/projects): JS/TS, Go and Python layouts with named
// schemas, variants, partials in subfolders, custom helpers and the silent bugs. The measure:
// no error on a file Genkit loads and renders, a warning on each silent bug.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import type { CheckFinding } from '../../src/cli/commands/check';
import { nodeFileReader } from '../../src/core/io/node-reader';
import { promptRootFor } from '../../src/core/prompt/partials';
import { renderPrompt } from '../../src/core/prompt/render';
import { findSchemaDefinitions } from '../../src/core/schemas/definitions';
import { scanFolderForSchemas } from '../../src/core/schemas/scan-node';
import { readFileSync } from 'node:fs';

const PROJECTS = path.resolve(__dirname, '..', 'fixtures', 'projects');

/** Where each project's app keeps its prompts (genkit-py sets `prompt_dir` to llm/). */
const PROMPT_FOLDERS: Record<string, string> = { 'genkit-js': 'prompts', 'genkit-go': 'prompts', 'genkit-py': 'llm' };

function promptsOf(project: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name.endsWith('.prompt')) out.push(path.relative(project, path.join(dir, e.name)).split(path.sep).join('/'));
    }
  };
  walk(path.join(project, PROMPT_FOLDERS[path.basename(project)] ?? 'prompts'));
  return out.sort();
}

async function check(project: string, extra: string[] = []): Promise<{ code: number; findings: CheckFinding[] }> {
  const root = path.join(PROJECTS, project);
  let out = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => assert.fail(t), cwd: root, color: false };
  const code = await main(['check', ...promptsOf(root), '--json', ...extra], io);
  return { code, findings: JSON.parse(out) as CheckFinding[] };
}
const brief = (f: CheckFinding): string => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.code}`;

describe('Genkit fixture projects', () => {
  test('JS/TS: named schemas from code and a mapped JSON Schema file, variants, partials in subfolders, custom helpers; a warning on each silent bug', async () => {
    const { code, findings } = await check('genkit-js', ['--helpers', 'shout', '--schemas', 'Person=schemas/person.json']);
    assert.equal(code, 0, 'no errors');
    assert.deepEqual(findings.map(brief).sort(), [
      // The partial with a frontmatter is marked itself, and where silent.prompt includes it.
      'prompts/_withfm.prompt:1:1 warning partial-frontmatter',
      'prompts/fence.prompt:3:1 warning frontmatter-fence-at-end',
      // Person comes from schemas/person.json, so its fields are checked: cuisine is not one.
      'prompts/menu.prompt:11:60 warning undefined-variable',
      'prompts/menu.prompt:4:16 warning invalid-value',
      'prompts/menu.prompt:8:11 warning invalid-value',
      'prompts/silent.prompt:10:1 warning foreign-syntax',
      'prompts/silent.prompt:10:29 warning foreign-syntax',
      'prompts/silent.prompt:4:5 warning unused-input',
      'prompts/silent.prompt:5:5 warning unused-input',
      'prompts/silent.prompt:7:1 warning role-block',
      'prompts/silent.prompt:8:1 warning partial-frontmatter',
      'prompts/silent.prompt:9:13 warning single-brace',
      'prompts/silent.prompt:9:27 warning undefined-variable',
    ]);
  });

  test('JS/TS without the mapping: Person is information only, never an error', async () => {
    const { code, findings } = await check('genkit-js', ['--helpers', 'shout']);
    assert.equal(code, 0);
    const person = findings.filter((f) => f.code === 'unknown-schema');
    assert.deepEqual(person.map(brief), ['prompts/menu.prompt:6:11 information unknown-schema']);
    assert.match(person[0]!.message, /Defined by the app in code\? It was not found in this workspace/);
  });

  test('Go: genkit.DefineSchema and DefineSchemaFor[T] are found; an undefined name is information', async () => {
    const { code, findings } = await check('genkit-go');
    assert.equal(code, 0);
    assert.deepEqual(findings.map(brief), ['prompts/unknown.prompt:3:11 information unknown-schema']);
  });

  test('Python: ai.define_schema is found; prompt_dir=Path(__file__)…/"llm" is the prompt folder, so partials anywhere below it resolve', async () => {
    const { code, findings } = await check('genkit-py');
    assert.equal(code, 0);
    assert.deepEqual(findings.map(brief), []);
    assert.deepEqual(promptsOf(path.join(PROJECTS, 'genkit-py')), [
      'llm/menus/dinner.prompt',
      'llm/recipe.prompt',
      'llm/shared/partials/_intro.prompt',
    ]);
  });

  test('every clean prompt renders through the library, with the partials Genkit would register', async () => {
    for (const project of ['genkit-js', 'genkit-go', 'genkit-py']) {
      const root = path.join(PROJECTS, project);
      const { catalog, promptFolders } = scanFolderForSchemas(root);
      const schemas = Object.fromEntries(catalog.names().map((n) => [n, { type: 'object' }]));
      for (const file of promptsOf(root).filter((f) => !path.basename(f).startsWith('_') && !/silent|fence|menu|unknown/.test(f))) {
        const promptDir = path.dirname(path.join(root, file));
        const promptRoot = promptRootFor(promptDir, root, promptFolders.folders());
        const rendered = await renderPrompt(readFileSync(path.join(root, file), 'utf8'), {
          input: { food: 'soup', question: 'why?' },
          context: { state: { userName: 'Ann' } },
          schemas,
          partials: { workspaceRoot: root, promptDir, partialsDirs: [], ...(promptRoot ? { promptRoot } : {}), reader: nodeFileReader },
        });
        assert.ok(rendered.messages.length > 0, `${project}/${file} renders`);
      }
    }
  });
});

describe('schema definitions in code', () => {
  test('each Genkit SDK form, with the position of the name', () => {
    const at = (text: string, file: string): string[] =>
      findSchemaDefinitions(text, file).map((d) => `${d.name}@${d.line}:${d.character} ${d.form}`);
    assert.deepEqual(at('const R = ai.defineSchema(\'Recipe\', z.object({}));\nai.defineJsonSchema("Menu", {});', 'a.ts'), [
      'Recipe@0:27 ai.defineSchema',
      'Menu@1:21 ai.defineJsonSchema',
    ]);
    assert.deepEqual(at("genkit.defineSchema('Address', {'type': 'object'});", 'main.dart'), ['Address@0:21 genkit.defineSchema']);
    assert.deepEqual(
      at(
        'genkit.DefineSchema(g, "Recipe", map[string]any{})\ngenkit.DefineSchema("Old", X{})\ngenkit.DefineSchemaFor[metadata.Story](g)',
        'a.go',
      ),
      ['Recipe@0:24 genkit.DefineSchema', 'Old@1:21 genkit.DefineSchema', 'Story@2:32 genkit.DefineSchemaFor'],
    );
    assert.deepEqual(at('ai.define_schema(\'Recipe\', Recipe)\n_ = ai.define_schema(name="X", schema=Y)', 'a.py'), [
      'Recipe@0:18 ai.define_schema',
      'X@1:27 ai.define_schema',
    ]);
    assert.deepEqual(at("ai.defineSchema('Recipe', z)", 'notes.md'), [], 'only source files');
    assert.deepEqual(at('defineSchema(name)', 'a.ts'), [], 'a name must be a string literal');
  });

  test('the CLI scan skips node_modules and .git', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'promptscope-scan-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(path.join(PROJECTS, 'genkit-js'), dir, { recursive: true });
    for (const skipped of ['node_modules/lib', '.git/hooks']) {
      mkdirSync(path.join(dir, skipped), { recursive: true });
      writeFileSync(path.join(dir, skipped, 'x.js'), "ai.defineSchema('Hidden', {});\n");
    }
    assert.deepEqual(scanFolderForSchemas(dir).catalog.names(), ['Menu', 'Recipe']);
  });
});
