// Go to definition, references, rename, workspace symbols and media links over an in-memory
// workspace. A `|` in a file text marks the cursor and is removed.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  definitionsAt,
  mediaLinks,
  NavigationIndex,
  prepareRenameAt,
  referencesAt,
  renameAt,
  workspaceSymbols,
  type FileTextEdit,
} from '../../src/core/language/navigation';
import { LineIndex, type Position } from '../../src/core/text/positions';

const ROOT = path.resolve('/ws');
const abs = (rel: string): string => path.join(ROOT, ...rel.split('/'));

interface Fixture {
  index: NavigationIndex;
  files: Map<string, string>;
  cursor: { file: string; pos: Position };
}

/** Builds a workspace from relative paths; the one text with a `|` gives the cursor. */
function workspace(texts: Record<string, string>, extra: { partialsDirs?: string[]; outside?: Record<string, string> } = {}): Fixture {
  const files = new Map<string, string>();
  let cursor: Fixture['cursor'] | undefined;
  for (const [rel, raw] of Object.entries(texts)) {
    const at = raw.indexOf('|');
    const text = at >= 0 ? raw.slice(0, at) + raw.slice(at + 1) : raw;
    files.set(abs(rel), text);
    if (at >= 0) cursor = { file: abs(rel), pos: new LineIndex(text).positionAt(at) };
  }
  for (const [p, text] of Object.entries(extra.outside ?? {})) files.set(path.resolve(p), text);
  const reader = {
    readFile: (p: string) => files.get(path.resolve(p)),
    realPath: (p: string) => (files.has(path.resolve(p)) || path.resolve(p) === ROOT ? path.resolve(p) : undefined),
  };
  const index = new NavigationIndex({
    root: ROOT,
    partialsDirs: (extra.partialsDirs ?? []).map(abs),
    reader,
    files: [...files.keys()].filter((f) => f.endsWith('.prompt')),
  });
  return { index, files, cursor: cursor ?? { file: abs(Object.keys(texts)[0]!), pos: { line: 0, character: 0 } } };
}

/** Applies edits to the in-memory texts and returns the changed files by relative path. */
function apply(fx: Fixture, edits: FileTextEdit[]): Record<string, string> {
  const byFile = new Map<string, FileTextEdit[]>();
  for (const e of edits) byFile.set(e.path, [...(byFile.get(e.path) ?? []), e]);
  const out: Record<string, string> = {};
  for (const [file, list] of byFile) {
    let text = fx.files.get(file)!;
    const lines = new LineIndex(text);
    const sorted = list
      .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
      .sort((a, b) => b.start - a.start);
    for (const e of sorted) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    out[path.relative(ROOT, file).split(path.sep).join('/')] = text;
  }
  return out;
}

const words = (fx: Fixture, locs: { path: string; range: { start: Position; end: Position } }[]): string[] =>
  locs
    .map((l) => {
      const text = fx.files.get(l.path)!;
      const lines = new LineIndex(text);
      return `${path.relative(ROOT, l.path).split(path.sep).join('/')}:${l.range.start.line}:${text.slice(lines.offsetAt(l.range.start), lines.offsetAt(l.range.end))}`;
    })
    .sort();

const PARTIALS = {
  'a.prompt': 'Hi {{> he|ader}} and {{~> header ~}}\n{{#> layout}}body{{/layout}}\n{{> sub/tip}} {{> my-part.v2}}\n',
  '_header.prompt': 'Header\n',
  '_layout.prompt': 'L {{> @partial-block}}\n',
  '_my-part.v2.prompt': 'dots and dashes\n',
  'sub/_tip.prompt': 'Tip\n',
  'sub/b.prompt': '{{> tip}} {{> ../header}}\n',
};

describe('partials: definition and references', () => {
  test('go to definition jumps to the partial file, for plain, dotted, dashed and subfolder names', () => {
    const fx = workspace(PARTIALS);
    assert.deepEqual(
      definitionsAt(fx.index, fx.cursor.file, fx.cursor.pos).map((l) => l.path),
      [abs('_header.prompt')],
    );
    const text = fx.files.get(abs('a.prompt'))!;
    const at = (needle: string): Position => new LineIndex(text).positionAt(text.indexOf(needle) + 1);
    assert.deepEqual(
      definitionsAt(fx.index, abs('a.prompt'), at('layout}}')).map((l) => l.path),
      [abs('_layout.prompt')],
    );
    assert.deepEqual(
      definitionsAt(fx.index, abs('a.prompt'), at('sub/tip')).map((l) => l.path),
      [abs('sub/_tip.prompt')],
    );
    assert.deepEqual(
      definitionsAt(fx.index, abs('a.prompt'), at('my-part.v2')).map((l) => l.path),
      [abs('_my-part.v2.prompt')],
    );
  });

  test('references find every call resolving to the same file, whatever name it is written with', () => {
    const fx = workspace(PARTIALS);
    assert.deepEqual(words(fx, referencesAt(fx.index, fx.cursor.file, fx.cursor.pos, true)), [
      'a.prompt:0:header',
      'a.prompt:0:header',
      'sub/b.prompt:0:../header',
    ]);
    const tipFx = workspace({ ...PARTIALS, 'sub/b.prompt': '{{> ti|p}} {{> ../header}}\n' });
    assert.deepEqual(words(tipFx, referencesAt(tipFx.index, tipFx.cursor.file, tipFx.cursor.pos, true)), [
      'a.prompt:2:sub/tip',
      'sub/b.prompt:0:tip',
    ]);
  });

  test('a partial block is referenced by its opening and closing tags', () => {
    const fx = workspace({ ...PARTIALS, 'a.prompt': '{{#> lay|out}}body{{/layout}}\n' });
    assert.deepEqual(words(fx, referencesAt(fx.index, fx.cursor.file, fx.cursor.pos, true)), ['a.prompt:0:layout', 'a.prompt:0:layout']);
  });

  test('partial folders configured for the workspace are searched after the prompt folder', () => {
    const fx = workspace({ 'p/a.prompt': '{{> sha|red}}\n', 'partials/_shared.prompt': 'S\n' }, { partialsDirs: ['partials'] });
    assert.deepEqual(
      definitionsAt(fx.index, fx.cursor.file, fx.cursor.pos).map((l) => l.path),
      [abs('partials/_shared.prompt')],
    );
  });

  test('files outside the workspace or in node_modules are never read or listed', () => {
    const fx = workspace(
      { 'a.prompt': '{{> he|ader}}\n', '_header.prompt': 'H\n', 'node_modules/pkg/x.prompt': '{{> header}}\n' },
      { outside: { '/elsewhere/y.prompt': '{{> header}}\n' } },
    );
    assert.deepEqual(words(fx, referencesAt(fx.index, fx.cursor.file, fx.cursor.pos, true)), ['a.prompt:0:header']);
    assert.equal(fx.index.get(abs('node_modules/pkg/x.prompt')), undefined);
    assert.equal(fx.index.get('/elsewhere/y.prompt'), undefined);
    assert.ok(!workspaceSymbols(fx.index, '').some((s) => s.location.path.includes('node_modules')));
  });
});

describe('parse cache shared between requests', () => {
  test('a cached file is parsed again when its text changes, and its calls follow files that appear or vanish', () => {
    const cache = new Map();
    const first = workspace({ 'a.prompt': '{{> he|ader}}\n', '_header.prompt': 'H\n' });
    const index = (fx: Fixture): NavigationIndex => new NavigationIndex(fx.index.workspace, cache);
    assert.equal(definitionsAt(index(first), first.cursor.file, first.cursor.pos).length, 1);
    const edited = workspace({ 'a.prompt': 'x {{> he|ader}}\n', '_header.prompt': 'H\n' });
    assert.deepEqual(words(edited, referencesAt(index(edited), edited.cursor.file, edited.cursor.pos, true)), ['a.prompt:0:header']);
    assert.equal(referencesAt(index(edited), edited.cursor.file, edited.cursor.pos, true)[0]!.range.start.character, 6);
    const gone = workspace({ 'a.prompt': 'x {{> he|ader}}\n' });
    assert.deepEqual(definitionsAt(index(gone), gone.cursor.file, gone.cursor.pos), []);
  });
});

describe('partials: rename', () => {
  test('renames every call (last segment only, closing tags too) and the file', () => {
    const fx = workspace(PARTIALS);
    const result = renameAt(fx.index, fx.cursor.file, fx.cursor.pos, 'banner');
    assert.ok(!('error' in result), JSON.stringify(result));
    assert.deepEqual(result.renameFile, { from: abs('_header.prompt'), to: abs('_banner.prompt') });
    assert.deepEqual(apply(fx, result.edits), {
      'a.prompt': 'Hi {{> banner}} and {{~> banner ~}}\n{{#> layout}}body{{/layout}}\n{{> sub/tip}} {{> my-part.v2}}\n',
      'sub/b.prompt': '{{> tip}} {{> ../banner}}\n',
    });
    const block = workspace({ ...PARTIALS, 'a.prompt': '{{#> lay|out}}body{{/layout}}\n' });
    const blockResult = renameAt(block.index, block.cursor.file, block.cursor.pos, 'frame');
    assert.ok(!('error' in blockResult));
    assert.deepEqual(apply(block, blockResult.edits), { 'a.prompt': '{{#> frame}}body{{/frame}}\n' });
  });

  test('prepareRename selects the last segment of a subfolder name', () => {
    const fx = workspace({ ...PARTIALS, 'a.prompt': '{{> sub/t|ip}}\n' });
    const prepared = prepareRenameAt(fx.index, fx.cursor.file, fx.cursor.pos);
    assert.deepEqual(prepared, { range: { start: { line: 0, character: 8 }, end: { line: 0, character: 11 } }, placeholder: 'tip' });
  });

  test('refuses names that exist, that would be shadowed, or that are not names', () => {
    const fx = workspace({ ...PARTIALS, '_taken.prompt': 'T\n' });
    assert.match(
      (renameAt(fx.index, fx.cursor.file, fx.cursor.pos, 'taken') as { error: string }).error,
      /already exists at _taken\.prompt/,
    );
    // sub/c.prompt finds `shared` in the partials folder; after a rename to "banner" its own folder's _banner.prompt would win.
    const shadow = workspace(
      { 'a.prompt': '{{> sha|red}}\n', 'sub/c.prompt': '{{> shared}}\n', 'sub/_banner.prompt': 'B\n', 'partials/_shared.prompt': 'S\n' },
      { partialsDirs: ['partials'] },
    );
    assert.match(
      (renameAt(shadow.index, shadow.cursor.file, shadow.cursor.pos, 'banner') as { error: string }).error,
      /in sub\/c\.prompt would resolve to sub\/_banner\.prompt/,
    );
    assert.ok(!('error' in renameAt(shadow.index, shadow.cursor.file, shadow.cursor.pos, 'common')));
    assert.match((renameAt(fx.index, fx.cursor.file, fx.cursor.pos, 'a b') as { error: string }).error, /not a usable partial name/);
    assert.match((renameAt(fx.index, fx.cursor.file, fx.cursor.pos, 'x/y') as { error: string }).error, /not a usable partial name/);
  });

  test('a missing or dynamic partial cannot be renamed', () => {
    const missing = workspace({ 'a.prompt': '{{> no|where}}\n' });
    assert.match((prepareRenameAt(missing.index, missing.cursor.file, missing.cursor.pos) as { error: string }).error, /does not resolve/);
    const dynamic = workspace({ 'a.prompt': '{{> (looku|p . "name")}}\n' });
    assert.match((prepareRenameAt(dynamic.index, dynamic.cursor.file, dynamic.cursor.pos) as { error: string }).error, /helper|computed/);
  });
});

const INPUTS = {
  'p.prompt': [
    '---',
    'input:',
    '  schema:',
    '    top|ic: string, What to explain',
    '    level?: string',
    '    items(array): string',
    '  default:',
    '    topic: cats',
    '---',
    '{{topic}} {{this.topic}} {{#if topic}}yes{{/if}}',
    '{{#each items}}{{this.topic}} {{@root.topic}} {{../topic}} {{@index}}{{/each}}',
    '{{> part}} {{> keyed topic="fixed"}} {{> ctx items}}',
    '',
  ].join('\n'),
  '_part.prompt': '{{topic.title}} {{level}}\n',
  '_keyed.prompt': '{{topic}}\n',
  '_ctx.prompt': '{{topic}}\n',
  'q.prompt': '---\ninput:\n  schema:\n    topic: string\n---\n{{> part}}\n',
};

describe('inputs: definition, references, rename', () => {
  test('references cover the schema key and uses as x, this.x, @root.x and ../x, across included partials', () => {
    const fx = workspace(INPUTS);
    assert.deepEqual(
      words(fx, referencesAt(fx.index, fx.cursor.file, fx.cursor.pos, true)),
      [
        '_part.prompt:0:topic',
        'p.prompt:3:topic',
        'p.prompt:7:topic',
        'p.prompt:9:topic',
        'p.prompt:9:topic',
        'p.prompt:9:topic',
        'p.prompt:10:topic',
        'p.prompt:10:topic',
        'q.prompt:3:topic',
      ].sort(),
    );
    // Without the declarations (schema keys and defaults), only template uses.
    assert.equal(referencesAt(fx.index, fx.cursor.file, fx.cursor.pos, false).length, 6);
  });

  test('go to definition from a use inside a shared partial lists the schema keys of every prompt that includes it', () => {
    const fx = workspace({
      ...INPUTS,
      'p.prompt': INPUTS['p.prompt'].replace('top|ic', 'topic'),
      '_part.prompt': '{{to|pic.title}} {{level}}\n',
    });
    assert.deepEqual(words(fx, definitionsAt(fx.index, fx.cursor.file, fx.cursor.pos)), ['p.prompt:3:topic', 'q.prompt:3:topic']);
  });

  test('rename changes keys (keeping ? and (type)), defaults, uses and linked prompts, and nothing else', () => {
    const fx = workspace({
      ...INPUTS,
      'p.prompt': INPUTS['p.prompt'].replace('top|ic', 'topic').replace('level?: string', 'lev|el?: string'),
    });
    const result = renameAt(fx.index, fx.cursor.file, fx.cursor.pos, 'grade');
    assert.ok(!('error' in result), JSON.stringify(result));
    const changed = apply(fx, result.edits);
    assert.deepEqual(Object.keys(changed).sort(), ['_part.prompt', 'p.prompt']);
    assert.match(changed['p.prompt']!, /^ {4}grade\?: string$/m);
    assert.equal(changed['_part.prompt'], '{{topic.title}} {{grade}}\n');

    const topic = workspace(INPUTS);
    const renamed = renameAt(topic.index, topic.cursor.file, topic.cursor.pos, 'subject');
    assert.ok(!('error' in renamed));
    const out = apply(topic, renamed.edits);
    assert.equal(out['p.prompt']!.split('\n')[7], '    subject: cats');
    assert.equal(out['p.prompt']!.split('\n')[10], '{{#each items}}{{this.topic}} {{@root.subject}} {{../subject}} {{@index}}{{/each}}');
    assert.equal(out['q.prompt'], '---\ninput:\n  schema:\n    subject: string\n---\n{{> part}}\n');
    assert.equal(out['_keyed.prompt'], undefined, 'a hash key defines topic inside _keyed');
    assert.equal(out['_ctx.prompt'], undefined, 'a context argument replaces the inputs inside _ctx');
  });

  test('a hash argument defines the name inside the partial: definition, references and rename go to the call', () => {
    const fx = workspace({
      ...INPUTS,
      'p.prompt': INPUTS['p.prompt'].replace('top|ic', 'topic'),
      '_keyed.prompt': '{{to|pic}} {{#each list}}{{topic}}{{/each}}\n',
    });
    assert.deepEqual(words(fx, definitionsAt(fx.index, fx.cursor.file, fx.cursor.pos)), ['p.prompt:11:topic']);
    assert.deepEqual(words(fx, referencesAt(fx.index, fx.cursor.file, fx.cursor.pos, true)), [
      '_keyed.prompt:0:topic',
      'p.prompt:11:topic',
    ]);
    const result = renameAt(fx.index, fx.cursor.file, fx.cursor.pos, 'subject');
    assert.ok(!('error' in result));
    const out = apply(fx, result.edits);
    assert.deepEqual(Object.keys(out).sort(), ['_keyed.prompt', 'p.prompt']);
    assert.equal(out['_keyed.prompt'], '{{subject}} {{#each list}}{{topic}}{{/each}}\n');
    assert.equal(out['p.prompt']!.split('\n')[11], '{{> part}} {{> keyed subject="fixed"}} {{> ctx items}}');
    // From the call's side, the hash key leads to the partial's uses.
    const text = out['p.prompt']!;
    const fromCall = workspace({
      ...INPUTS,
      'p.prompt': INPUTS['p.prompt'].replace('top|ic', 'topic').replace('keyed topic=', 'keyed to|pic='),
    });
    assert.deepEqual(words(fromCall, referencesAt(fromCall.index, fromCall.cursor.file, fromCall.cursor.pos, false)), [
      '_keyed.prompt:0:topic',
    ]);
    assert.ok(text.includes('keyed subject='));
  });

  test('JSON Schema inputs rename the property and its required entry', () => {
    const text =
      '---\ninput:\n  schema:\n    type: object\n    properties:\n      na|me: {type: string}\n    required: [name, other]\n---\n{{name}}\n';
    const fx = workspace({ 'j.prompt': text });
    const result = renameAt(fx.index, fx.cursor.file, fx.cursor.pos, 'title');
    assert.ok(!('error' in result));
    assert.equal(apply(fx, result.edits)['j.prompt'], text.replace('|', '').replace(/\bname\b/g, 'title'));
  });

  test('refuses a new name that clashes with another input or a helper', () => {
    const fx = workspace(INPUTS);
    assert.match(
      (renameAt(fx.index, fx.cursor.file, fx.cursor.pos, 'level') as { error: string }).error,
      /already declares an input "level"/,
    );
    assert.match((renameAt(fx.index, fx.cursor.file, fx.cursor.pos, 'json') as { error: string }).error, /helper name/);
    assert.match((renameAt(fx.index, fx.cursor.file, fx.cursor.pos, '1x') as { error: string }).error, /not a usable input name/);
  });
});

describe('prepareRename refuses where rename makes no sense', () => {
  const refusal = (text: string): string => {
    const fx = workspace({ 'r.prompt': text });
    const result = prepareRenameAt(fx.index, fx.cursor.file, fx.cursor.pos);
    assert.ok('error' in result, `expected a refusal, got ${JSON.stringify(result)}`);
    return result.error;
  };
  test('helpers, data variables, literals, scoped fields and plain text', () => {
    assert.match(refusal('{{#ea|ch items}}{{/each}}'), /"each" is a helper defined by Handlebars/);
    assert.match(refusal('{{ro|le "user"}}'), /"role" is a helper defined by Dotprompt/);
    assert.match(refusal('{{#each items}}{{@ind|ex}}{{/each}}'), /data variable/);
    assert.match(refusal('{{role "us|er"}}'), /"user" is a literal value/);
    assert.match(refusal('{{json x indent=|2}}'), /2 is a literal value/);
    assert.match(refusal('{{#each items}}{{na|me}}{{/each}}'), /field of the current each\/with context/);
    assert.match(refusal('plain te|xt'), /Only partial names/);
  });
});

describe('workspace symbols and media links', () => {
  test('prompts are named by folder and base name, with their variant; partials too', () => {
    const fx = workspace({
      'greet.prompt': '---\nmodel: ollama/x\ndescription: Says hi\n---\nhi\n',
      'greet.formal.prompt': 'Good day\n',
      'sub/story.prompt': 's\n',
      '_header.prompt': 'h\n',
    });
    const all = workspaceSymbols(fx.index, '')
      .map((s) => `${s.kind} ${s.name}${s.variant ? ` [${s.variant}]` : ''} ${s.detail}`.trim())
      .sort();
    assert.deepEqual(all, ['partial > header', 'prompt greet [formal]', 'prompt greet ollama/x — Says hi', 'prompt sub/story']);
    assert.deepEqual(
      workspaceSymbols(fx.index, 'gform').map((s) => s.variant),
      ['formal'],
    );
    assert.deepEqual(
      workspaceSymbols(fx.index, 'sbst').map((s) => s.name),
      ['sub/story'],
    );
  });

  test('local media paths link inside the workspace; remote, missing and outside paths do not', () => {
    const text =
      '{{media url="img/cat.png"}} {{media url="https://x/y.png"}} {{media url="../../etc/passwd"}} {{media url="missing.png"}} {{media url=photoUrl}} {{media contentType="image/png" url=\'img/cat%20two.png\'}}\n';
    const fx = workspace({ 'm/a.prompt': text, 'm/img/cat.png': 'PNG', 'm/img/cat two.png': 'PNG' }, { outside: { '/etc/passwd': 'x' } });
    const links = mediaLinks(fx.index, abs('m/a.prompt'));
    assert.deepEqual(
      links.map((l) => [
        path.relative(ROOT, l.target).split(path.sep).join('/'),
        text.slice(l.range.start.character, l.range.end.character),
      ]),
      [
        ['m/img/cat.png', 'img/cat.png'],
        ['m/img/cat two.png', 'img/cat%20two.png'],
      ],
    );
  });
});
