// `promptscope run` end to end: the real `ollama` client over real HTTP to a loopback server
// that speaks Ollama's wire protocol.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import { startOpenAiFake } from '../fixtures/servers/openaiFake';
import type { FakeServer } from '../fixtures/servers/http';

let fake: FakeServer;
let dir: string;
const savedHost = process.env['OLLAMA_HOST'];

function capture(cwd: string): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), cwd, color: false, stdout: () => out, stderr: () => err };
}

function prompt(name: string, model: string, body = 'Say hello to {{who}}.'): string {
  const file = path.join(dir, name);
  writeFileSync(file, `---\nmodel: ${model}\ninput:\n  schema:\n    who: string\n  default:\n    who: world\n---\n${body}\n`);
  return name;
}

before(async () => {
  fake = await startOllamaFake();
  process.env['OLLAMA_HOST'] = fake.url;
  dir = mkdtempSync(path.join(tmpdir(), 'promptscope-run-'));
});

after(async () => {
  if (savedHost === undefined) delete process.env['OLLAMA_HOST'];
  else process.env['OLLAMA_HOST'] = savedHost;
  await fake.close();
});

test('streams the model output to stdout and the stats to stderr', async () => {
  const io = capture(dir);
  const code = await main(['run', prompt('hello.prompt', 'ollama/tiny')], io);
  assert.equal(code, 0, io.stderr());
  assert.ok(
    readdirSync(path.join(dir, '.promptscope', 'runs')).some((f) => f.endsWith('.jsonl')),
    'saved in the default history folder',
  );
  assert.equal(io.stdout(), 'Hello world!\n');
  assert.match(io.stderr(), /ollama\/tiny, 3 tokens/);
  const chat = fake.requests.find((r) => r.path === '/api/chat');
  assert.ok(chat, 'the chat endpoint was called');
  const body = chat.body as { messages: { role: string; content: string }[]; logprobs: boolean; top_logprobs: number };
  assert.equal(body.messages[0]!.content, 'Say hello to world.');
  assert.equal(body.logprobs, true);
  assert.equal(body.top_logprobs, 5);
});

test('--json streams NDJSON token events with alternatives, then done; --history saves the run', async () => {
  const io = capture(dir);
  const code = await main(
    ['run', prompt('json.prompt', 'ollama/tiny'), '--json', '--top-logprobs', '2', '--history', 'runs', '--input', '{"who":"you"}'],
    io,
  );
  assert.equal(code, 0, io.stderr());
  const events = io
    .stdout()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const tokens = events.filter((e) => e['type'] === 'token');
  assert.deepEqual(
    tokens.map((t) => t['text']),
    ['Hello', ' world', '!'],
  );
  assert.equal(tokens[1]!['logprob'], -0.5);
  assert.equal(tokens[1]!['model'], 'ollama/tiny');
  assert.equal(tokens[1]!['channel'], 'content');
  assert.equal(typeof tokens[1]!['msSinceStart'], 'number');
  assert.ok((tokens[1]!['topLogprobs'] as unknown[]).length >= 1);
  const done = events[events.length - 1]!;
  assert.equal(done['type'], 'done');
  assert.equal((done['stats'] as Record<string, unknown>)['outputTokens'], 3);
  assert.ok(
    readdirSync(path.join(dir, 'runs')).some((f) => f.endsWith('.jsonl')),
    'a run file was written',
  );
});

test("a mid-stream error keeps the partial output and exits 3 with the server's words", async () => {
  const io = capture(dir);
  const code = await main(['run', prompt('mid.prompt', 'ollama/error-mid')], io);
  assert.equal(code, 3);
  assert.ok(io.stdout().length > 0, 'partial output was printed');
  assert.match(io.stderr(), /promptscope: /);
});

test('an unknown model is a clear error, and in --json an error event', async () => {
  const io = capture(dir);
  const code = await main(['run', prompt('missing.prompt', 'ollama/no-such-model')], io);
  assert.equal(code, 3);
  assert.match(io.stderr(), /no-such-model/);
  assert.match(io.stderr(), /pull/i);
  const io2 = capture(dir);
  assert.equal(await main(['run', 'missing.prompt', '--json'], io2), 3);
  const last = JSON.parse(io2.stdout().trim().split('\n').pop()!) as Record<string, unknown>;
  assert.equal(last['type'], 'error');
  assert.equal(last['model'], 'ollama/no-such-model');
});

test('--model several times runs each in turn; --ollama-host points the default endpoint', async () => {
  const saved = process.env['OLLAMA_HOST'];
  process.env['OLLAMA_HOST'] = 'http://127.0.0.1:9';
  try {
    const io = capture(dir);
    const code = await main(
      [
        'run',
        prompt('two.prompt', 'ollama/tiny'),
        '--ollama-host',
        fake.url,
        '--model',
        'ollama/tiny',
        '--model',
        'ollama/batched',
        '--no-history',
      ],
      io,
    );
    assert.equal(code, 0, io.stderr());
    assert.match(io.stdout(), /── ollama\/tiny ──[\s\S]*Hello world![\s\S]*── ollama\/batched ──/);
  } finally {
    process.env['OLLAMA_HOST'] = saved;
  }
});

test('--openai-base-url defines the "openai" endpoint', async () => {
  const vllm = await startOpenAiFake({ flavor: 'vllm' });
  try {
    const io = capture(dir);
    const code = await main(['run', prompt('oa.prompt', 'openai/tiny'), '--openai-base-url', vllm.baseUrl, '--json', '--no-history'], io);
    assert.equal(code, 0, io.stderr());
    assert.ok(vllm.requests.some((r) => r.path.endsWith('/chat/completions')));
  } finally {
    await vllm.close();
  }
});

test('a .prompt cannot name a host: URLs and unknown Genkit prefixes are refused before any request', async () => {
  const before = fake.requests.length;
  const io = capture(dir);
  assert.equal(await main(['run', prompt('url.prompt', 'http://evil.example/x')], io), 3);
  assert.match(io.stderr(), /is a URL/);
  const io2 = capture(dir);
  assert.equal(await main(['run', prompt('genkit.prompt', 'googleai/gemini-2.5-flash')], io2), 3);
  assert.match(io2.stderr(), /not a configured endpoint/);
  assert.equal(fake.requests.length, before);
});

test('usage errors exit 2', async () => {
  const io = capture(dir);
  assert.equal(await main(['run'], io), 2);
  assert.equal(await main(['run', 'x.prompt', '--top-logprobs', '30'], io), 2);
  assert.match(io.stderr(), /--top-logprobs must be a whole number from 0 to 20/);
});
