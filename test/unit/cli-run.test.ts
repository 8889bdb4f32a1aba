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
  assert.ok(readdirSync(path.join(dir, '.promptscope', 'runs')).some((f) => f.endsWith('.jsonl')), 'saved in the default history folder');
  assert.equal(io.stdout(), 'Hello world!\n');
  assert.match(io.stderr(), /ollama\/tiny, 3 tokens/);
  const chat = fake.requests.find((r) => r.path === '/api/chat');
  assert.ok(chat, 'the chat endpoint was called');
  const body = chat.body as { messages: { role: string; content: string }[]; logprobs: boolean; top_logprobs: number };
  assert.equal(body.messages[0]!.content, 'Say hello to world.');
  assert.equal(body.logprobs, true);
  assert.equal(body.top_logprobs, 5);
});

test('--json gives tokens with probabilities and alternatives, and --history saves the run', async () => {
  const io = capture(dir);
  const code = await main(['run', prompt('json.prompt', 'ollama/tiny'), '--json', '--top-logprobs', '2', '--history', 'runs', '--input', '{"who":"you"}'], io);
  assert.equal(code, 0, io.stderr());
  const result = JSON.parse(io.stdout()) as { status: string; content: string; tokens: { text: string; logprob: number; top: unknown[] }[] };
  assert.equal(result.status, 'completed');
  assert.equal(result.content, 'Hello world!');
  assert.deepEqual(result.tokens.map((t) => t.text), ['Hello', ' world', '!']);
  assert.equal(result.tokens[1]!.logprob, -0.5);
  assert.ok(result.tokens[1]!.top.length >= 1);
  assert.ok(readdirSync(path.join(dir, 'runs')).some((f) => f.endsWith('.jsonl')), 'a run file was written');
});

test('a mid-stream error keeps the partial output and exits 1 with the server\'s words', async () => {
  const io = capture(dir);
  const code = await main(['run', prompt('mid.prompt', 'ollama/error-mid')], io);
  assert.equal(code, 1);
  assert.ok(io.stdout().length > 0, 'partial output was printed');
  assert.match(io.stderr(), /promptscope: /);
});

test('an unknown model is a clear error', async () => {
  const io = capture(dir);
  const code = await main(['run', prompt('missing.prompt', 'ollama/no-such-model')], io);
  assert.equal(code, 1);
  assert.match(io.stderr(), /no-such-model/);
  assert.match(io.stderr(), /pull/i);
});

test('a .prompt cannot name a host: URLs and unknown Genkit prefixes are refused before any request', async () => {
  const before = fake.requests.length;
  const io = capture(dir);
  assert.equal(await main(['run', prompt('url.prompt', 'http://evil.example/x')], io), 1);
  assert.match(io.stderr(), /is a URL/);
  const io2 = capture(dir);
  assert.equal(await main(['run', prompt('genkit.prompt', 'googleai/gemini-2.5-flash')], io2), 1);
  assert.match(io2.stderr(), /not a configured endpoint/);
  assert.equal(fake.requests.length, before);
});

test('usage errors exit 2', async () => {
  const io = capture(dir);
  assert.equal(await main(['run'], io), 2);
  assert.equal(await main(['run', 'x.prompt', '--top-logprobs', '30'], io), 2);
  assert.match(io.stderr(), /--top-logprobs must be a whole number from 0 to 20/);
});
