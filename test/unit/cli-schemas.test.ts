// Every JSON output of the CLI is documented by a JSON Schema in docs/cli/schemas/ and checked
// against it here with Ajv, on the real output of the built CLI (against loopback servers).
// Also: one key convention (camelCase) everywhere, and the same endpoint flags for every model command.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv, { type ValidateFunction } from 'ajv';
import { startCompareFake, type CompareFake } from '../fixtures/servers/compareScripts';
import type { FakeServer } from '../fixtures/servers/http';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import { startOpenAiFake } from '../fixtures/servers/openaiFake';
import { ensureBuiltCli, REPO, runBuiltCli, type CliRun } from './cli-harness';

const SCHEMAS = path.join(REPO, 'docs', 'cli', 'schemas');
const ajv = new Ajv({ allErrors: true, strict: true });
for (const name of readdirSync(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMAS, name), 'utf8')) as object, name);

function validator(name: string): ValidateFunction {
  const validate = ajv.getSchema(name);
  assert.ok(validate, `no schema ${name}`);
  return validate;
}

function assertValid(name: string, value: unknown): void {
  const validate = validator(name);
  assert.ok(validate(value), `${name}: ${ajv.errorsText(validate.errors, { separator: '\n' })}\n${JSON.stringify(value).slice(0, 2000)}`);
}

/** Every key of every object in a JSON value, except inside user data (inputs, expectations, frontmatter, tool arguments). */
function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      out.add(key);
      if (!['inputs', 'expect', 'raw', 'config', 'arguments', 'answer', 'metadata', 'ext', 'input', 'output'].includes(key))
        keysOf(inner, out);
    }
  }
  return out;
}
const NOT_CAMEL = (key: string): boolean => !/^[a-z][a-zA-Z0-9]*$/.test(key);

let ollama: FakeServer;
let oldOllama: FakeServer;
let lab: CompareFake;
let ws: string;
before(async () => {
  ensureBuiltCli();
  ollama = await startOllamaFake();
  oldOllama = await startOllamaFake({ version: '0.12.3' });
  lab = await startCompareFake();
  ws = mkdtempSync(path.join(tmpdir(), 'promptscope-schemas-'));
  writeFileSync(
    path.join(ws, 'endpoints.json'),
    JSON.stringify([
      { name: 'lab', kind: 'ollama', url: lab.url },
      { name: 'old', kind: 'ollama', url: oldOllama.url },
    ]),
  );
  writeFileSync(
    path.join(ws, 'hi.prompt'),
    '---\nmodel: ollama/tiny\ninput:\n  schema:\n    n: string\n  default:\n    n: "7"\n---\nThe answer is {{n}}.\n',
  );
  writeFileSync(
    path.join(ws, 'hi.tests.jsonl'),
    '{"name": "seven", "n": "7", "expect": {"answer": "7", "contains": "answer"}}\n{"name": "eight", "n": "8", "expect.answer": "8"}\n{broken\n',
  );
  writeFileSync(path.join(ws, 'bad.prompt'), '---\nmodle: x\n---\n{{#if a}}\n');
});
after(async () => {
  await ollama.close();
  await oldOllama.close();
  await lab.close();
  rmSync(ws, { recursive: true, force: true });
});
const cli = (args: string[]): Promise<CliRun> => runBuiltCli(args, { cwd: ws, env: { OLLAMA_HOST: ollama.url } });
const lines = (run: CliRun): unknown[] =>
  run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);

describe('JSON outputs match their schemas', () => {
  test('run --json: tokens, thinking, tool calls, notices, done and errors', async () => {
    const run = await cli([
      'run',
      'hi.prompt',
      '--json',
      '--no-history',
      '--model',
      'ollama/tiny',
      '--model',
      'ollama/thinker',
      '--model',
      'ollama/tools',
      '--endpoints',
      'endpoints.json',
      '--model',
      'old/tiny',
      '--model',
      'ollama/error-mid',
      '--model',
      'ollama/no-such',
      '--model',
      'nowhere/x',
    ]);
    assert.equal(run.code, 3, run.stderr);
    const events = lines(run) as { type: string }[];
    assert.deepEqual([...new Set(events.map((e) => e.type))].sort(), ['done', 'error', 'notice', 'token', 'toolCall']);
    for (const event of events) assertValid('run-event.schema.json', event);
    assert.deepEqual([...keysOf(events)].filter(NOT_CAMEL), []);
  });

  test('compare --json: assertions, votes, errors, skipped rows', async () => {
    const tests = await cli([
      'compare',
      'hi.prompt',
      '--json',
      '--endpoints',
      'endpoints.json',
      '--model',
      'lab/echo',
      '--model',
      'ollama/error-mid',
    ]);
    assert.equal(tests.code, 3, tests.stderr);
    const votes = await cli([
      'compare',
      'hi.prompt',
      '--json',
      '--endpoints',
      'endpoints.json',
      '--model',
      'lab/vote',
      '--samples',
      '3',
      '--seed',
      '1',
      '--temperature',
      '0.5',
      '--tests',
      'endpoints.json',
    ]);
    const plain = await cli([
      'compare',
      'hi.prompt',
      '--json',
      '--endpoints',
      'endpoints.json',
      '--model',
      'lab/vote',
      '--model',
      'lab/missing',
      '--samples',
      '3',
      '--seed',
      '1',
    ]);
    for (const run of [tests, plain]) {
      const doc = JSON.parse(run.stdout) as unknown;
      assertValid('compare.schema.json', doc);
      assert.deepEqual([...keysOf(doc)].filter(NOT_CAMEL), []);
    }
    assert.equal(votes.code, 1, 'a tests file that holds no case is an error');
  });

  test('check --json, render --json, patterns --json, patterns show --json', async () => {
    const check = await cli(['check', 'bad.prompt', 'hi.prompt', '--json']);
    assert.equal(check.code, 1);
    assertValid('check.schema.json', JSON.parse(check.stdout));
    const render = await cli(['render', 'hi.prompt', '--json']);
    assertValid('render.schema.json', JSON.parse(render.stdout));
    const patterns = await cli(['patterns', '--json']);
    assertValid('patterns.schema.json', JSON.parse(patterns.stdout));
    const show = await cli(['patterns', 'show', 'self-consistency', '--json']);
    assertValid('patterns.schema.json', JSON.parse(show.stdout));
    for (const run of [check, patterns, show]) assert.deepEqual([...keysOf(JSON.parse(run.stdout))].filter(NOT_CAMEL), []);
  });

  test('a schema rejects the old snake_case shape (the check can fail)', () => {
    const old = { type: 'token', model: 'm', text: 'x', logprob: -1, top_logprobs: [], channel: 'content', t_ms: 1 };
    assert.equal(validator('run-event.schema.json')(old), false);
  });
});

describe('one set of endpoint flags', () => {
  test('run and compare both take --ollama-host, --openai-base-url with --api-key-env, and repeated --model', async () => {
    const vllm = await startOpenAiFake({ flavor: 'vllm', apiKey: 'key-123456' });
    try {
      const env = { OLLAMA_HOST: 'http://127.0.0.1:9', MY_KEY: 'key-123456' };
      const flags = [
        '--ollama-host',
        ollama.url,
        '--openai-base-url',
        vllm.baseUrl,
        '--api-key-env',
        'MY_KEY',
        '--model',
        'ollama/tiny',
        '--model',
        'openai/tiny',
      ];
      const run = await runBuiltCli(['run', 'hi.prompt', '--json', '--no-history', ...flags], { cwd: ws, env });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(
        (lines(run) as { type: string; model: string }[]).filter((e) => e.type === 'done').map((e) => e.model),
        ['ollama/tiny', 'openai/tiny'],
      );
      const compare = await runBuiltCli(['compare', 'hi.prompt', '--json', '--tests', 'hi.tests.jsonl', ...flags], { cwd: ws, env });
      const doc = JSON.parse(compare.stdout) as { columns: { model: string; completed: number; errors: number }[] };
      assert.deepEqual(
        doc.columns.map((c) => [c.model, c.completed, c.errors]),
        [
          ['ollama/tiny', 2, 0],
          ['openai/tiny', 2, 0],
        ],
        compare.stderr,
      );
      const usage = await runBuiltCli(['compare', 'hi.prompt', '--api-key-env', 'MY_KEY', '--model', 'ollama/tiny'], { cwd: ws, env });
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /--api-key-env goes with --openai-base-url/);
    } finally {
      await vllm.close();
    }
  });

  test('--help of each model command lists the shared endpoint options', async () => {
    for (const command of ['run', 'compare']) {
      const help = await cli([command, '--help']);
      assert.equal(help.code, 0);
      for (const flag of ['--model', '--ollama-host', '--openai-base-url', '--api-key-env', '--endpoints', '--top-logprobs'])
        assert.ok(help.stdout.includes(flag), `${command} --help lacks ${flag}`);
    }
  });
});
