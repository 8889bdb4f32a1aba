// The CLI contract, through main(argv, io) with captured output, and once through the built
// dist/cli.js in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { renderPrompt } from '../../src/core/prompt/render';

const REPO = path.resolve(__dirname, '..', '..');
const ws = mkdtempSync(path.join(tmpdir(), 'promptscope-cli-'));
after(() => rmSync(ws, { recursive: true, force: true }));

const OK = '---\nmodel: ollama/x\ninput:\n  schema:\n    name: string\n---\nHi {{name}} {{> header}}\n';
function write(rel: string, text: string): string {
  const file = path.join(ws, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}
write('sub/ok.prompt', OK);
write('sub/_header.prompt', 'from the header');
write('warn.prompt', '---\nmodle: a\n---\nHi\n');
write('err.prompt', '---\nconfig:\n  temperature: hot\n---\n{{#if x}}\n');
write('_shared.prompt', 'shared');
write('sub/uses-shared.prompt', 'A {{> ../shared}}\n');
write('in.json', '{"name":"Ann"}');
write('bad.json', '{"name":');

interface Run {
  code: number;
  out: string;
  err: string;
}
async function cli(argv: string[], cwd = ws): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), cwd, color: false };
  const code = await main(argv, io);
  return { code, out, err };
}
function assertOneLine(run: Run): void {
  assert.equal(run.err.trimEnd().split('\n').length, 1, `expected one line on stderr, got:\n${run.err}`);
  assert.doesNotMatch(run.err, /^\s+at /m, 'no stack trace');
}

describe('check', () => {
  test('--json prints one array of 1-based findings in the documented shape; exit 1 on errors', async () => {
    const run = await cli(['check', 'sub/ok.prompt', 'warn.prompt', 'err.prompt', '--json']);
    assert.equal(run.code, 1);
    assert.equal(run.err, '');
    const findings = JSON.parse(run.out) as Record<string, unknown>[];
    for (const f of findings)
      assert.deepEqual(Object.keys(f), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
    assert.deepEqual(
      findings.map(({ message, ...rest }) => (assert.equal(typeof message, 'string'), rest)),
      [
        { file: 'warn.prompt', line: 2, column: 1, endLine: 2, endColumn: 6, severity: 'warning', code: 'unknown-key' },
        { file: 'err.prompt', line: 3, column: 16, endLine: 3, endColumn: 19, severity: 'warning', code: 'invalid-value' },
        { file: 'err.prompt', line: 5, column: 1, endLine: 5, endColumn: 10, severity: 'error', code: 'unclosed-block' },
      ],
    );
  });

  test('exit 0 with warnings only; the text report names file:line:column and code', async () => {
    const run = await cli(['check', 'warn.prompt']);
    assert.equal(run.code, 0);
    assert.match(run.out, /^warn\.prompt:2:1: warning Unknown frontmatter key "modle".* \[unknown-key\]$/m);
    assert.match(run.out, /1 file checked: 0 errors, 1 warnings/);
    assert.deepEqual(JSON.parse((await cli(['check', 'sub/ok.prompt', '--json'])).out), []);
  });

  test('an unreadable file is named with its cause; exit 2; the others are still checked', async () => {
    const missing = await cli(['check', 'nope.prompt', 'warn.prompt']);
    assert.equal(missing.code, 2);
    assert.equal(missing.err, 'promptscope: cannot read nope.prompt: no such file\n');
    assert.match(missing.out, /warn\.prompt:2:1/);
    const dir = await cli(['check', 'sub']);
    assert.equal(dir.code, 2);
    assert.equal(dir.err, 'promptscope: cannot read sub: it is a directory\n');
  });

  test('invalid UTF-8 is reported with the byte', async () => {
    writeFileSync(path.join(ws, 'latin1.prompt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const findings = JSON.parse((await cli(['check', 'latin1.prompt', '--json'])).out) as {
      code: string;
      message: string;
      line: number;
      column: number;
    }[];
    assert.deepEqual(
      findings.map((f) => [f.code, f.line, f.column]),
      [
        ['invalid-utf8', 1, 4],
        ['replacement-character', 1, 4],
      ],
    );
    assert.match(findings[0]!.message, /byte 3 \(0xe9\)/);
  });

  test('--workspace confines partials; a path out of it is an error and is not read', async () => {
    assert.equal((await cli(['check', 'sub/uses-shared.prompt'])).code, 0);
    const confined = await cli(['check', 'sub/uses-shared.prompt', '--workspace', 'sub', '--json']);
    assert.equal(confined.code, 1);
    const [finding] = JSON.parse(confined.out) as { code: string; line: number; column: number; endColumn: number }[];
    assert.deepEqual([finding!.code, finding!.line, finding!.column, finding!.endColumn], ['partial-outside-workspace', 1, 3, 18]);
    write('sub/escape.prompt', '{{> ../../../../etc/passwd}}\n');
    const escape = await cli(['check', 'sub/escape.prompt', '--json']);
    assert.equal(escape.code, 1);
    assert.match(escape.out, /partial-outside-workspace/);
  });

  test('a prompt outside the workspace is told so', async () => {
    const run = await cli(['check', path.join(ws, 'sub', 'ok.prompt'), '--json'], REPO);
    const [finding] = JSON.parse(run.out) as { code: string; message: string }[];
    assert.equal(finding!.code, 'partial-outside-workspace');
    assert.match(finding!.message, /outside the workspace.*--workspace/);
  });

  test('--helpers lists custom helpers', async () => {
    write('helper.prompt', '{{shout x}}\n');
    assert.match((await cli(['check', 'helper.prompt'])).out, /unknown-helper/);
    assert.doesNotMatch((await cli(['check', 'helper.prompt', '--helpers', 'shout, other'])).out, /unknown-helper/);
  });
});

describe('render', () => {
  test('--input JSON fills the inputs; partials come from the workspace', async () => {
    const run = await cli(['render', 'sub/ok.prompt', '--input', '{"name":"Ann"}']);
    assert.equal(run.code, 0, run.err);
    assert.equal(run.out, 'model: ollama/x\n\n── user ──\nHi Ann from the header\n');
  });

  test("--input @file.json and --json print the library's output shape", async () => {
    const run = await cli(['render', 'sub/ok.prompt', '--input', '@in.json', '--json']);
    assert.equal(run.code, 0, run.err);
    const expected = await renderPrompt(OK, {
      input: { name: 'Ann' },
      partials: {
        workspaceRoot: ws,
        promptDir: path.join(ws, 'sub'),
        partialsDirs: [],
        reader: { readFile: (p) => (p.endsWith('_header.prompt') ? 'from the header' : undefined) },
      },
    });
    assert.deepEqual(JSON.parse(run.out), JSON.parse(JSON.stringify(expected)));
    assert.deepEqual(Object.keys(JSON.parse(run.out)).sort(), ['config', 'ext', 'messages', 'metadata', 'model', 'raw']);
  });

  test('a prompt that cannot render: exit 1 with one line naming the file and the document line', async () => {
    const run = await cli(['render', 'err.prompt']);
    assert.equal(run.code, 1);
    assert.equal(run.out, '');
    assertOneLine(run);
    assert.match(run.err, /^promptscope: err\.prompt: Line 5: Unclosed block/);
  });

  const usage: [string, string[], RegExp][] = [
    ['bad JSON', ['render', 'sub/ok.prompt', '--input', '{bad'], /--input is not valid JSON/],
    ['bad JSON in a file', ['render', 'sub/ok.prompt', '--input', '@bad.json'], /bad\.json is not valid JSON/],
    ['a missing input file', ['render', 'sub/ok.prompt', '--input', '@missing.json'], /cannot read missing\.json: no such file/],
    ['JSON that is not an object', ['render', 'sub/ok.prompt', '--input', '[1]'], /must be a JSON object/],
    ['--input without a value', ['render', 'sub/ok.prompt', '--input'], /--input needs a value/],
    ['no file', ['render'], /no file given/],
    ['two files', ['render', 'a.prompt', 'b.prompt'], /one file/],
    ['check without files', ['check'], /no files given/],
    ['an unknown option', ['check', '--bogus', 'x.prompt'], /unknown option --bogus/],
    ['a flag given a value', ['check', '--json=yes', 'x.prompt'], /--json takes no value/],
    ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
  ];
  for (const [name, argv, message] of usage) {
    test(`usage error: ${name} → exit 2, one line, no stack`, async () => {
      const run = await cli(argv);
      assert.equal(run.code, 2);
      assert.equal(run.out, '');
      assertOneLine(run);
      assert.match(run.err, message);
    });
  }

  test('an unreadable prompt file is named with its cause; exit 2', async () => {
    const run = await cli(['render', 'nope.prompt']);
    assert.equal(run.code, 2);
    assert.equal(run.err, 'promptscope: cannot read nope.prompt: no such file\n');
  });
});

describe('main', () => {
  test('no command prints the help and exits 2; --help exits 0', async () => {
    const bare = await cli([]);
    assert.equal(bare.code, 2);
    assert.match(bare.out, /Usage: promptscope <command>/);
    assert.equal((await cli(['--help'])).code, 0);
    const sub = await cli(['check', '--help']);
    assert.equal(sub.code, 0);
    assert.match(sub.out, /^Usage: promptscope check/);
  });

  test('an internal error is one line; --verbose adds the stack', async () => {
    const failing = (verbose: boolean): Promise<Run> => {
      let err = '';
      const io: CliIo = {
        out: () => {
          throw new Error('disk full');
        },
        err: (t) => void (err += t),
        cwd: ws,
        color: false,
      };
      return main(['check', 'warn.prompt', ...(verbose ? ['--verbose'] : [])], io).then((code) => ({ code, out: '', err }));
    };
    const quiet = await failing(false);
    assert.equal(quiet.code, 2);
    assertOneLine(quiet);
    assert.match(quiet.err, /internal error: disk full \(run with --verbose for details\)/);
    const verbose = await failing(true);
    assert.match(verbose.err, /^\s+at /m);
  });
});

describe('the built dist/cli.js', () => {
  const cliJs = path.join(REPO, 'dist', 'cli.js');
  before(() => {
    if (existsSync(cliJs)) return;
    const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(build.status, 0, `node esbuild.mjs failed:\n${build.stderr}`);
  });

  test('check --json in a child process: exit code, stdout JSON, nothing on stderr; usage errors exit 2', () => {
    const run = spawnSync(process.execPath, [cliJs, 'check', 'warn.prompt', 'err.prompt', '--json'], { cwd: ws, encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stderr, '');
    const findings = JSON.parse(run.stdout) as { file: string; code: string; line: number }[];
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line}:${f.code}`),
      ['warn.prompt:2:unknown-key', 'err.prompt:3:invalid-value', 'err.prompt:5:unclosed-block'],
    );
    const usageRun = spawnSync(process.execPath, [cliJs, 'render', 'sub/ok.prompt', '--input', '{bad'], { cwd: ws, encoding: 'utf8' });
    assert.equal(usageRun.status, 2);
    assert.equal(usageRun.stdout, '');
    assertOneLine({ code: usageRun.status ?? -1, out: usageRun.stdout, err: usageRun.stderr });
  });
});
