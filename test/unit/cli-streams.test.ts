// What reaches stdout is ours alone, in the shape we promise: library console output goes to
// stderr, values of the wrong type are shown as they arrived, credentials are never echoed, and
// a reader that goes away (`| head -1`) ends the run cleanly, saved as stopped.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runEventJson } from '../../src/cli/json';
import type { TokenEvent, TopLogprob } from '../../src/core/providers/events';
import { RunHistory } from '../../src/core/runs/history';
import type { FakeServer } from '../fixtures/servers/http';
import { startHostileOllama } from '../fixtures/servers/hostileOllama';
import { closedPortUrl } from '../fixtures/servers/runHelpers';
import { CLI_JS, ensureBuiltCli, runBuiltCli, spawnCollect } from './cli-harness';

let server: FakeServer;
let ws: string;
before(async () => {
  ensureBuiltCli();
  server = await startHostileOllama();
  ws = mkdtempSync(path.join(tmpdir(), 'promptscope-streams-'));
  for (const model of ['html-error', 'object-content', 'string-logprob', 'endless'])
    writeFileSync(path.join(ws, `${model}.prompt`), `---\nmodel: ollama/${model}\n---\nGo.\n`);
});
after(async () => {
  await server.close();
  rmSync(ws, { recursive: true, force: true });
});
const env = (): NodeJS.ProcessEnv => ({ OLLAMA_HOST: server.url });

function ndjson(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        assert.fail(`stdout line ${index + 1} is not JSON: ${JSON.stringify(line)}`);
      }
    });
}

describe('stdout carries only our output', () => {
  test('an error body that is not JSON, and a library that prints: every stdout line is JSON, the print goes to stderr', async () => {
    // Handlebars' built-in {{log}} helper writes through console.log: a library printing while we
    // stream NDJSON. The HTML error page is summarised by our own fetch before the client reads it.
    writeFileSync(path.join(ws, 'logging.prompt'), '---\nmodel: ollama/html-error\n---\nGo {{log "from-the-template"}}.\n');
    const run = await runBuiltCli(['run', 'logging.prompt', '--json', '--no-history'], { cwd: ws, env: env() });
    assert.equal(run.code, 3, run.stderr);
    const events = ndjson(run.stdout);
    const last = events.at(-1);
    assert.equal(last?.['type'], 'error');
    assert.equal(last?.['status'], 502);
    assert.match(String(last?.['message']), /HTTP 502/);
    assert.match(String(last?.['message']), /text\/html/);
    assert.match(run.stderr, /promptscope: a library reported: from-the-template/);
    assert.doesNotMatch(run.stdout, /from-the-template/);
  });

  test('content that is not a string is shown as the JSON that arrived, never [object Object]', async () => {
    // A provider that lets an object through still gets text fields that are strings, showing the JSON.
    const event: TokenEvent = {
      type: 'token',
      text: { text: 'structured' } as unknown as string,
      channel: 'content',
      msSinceStart: 1,
      logprob: '-0.25' as unknown as number,
      topLogprobs: [null as unknown as TopLogprob, { text: 7 as unknown as string, logprob: -1 }],
    };
    const json = runEventJson(event, 'ollama/x');
    assert.deepEqual(json, {
      type: 'token',
      model: 'ollama/x',
      text: '{"text":"structured"}',
      logprob: -0.25,
      topLogprobs: [{ text: '7', logprob: -1 }],
      channel: 'content',
      msSinceStart: 1,
    });
    // The Ollama provider stops at such a chunk with an error that quotes the object as JSON.
    const run = await runBuiltCli(['run', 'object-content.prompt', '--no-history', '--json'], { cwd: ws, env: env() });
    assert.equal(run.code, 3, run.stderr);
    const events = ndjson(run.stdout);
    const error = events.find((e) => e['type'] === 'error');
    assert.ok(error, run.stdout);
    assert.match(String(error['message']), /message\.content as an object \(\{"text":"structured"\}\)/);
    assert.doesNotMatch(run.stdout + run.stderr, /\[object Object\]/);
  });

  test('a logprob sent as a string is a number in --json', async () => {
    const run = await runBuiltCli(['run', 'string-logprob.prompt', '--no-history', '--json'], { cwd: ws, env: env() });
    const token = ndjson(run.stdout).find((e) => e['type'] === 'token');
    assert.ok(token, run.stdout + run.stderr);
    assert.equal(token['logprob'], -0.5);
    for (const alternative of token['topLogprobs'] as { logprob: unknown }[]) assert.equal(typeof alternative.logprob, 'number');
  });
});

describe('credentials in endpoint URLs are never echoed', () => {
  const secret = 'Sup3rSecretPw';
  test('run and compare, plain and --json, through --ollama-host and --openai-base-url', async () => {
    const closed = await closedPortUrl();
    const withCredentials = closed.replace('http://', `http://alice:${secret}@`);
    const runs = [
      await runBuiltCli(['run', 'html-error.prompt', '--history', 'secret-history', '--ollama-host', withCredentials], { cwd: ws }),
      await runBuiltCli(['run', 'html-error.prompt', '--no-history', '--json', '--ollama-host', withCredentials], { cwd: ws }),
      await runBuiltCli(['run', 'html-error.prompt', '--no-history', '--model', 'openai/x', '--openai-base-url', `${withCredentials}/v1`], {
        cwd: ws,
      }),
      await runBuiltCli(
        [
          'compare',
          'html-error.prompt',
          '--model',
          'ollama/a',
          '--model',
          'openai/b',
          '--ollama-host',
          withCredentials,
          '--openai-base-url',
          `${withCredentials}/v1`,
        ],
        { cwd: ws },
      ),
      await runBuiltCli(['compare', 'html-error.prompt', '--model', 'ollama/a', '--json', '--ollama-host', withCredentials], { cwd: ws }),
    ];
    for (const run of runs) {
      assert.notEqual(run.code, 0);
      assert.ok(!`${run.stdout}${run.stderr}`.includes(secret), `the password was printed:\n${run.stdout}\n${run.stderr}`);
    }
    const saved = readdirSync(path.join(ws, 'secret-history'));
    assert.ok(saved.length > 0, 'the failed run was saved');
    // The run's header (its endpoint) is the CLI's to write; the provider's error event, which
    // repeats the URL, is stored by core/runs as the provider wrote it.
    const header = readFileSync(
      path.join(
        ws,
        'secret-history',
        saved.find((n) => n.endsWith('.jsonl'))!,
      ),
      'utf8',
    ).split('\n')[0]!;
    assert.ok(!header.includes(secret), `the run header stores the password: ${header}`);
  });
});

describe('a reader that goes away', () => {
  test('run … | head -1: no stack trace, exit 141, the run saved as stopped (not running)', async () => {
    const history = path.join(ws, 'pipe-history');
    const script = `"${process.execPath}" "${CLI_JS}" run endless.prompt --history "${history}" | head -1; echo "cli exit \${PIPESTATUS[0]}" >&2`;
    const run = await spawnCollect('bash', ['-c', script], { cwd: ws, env: env() });
    assert.equal(run.stdout, 'first line\n');
    assert.match(run.stderr, /cli exit 141/);
    assert.doesNotMatch(run.stderr, /EPIPE|Error:|^\s+at /m);
    const runs = await new RunHistory(history).list();
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.status, 'stopped');
  });
});
