// Text the CLI did not write never drives the terminal: the built CLI against a loopback Ollama
// whose tokens and errors carry escape sequences, and against hostile file names; plus the rule
// that every write in src/cli goes through the one safe sink.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { terminalSafe } from '../../src/core/text/terminal';
import type { FakeServer } from '../fixtures/servers/http';
import { HOSTILE_TOKENS, startHostileOllama } from '../fixtures/servers/hostileOllama';
import { ensureBuiltCli, REPO, runBuiltCli, TERMINAL_CONTROL } from './cli-harness';

describe('terminalSafe', () => {
  test('escape sequences, C1 controls and bidi controls become visible stand-ins', () => {
    assert.equal(terminalSafe('\u001b]0;title\u0007'), '␛]0;title␇');
    assert.equal(terminalSafe('\u001b[2J'), '␛[2J');
    assert.equal(terminalSafe('a\u009b31mb'), 'a\\u009b31mb');
    assert.equal(terminalSafe('\u202eevil\u202c'), '\\u202eevil\\u202c');
    assert.equal(terminalSafe('\u2066x\u2069\u200f'), '\\u2066x\\u2069\\u200f');
    assert.equal(terminalSafe('del\u007f'), 'del\\u007f');
  });

  test('multiline keeps newlines, tabs and CRLF; a lone CR is shown; line mode shows them all', () => {
    assert.equal(terminalSafe('a\n\tb\r\nc'), 'a\n\tb\nc');
    assert.equal(terminalSafe('safe\rEVIL'), 'safe␍EVIL');
    assert.equal(terminalSafe('a\nb\tc', { mode: 'line' }), 'a␊b␉c');
    assert.equal(terminalSafe('plain 中文 😊'), 'plain 中文 😊');
  });

  test('JSON text stays the same JSON value', () => {
    const value = { text: HOSTILE_TOKENS.join(''), n: 1 };
    const safe = terminalSafe(JSON.stringify(value, null, 2));
    assert.doesNotMatch(safe, TERMINAL_CONTROL);
    assert.deepEqual(JSON.parse(safe), value);
  });
});

describe('the built CLI on hostile input', () => {
  let server: FakeServer;
  let ws: string;
  before(async () => {
    ensureBuiltCli();
    server = await startHostileOllama();
    ws = mkdtempSync(path.join(tmpdir(), 'promptscope-terminal-'));
    writeFileSync(path.join(ws, 'p.prompt'), '---\nmodel: ollama/hostile\n---\nSay something.\n');
  });
  after(async () => {
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });
  const env = (): NodeJS.ProcessEnv => ({ OLLAMA_HOST: server.url });

  test('run: tokens are shown, never acted on; newlines and tabs in tokens are kept', async () => {
    const run = await runBuiltCli(['run', 'p.prompt', '--no-history'], { cwd: ws, env: env() });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, TERMINAL_CONTROL);
    assert.doesNotMatch(run.stderr, TERMINAL_CONTROL);
    assert.ok(run.stdout.includes('␛]0;pwned-title␇'), run.stdout);
    assert.ok(run.stdout.includes('␛]52;c;'), 'OSC 52 shown');
    assert.ok(run.stdout.includes('␛]8;;https://evil.example/'), 'OSC 8 shown');
    assert.ok(run.stdout.includes('\\u202eevil\\u202c'), 'bidi override shown');
    assert.ok(run.stdout.includes('\\u009b31m'), 'C1 CSI shown');
    assert.ok(run.stdout.includes('safe␍EVIL'), 'a lone CR is shown');
    assert.ok(run.stdout.includes(' line\n\tindented'), "a token's newline and tab are content");
  });

  test('run with colours: only our own SGR codes reach the terminal', async () => {
    const run = await runBuiltCli(['run', 'p.prompt', '--no-history', '--model', 'ollama/hostile', '--model', 'ollama/hostile'], {
      cwd: ws,
      env: { ...env(), NO_COLOR: '', FORCE_COLOR: '1' },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\u001b\[1m── ollama\/hostile ──\u001b\[0m/);
    assert.match(run.stdout, /\u001b\[3[135]m/, 'low-probability tokens are coloured');
    assert.doesNotMatch(run.stdout.replace(/\u001b\[(?:0|1|31|33|35)m/g, ''), TERMINAL_CONTROL);
  });

  test('run --json: the exact token texts, and no raw control byte on stdout', async () => {
    const run = await runBuiltCli(['run', 'p.prompt', '--no-history', '--json'], { cwd: ws, env: env() });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, TERMINAL_CONTROL);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; text?: string; topLogprobs?: { text: string }[] });
    assert.equal(
      events
        .filter((e) => e.type === 'token')
        .map((e) => e.text)
        .join(''),
      HOSTILE_TOKENS.join(''),
    );
    assert.ok(
      events.some((e) => e.topLogprobs?.some((a) => a.text === '\u001b]0;alt\u0007')),
      'hostile alternatives kept as data',
    );
  });

  test('a server error message with escape sequences is shown, not obeyed', async () => {
    writeFileSync(path.join(ws, 'e.prompt'), '---\nmodel: ollama/hostile-error\n---\nHi\n');
    const run = await runBuiltCli(['run', 'e.prompt', '--no-history'], { cwd: ws, env: env() });
    assert.equal(run.code, 3);
    assert.doesNotMatch(run.stderr, TERMINAL_CONTROL);
    assert.match(run.stderr, /␛\]0;error-title␇model crashed␛\[2J/);
  });

  test('compare: replies, model names and errors in the table are shown safely, --json too', async () => {
    const table = await runBuiltCli(['compare', 'p.prompt', '--model', 'ollama/hostile', '--model', 'ollama/hostile-error', '--diff'], {
      cwd: ws,
      env: env(),
    });
    assert.ok(table.code === 0 || table.code === 3, table.stderr);
    assert.doesNotMatch(table.stdout, TERMINAL_CONTROL);
    assert.doesNotMatch(table.stderr, TERMINAL_CONTROL);
    assert.match(table.stdout, /␛\]0;pwned-title␇/);
    const json = await runBuiltCli(['compare', 'p.prompt', '--model', 'ollama/hostile', '--model', 'ollama/hostile', '--json'], {
      cwd: ws,
      env: env(),
    });
    assert.doesNotMatch(json.stdout, TERMINAL_CONTROL);
    const doc = JSON.parse(json.stdout) as { cases: { cells: { content: string }[] }[] };
    assert.equal(doc.cases[0]!.cells[0]!.content, HOSTILE_TOKENS.join(''));
  });

  test('hostile file names and arguments: shown with visible stand-ins, one line each', async () => {
    const names = ['title\u001b]0;owned\u0007.prompt', 'bidi\u202egnp.prompt', 'two\nlines.prompt'];
    for (const name of names) writeFileSync(path.join(ws, name), '---\nmodle: x\n---\n{{#if a}}\n');
    const check = await runBuiltCli(['check', ...names], { cwd: ws, env: env() });
    assert.equal(check.code, 1, check.stderr);
    assert.doesNotMatch(check.stdout, TERMINAL_CONTROL);
    assert.match(check.stdout, /^title␛\]0;owned␇\.prompt:2:1: /m);
    assert.match(check.stdout, /^bidi\\u202egnp\.prompt:/m);
    assert.match(check.stdout, /^two␊lines\.prompt:2:1: /m);
    const missing = await runBuiltCli(['run', 'gone\u001b[2J.prompt'], { cwd: ws, env: env() });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read gone␛\[2J\.prompt: no such file/);
    const badModel = await runBuiltCli(['run', 'p.prompt', '--no-history', '--model', 'ollama/x\u001b]0;t\u0007'], { cwd: ws, env: env() });
    assert.doesNotMatch(badModel.stderr, TERMINAL_CONTROL);
    assert.match(badModel.stderr, /x␛\]0;t␇/);
  });
});

describe('one way out', () => {
  const CLI = path.join(REPO, 'src', 'cli');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));

  test('only io.ts and the console guard write to the process streams or hold escape codes', () => {
    const sink = new Set(['io.ts', 'console-guard.ts']);
    const rules: [RegExp, string][] = [
      [/process\.(stdout|stderr)\.write|console\.[a-z]+\(/, 'writes to a process stream'],
      [/\\u001b|\\x1b|\u001b/i, 'holds an escape code'],
    ];
    const offenders = files(CLI)
      .filter((file) => !sink.has(path.relative(CLI, file)))
      .flatMap((file) =>
        rules.filter(([rule]) => rule.test(readFileSync(file, 'utf8'))).map(([, what]) => `${path.relative(CLI, file)} ${what}`),
      );
    assert.deepEqual(offenders, []);
  });
});
