// Genkit's prompt folder from the app's code (`promptDir`, `WithPromptDir`, `prompt_dir`), and
// where it matters: partials anywhere below it, prompt names, renames that must still resolve.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { NavigationIndex, partialFileRenameEdits, renameAt, workspaceSymbols } from '../../src/core/language/navigation';
import { promptRootFor, resolvePartial, type FileReader } from '../../src/core/prompt/partials';
import { findPromptFolders, findPromptFolderSettings, projectRootFor, PromptFolderCatalog } from '../../src/core/schemas/prompt-folders';
import { LineIndex } from '../../src/core/text/positions';

const ROOT = path.resolve('/ws');
const abs = (rel: string): string => path.join(ROOT, ...rel.split('/'));
const none = (): boolean => false;

/** An in-memory workspace with folder listings, as Genkit's recursive search needs. */
function memoryReader(texts: Record<string, string>): FileReader {
  const files = new Map(Object.entries(texts).map(([rel, text]) => [abs(rel), text]));
  return {
    readFile: (p) => files.get(path.resolve(p)),
    realPath: (p) => {
      const r = path.resolve(p);
      return files.has(r) || [...files.keys()].some((f) => f.startsWith(r + path.sep)) || r === ROOT ? r : undefined;
    },
    listDir: (dir) => {
      const d = path.resolve(dir);
      const names = new Map<string, boolean>();
      for (const f of files.keys()) {
        if (!f.startsWith(d + path.sep)) continue;
        const [first, ...rest] = path.relative(d, f).split(path.sep);
        names.set(first!, rest.length > 0 || names.get(first!) === true);
      }
      return names.size > 0 ? [...names].map(([name, isDirectory]) => ({ name, isDirectory })) : undefined;
    },
  };
}

describe('prompt folders set in code', () => {
  test('each Genkit SDK form, with the folder it names', () => {
    const forms = (text: string, file: string): string[] =>
      findPromptFolderSettings(text, file).map((s) => `${s.line}:${s.character} ${s.form} ${s.base} ${s.segments.join('|')}`);
    assert.deepEqual(forms("const ai = genkit({\n  plugins: [],\n  promptDir: './llm',\n});", 'src/index.ts'), ['2:2 promptDir cwd ./llm']);
    assert.deepEqual(forms('genkit({ promptDir: path.join(__dirname, "..", `prompts`) })', 'src/a.mjs'), ['0:9 promptDir file ..|prompts']);
    assert.deepEqual(forms("genkit({ promptDir: resolve(import.meta.dirname, 'p') })", 'a.js'), ['0:9 promptDir file p']);
    assert.deepEqual(forms('g := genkit.Init(ctx, genkit.WithPromptDir("prompts"))', 'main.go'), ['0:22 genkit.WithPromptDir cwd prompts']);
    assert.deepEqual(
      forms('genkit.Init(ctx, genkit.WithPromptFS(promptsFS), genkit.WithPromptDir(`assets/prompts`))', 'cmd/main.go'),
      ['0:49 genkit.WithPromptDir file assets/prompts'],
      'an embedded file system is rooted at the package folder',
    );
    assert.deepEqual(forms('genkit.LoadPromptDir(g, "extra", "ns")\ngenkit.LoadPromptDirFromFS(g, fsys, "p", "")', 'main.go'), [
      '0:0 genkit.LoadPromptDir cwd extra',
      '1:0 genkit.LoadPromptDirFromFS file p',
    ]);
    assert.deepEqual(forms("ai = Genkit(prompt_dir='prompts2')", 'main.py'), ['0:12 prompt_dir cwd prompts2']);
    assert.deepEqual(forms('ai = Genkit(prompt_dir=Path("x/y"))', 'main.py'), ['0:12 prompt_dir cwd x/y']);
    assert.deepEqual(forms("Genkit(prompt_dir=Path(__file__).resolve().parent.parent / 'prompts')", 'src/app/main.py'), [
      '0:7 prompt_dir file ..|prompts',
    ]);
    assert.deepEqual(forms("Genkit(prompt_dir=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'llm'))", 'main.py'), [
      '0:7 prompt_dir file llm',
    ]);
  });

  test('forms that name no folder are not found', () => {
    assert.deepEqual(findPromptFolderSettings('genkit({ promptDir: dir })', 'a.ts'), [], 'a variable');
    assert.deepEqual(findPromptFolderSettings('genkit({ promptDir: null })', 'a.ts'), [], 'loading switched off');
    assert.deepEqual(findPromptFolderSettings('genkit.WithPromptDir("")', 'a.go'), [], 'empty means the default');
    assert.deepEqual(findPromptFolderSettings("promptDir: './llm'", 'notes.md'), [], 'only source files');
    assert.deepEqual(findPromptFolderSettings('Genkit(prompt_dir=Path(__file__) / "x")', 'a.py'), [], 'a path below a file');
  });

  test('a path relative to the working folder starts at the nearest project file, else the workspace', () => {
    const exists = (f: string): boolean => f === abs('apps/web/package.json');
    assert.equal(projectRootFor(abs('apps/web/src/index.ts'), ROOT, exists), abs('apps/web'));
    assert.equal(projectRootFor(abs('tools/gen.ts'), ROOT, exists), ROOT);
    const [folder] = findPromptFolders("genkit({ promptDir: './llm' })", abs('apps/web/src/index.ts'), ROOT, exists);
    assert.equal(folder?.folder, abs('apps/web/llm'));
    const [fromFile] = findPromptFolders("Genkit(prompt_dir=Path(__file__).parent / 'p')", abs('svc/main.py'), ROOT, none);
    assert.equal(fromFile?.folder, abs('svc/p'));
  });

  test('the catalog keeps each file’s folders and forgets them when the file changes', () => {
    const catalog = new PromptFolderCatalog();
    catalog.setFile(abs('a.ts'), findPromptFolders("genkit({ promptDir: './llm' })", abs('a.ts'), ROOT, none));
    catalog.setFile(abs('b.go'), findPromptFolders('genkit.WithPromptDir("llm")', abs('b.go'), ROOT, none));
    assert.deepEqual(catalog.folders(), [abs('llm')]);
    catalog.setFile(abs('a.ts'), []);
    catalog.deleteFile(abs('b.go'));
    assert.deepEqual(catalog.folders(), []);
  });
});

describe('the prompt folder where it matters', () => {
  test('the deepest configured folder holding the prompt wins; outside the workspace never; else prompts/', () => {
    const configured = [abs('llm'), abs('llm/inner'), path.resolve('/elsewhere')];
    assert.equal(promptRootFor(abs('llm/inner/x'), ROOT, configured), abs('llm/inner'));
    assert.equal(promptRootFor(abs('llm/a'), ROOT, configured), abs('llm'));
    assert.equal(promptRootFor(abs('prompts/sub'), ROOT, configured), abs('prompts'));
    assert.equal(promptRootFor(abs('other'), ROOT, [path.resolve('/')]), undefined);
  });

  test('{{> name}} finds _name.prompt anywhere below the configured folder, as Genkit registers it', () => {
    const reader = memoryReader({ 'llm/menus/dinner.prompt': '{{> intro}}\n', 'llm/shared/partials/_intro.prompt': 'Hi\n' });
    const ctx = { workspaceRoot: ROOT, promptDir: abs('llm/menus'), partialsDirs: [], reader };
    assert.equal(resolvePartial('intro', ctx).kind, 'missing', 'llm/ is not a folder Genkit uses by default');
    const promptRoot = promptRootFor(abs('llm/menus'), ROOT, [abs('llm')]);
    assert.deepEqual(resolvePartial('intro', { ...ctx, ...(promptRoot ? { promptRoot } : {}) }), {
      kind: 'found',
      path: abs('llm/shared/partials/_intro.prompt'),
      source: 'Hi\n',
    });
  });

  function navigation(texts: Record<string, string>): NavigationIndex {
    return new NavigationIndex({
      root: ROOT,
      partialsDirs: [],
      reader: memoryReader(texts),
      files: Object.keys(texts).map(abs),
      promptRootOf: (dir) => promptRootFor(dir, ROOT, [abs('llm')]),
    });
  }

  test('workspace symbols name prompts by their path inside the prompt folder, partials by base name, variants apart', () => {
    const index = navigation({
      'llm/menus/dinner.prompt': 'x\n',
      'llm/menus/dinner.short.prompt': 'x\n',
      'llm/shared/_intro.prompt': 'Hi\n',
      'notes/draft.prompt': 'x\n',
    });
    const names = workspaceSymbols(index, '')
      .map((s) => `${s.kind} ${s.name}${s.variant ? ` [${s.variant}]` : ''}`)
      .sort();
    assert.deepEqual(names, ['partial > intro', 'prompt menus/dinner', 'prompt menus/dinner [short]', 'prompt notes/draft']);
  });

  test('renaming a partial found below the prompt folder edits every call and moves the file', () => {
    const caller = '{{> intro}}\n';
    const index = navigation({ 'llm/menus/dinner.prompt': caller, 'llm/shared/_intro.prompt': 'Hi\n' });
    const pos = new LineIndex(caller).positionAt(caller.indexOf('intro') + 1);
    const result = renameAt(index, abs('llm/menus/dinner.prompt'), pos, 'greeting');
    assert.ok(!('error' in result), JSON.stringify(result));
    assert.deepEqual(
      result.edits.map((e) => `${path.relative(ROOT, e.path)} ${e.newText}`),
      [`${path.join('llm', 'menus', 'dinner.prompt')} greeting`],
    );
    assert.deepEqual(result.renameFile, { from: abs('llm/shared/_intro.prompt'), to: abs('llm/shared/_greeting.prompt') });
  });
});

describe('renaming a partial file (file explorer)', () => {
  const texts = {
    'llm/menus/dinner.prompt': '{{> intro}} and {{#> intro}}x{{/intro}}\n',
    'llm/lunch.prompt': 'Say {{> shared/intro}}\n',
    'llm/shared/_intro.prompt': 'Hi\n',
    'other/_intro.prompt': 'Other\n',
  };
  const index = (): NavigationIndex =>
    new NavigationIndex({
      root: ROOT,
      partialsDirs: [],
      reader: memoryReader(texts),
      files: Object.keys(texts).map(abs),
      promptRootOf: (dir) => promptRootFor(dir, ROOT, [abs('llm')]),
    });
  const shown = (r: ReturnType<typeof partialFileRenameEdits>): string[] => [
    ...r.edits.map((e) => `edit ${path.relative(ROOT, e.path).split(path.sep).join('/')}:${e.range.start.character} ${e.newText}`),
    ...r.stale.map((l) => `stale ${path.relative(ROOT, l.path).split(path.sep).join('/')}:${l.range.start.character}`),
  ];

  test('_intro.prompt → _greeting.prompt edits every call that resolves to it, block closers and folder prefixes too', () => {
    const result = partialFileRenameEdits(index(), abs('llm/shared/_intro.prompt'), abs('llm/shared/_greeting.prompt'));
    assert.deepEqual(shown(result).sort(), [
      'edit llm/lunch.prompt:15 greeting',
      'edit llm/menus/dinner.prompt:21 greeting',
      'edit llm/menus/dinner.prompt:32 greeting',
      'edit llm/menus/dinner.prompt:4 greeting',
    ]);
  });

  test('a move its callers cannot follow, or a name without "_", leaves them as stale, not edited', () => {
    const moved = partialFileRenameEdits(index(), abs('llm/shared/_intro.prompt'), abs('llm/menus/_intro.prompt'));
    assert.deepEqual(shown(moved), ['stale llm/lunch.prompt:8'], 'found below llm/ from dinner.prompt; shared/intro no longer exists');
    const plain = partialFileRenameEdits(index(), abs('llm/shared/_intro.prompt'), abs('llm/shared/intro.prompt'));
    assert.equal(plain.edits.length, 0);
    assert.equal(plain.stale.length, 3);
    assert.deepEqual(shown(partialFileRenameEdits(index(), abs('llm/lunch.prompt'), abs('llm/dinner2.prompt'))), [], 'not a partial');
  });
});
