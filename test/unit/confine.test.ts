// The one confinement rule (src/core/io/confine.ts) for files a .prompt names — partials, test
// cases, data rows — against real files and symlinks, in core and through the CLI.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { locateTestFile } from '../../src/core/compare/testFile';
import { confine, confinedPath, diskRealPath, OutsideWorkspaceError } from '../../src/core/io/confine';
import { nodeFileReader } from '../../src/core/io/node-reader';
import { resolvePartial } from '../../src/core/prompt/partials';

// realpath: the temp folder may itself be a link (macOS /tmp), messages name the real one.
const top = realpathSync(mkdtempSync(path.join(tmpdir(), 'promptscope-confine-')));
after(() => rmSync(top, { recursive: true, force: true }));
const ws = path.join(top, 'ws');
const elsewhere = path.join(top, 'elsewhere');

function write(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

write(path.join(elsewhere, 'x.yaml'), '- name: secret\n  input: {n: "1"}\n');
write(path.join(elsewhere, 'rows.jsonl'), '{"n":"1","output":"x"}\n');
write(path.join(elsewhere, '_leak.prompt'), 'secret partial');
write(path.join(ws, 'inside.yaml'), '- name: ok\n  input: {n: "1"}\n');
write(
  path.join(ws, 'sum.prompt'),
  '---\nmodel: lab/echo\npromptscope.tests: ../elsewhere/x.yaml\ninput:\n  schema:\n    n: string\n---\nThe answer is {{n}}.\n',
);
write(path.join(ws, 'linked.prompt'), '---\nmodel: lab/echo\ninput:\n  schema:\n    n: string\n---\nThe answer is {{n}}.\n');
symlinkSync(path.join(elsewhere, 'x.yaml'), path.join(ws, 'linked.tests.yaml'));
symlinkSync(path.join(elsewhere, 'rows.jsonl'), path.join(ws, 'rows.jsonl'));
symlinkSync(path.join(elsewhere, '_leak.prompt'), path.join(ws, '_leak.prompt'));
symlinkSync(path.join(ws, 'inside.yaml'), path.join(ws, 'alias.yaml'));
write(path.join(ws, 'endpoints.json'), JSON.stringify([{ name: 'lab', kind: 'ollama', url: 'http://127.0.0.1:9' }]));

test('a path inside the workspace, directly or through a link that stays inside, is confined to its real path', () => {
  assert.equal(confinedPath('inside.yaml', { base: ws, roots: [ws] }), path.join(ws, 'inside.yaml'));
  assert.equal(confinedPath('alias.yaml', { base: ws, roots: [ws] }), path.join(ws, 'inside.yaml'));
  const missing = confine('nothing.yaml', { base: ws, roots: [ws], realPath: diskRealPath });
  assert.deepEqual(missing, { kind: 'inside', path: path.join(ws, 'nothing.yaml'), real: undefined, root: ws });
});

test('../ out of the workspace is refused with where it leads and which workspace it left', () => {
  const result = confine('../elsewhere/x.yaml', {
    base: ws,
    roots: [ws],
    realPath: diskRealPath,
    shown: 'promptscope.tests: ../elsewhere/x.yaml',
  });
  assert.equal(result.kind, 'outside');
  assert.equal(
    result.kind === 'outside' && result.message,
    `promptscope.tests: ../elsewhere/x.yaml resolves to ${path.join(elsewhere, 'x.yaml')}, outside the workspace ${ws}`,
  );
});

test('a symlink inside the workspace that points outside is refused; so is a root that is itself a link, seen from outside', () => {
  assert.throws(
    () => confinedPath('rows.jsonl', { base: ws, roots: [ws] }),
    (err: unknown) =>
      err instanceof OutsideWorkspaceError &&
      err.message === `${path.join(ws, 'rows.jsonl')} resolves to ${path.join(elsewhere, 'rows.jsonl')}, outside the workspace ${ws}`,
  );
  const linkRoot = path.join(top, 'ws-link');
  symlinkSync(ws, linkRoot);
  // Reached through the linked root, a file inside is inside; the escaping link is still refused.
  assert.equal(confinedPath(path.join(linkRoot, 'inside.yaml'), { base: linkRoot, roots: [linkRoot] }), path.join(ws, 'inside.yaml'));
  assert.equal(confine(path.join(linkRoot, 'rows.jsonl'), { base: linkRoot, roots: [linkRoot], realPath: diskRealPath }).kind, 'outside');
});

test('partials keep their behaviour under the shared rule: a linked partial that leaves the workspace is outside', () => {
  const ctx = { workspaceRoot: ws, promptDir: ws, partialsDirs: [], reader: nodeFileReader };
  assert.deepEqual(resolvePartial('leak', ctx), {
    kind: 'outside',
    path: `${path.join(ws, '_leak.prompt')} → ${path.join(elsewhere, '_leak.prompt')}`,
  });
  assert.deepEqual(resolvePartial('../elsewhere/leak', ctx), { kind: 'outside', path: path.join(elsewhere, '_leak.prompt') });
  assert.deepEqual(resolvePartial('absent', ctx), { kind: 'missing', tried: [path.join(ws, '_absent.prompt')] });
});

test('core: test cases named by frontmatter outside the workspace, or a symlinked name.tests.yaml, are refused', () => {
  const fromFrontmatter = locateTestFile(path.join(ws, 'sum.prompt'), '../elsewhere/x.yaml', [ws]);
  assert.equal(fromFrontmatter.kind, 'refused');
  assert.match(
    fromFrontmatter.kind === 'refused' ? fromFrontmatter.message : '',
    /^promptscope\.tests: \.\.\/elsewhere\/x\.yaml resolves to .*elsewhere\/x\.yaml, outside the workspace /,
  );
  const beside = locateTestFile(path.join(ws, 'linked.prompt'), undefined, [ws]);
  assert.equal(beside.kind, 'refused');
  assert.match(
    beside.kind === 'refused' ? beside.message : '',
    /^linked\.tests\.yaml resolves to .*elsewhere\/x\.yaml, outside the workspace /,
  );
  const ok = locateTestFile(path.join(ws, 'sum.prompt'), 'alias.yaml', [ws]);
  assert.deepEqual(ok.kind === 'found' && ok.readPath, path.join(ws, 'inside.yaml'));
});

interface Run {
  code: number;
  out: string;
  err: string;
}
async function cli(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), cwd: ws, color: false };
  const code = await main(argv, io);
  return { code, out, err };
}

test('CLI compare: frontmatter ../elsewhere/x.yaml and a symlinked name.tests.yaml are refused before any model is asked', async () => {
  const history = path.join(top, 'history-compare');
  const named = await cli('compare', 'sum.prompt', '--model', 'lab/echo', '--endpoints', 'endpoints.json', '--history', history);
  assert.equal(named.code, 2, named.err);
  assert.match(
    named.err,
    /promptscope\.tests: \.\.\/elsewhere\/x\.yaml resolves to .*elsewhere\/x\.yaml, outside the workspace .*; the test cases were not read/,
  );
  const linked = await cli('compare', 'linked.prompt', '--model', 'lab/echo', '--endpoints', 'endpoints.json', '--history', history);
  assert.equal(linked.code, 2, linked.err);
  assert.match(linked.err, /linked\.tests\.yaml resolves to .*elsewhere\/x\.yaml, outside the workspace/);
  const widened = await cli(
    'compare',
    'sum.prompt',
    '--tests',
    '../elsewhere/x.yaml',
    '--model',
    'lab/echo',
    '--endpoints',
    'endpoints.json',
    '--history',
    history,
  );
  assert.equal(widened.code, 2, widened.err);
  assert.match(widened.err, /--tests \.\.\/elsewhere\/x\.yaml resolves to .*, outside the workspace .*give --workspace/);
  assert.doesNotMatch(named.err + linked.err + widened.err, /secret/);
});

test('CLI export-dataset: a --data file that links out of the workspace is refused, nothing is written', async () => {
  write(path.join(ws, 'ex.prompt'), '---\ninput:\n  schema:\n    n: string\n---\n{{n}}\n');
  const run = await cli('export-dataset', 'ex.prompt', '--data', 'rows.jsonl');
  assert.equal(run.code, 2);
  assert.equal(run.out, '');
  assert.match(run.err, /--data rows\.jsonl resolves to .*elsewhere\/rows\.jsonl, outside the workspace .*give --workspace/);
  const outside = await cli('export-dataset', 'ex.prompt', '--data', path.join(elsewhere, 'rows.jsonl'), '--workspace', top);
  assert.equal(outside.code, 0, outside.err);
});
