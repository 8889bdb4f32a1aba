/**
 * The Ollama provider (real `ollama` client, real HTTP) against misbehaving loopback servers:
 * nothing printed by the library, no token dropped silently, bounded lines and error bodies,
 * no redirect away from the endpoint, no hang on a stalled stream, no credentials in messages.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { OllamaProvider } from '../../src/core/providers/ollama';
import { OllamaModels } from '../../src/core/providers/ollamaModels';
import type { FakeServer } from '../fixtures/servers/http';
import { hang, sendJson, write } from '../fixtures/servers/http';
import {
  htmlPage,
  ollamaDone,
  ollamaLine,
  ollamaLogprob,
  respondWith,
  startHostile,
  startNdjson,
  type Responder,
} from '../fixtures/servers/hostileFake';
import { collect, errorOf, last, request, textOf, tokensOf } from '../fixtures/servers/runHelpers';

const servers: FakeServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function ollamaWith(
  chat: Responder,
  more: Record<string, Responder> = {},
): Promise<{ server: FakeServer; provider: OllamaProvider }> {
  const server = await startHostile({ 'POST /api/chat': chat, ...more });
  servers.push(server);
  return { server, provider: new OllamaProvider({ url: server.url }) };
}

const stream =
  (pieces: string[]): Responder =>
  async (_req, res) => {
    await startNdjson(res);
    await respondWith(res, pieces);
  };

describe('Ollama: what reaches stdout', () => {
  it('the client prints nothing: error bodies that are not JSON, bad JSON, bad and blank stream lines, model management', async () => {
    const script = path.join(__dirname, '..', 'fixtures', 'servers', 'quietRun.ts');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      cwd: path.join(__dirname, '..', '..'),
    });
    const lines = stdout.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((line) => JSON.parse(line) as unknown),
      [
        { scenario: 'text error body', type: 'error', kind: 'server-error' },
        { scenario: 'bad JSON error body', type: 'error', kind: 'server-error' },
        { scenario: 'NaN line', type: 'error', kind: 'malformed-response' },
        { scenario: 'blank line', type: 'done' },
        { scenario: 'list', outcome: 'ModelAdminError' },
        { scenario: 'pull', outcome: 'ModelAdminError' },
      ],
      `stdout must hold only the script's lines:\n${stdout}`,
    );
    assert.equal(stderr, '');
  });
});

describe('Ollama: lines that are not JSON', () => {
  it('a NaN logprob line fails the run with its line number and text; the tokens before it are kept', async () => {
    const nan =
      '{"model":"m","created_at":"2025-11-20T10:00:00Z","message":{"role":"assistant","content":" world"},"done":false,"logprobs":[{"token":" world","logprob":NaN}]}\n';
    const { provider } = await ollamaWith(stream([ollamaLine('Hello'), nan, ollamaLine('!'), ollamaDone()]));
    const events = await collect(provider, request('m'));
    const error = errorOf(events);
    assert.equal(error.kind, 'malformed-response');
    assert.match(error.message, /line 2 that is not JSON/);
    assert.match(error.serverMessage ?? '', /"logprob":NaN/);
    assert.equal(textOf(events), 'Hello');
  });
});

describe('Ollama: long lines', () => {
  it('a line over maxLineBytes stops the run with the cap named; earlier tokens are kept', async () => {
    const long = ollamaLine('x'.repeat(300 * 1024));
    const pieces = [ollamaLine('Start')];
    for (let at = 0; at < long.length; at += 16 * 1024) pieces.push(long.slice(at, at + 16 * 1024));
    const { provider } = await ollamaWith(stream([...pieces, ollamaDone()]));
    const events = await collect(provider, request('m', { maxLineBytes: 256 * 1024 }));
    const error = errorOf(events);
    assert.equal(error.kind, 'malformed-response');
    assert.match(error.message, /line 2 longer than 256 KiB \(the limit set by promptscope\.maxLineBytes\)/);
    assert.equal(textOf(events), 'Start');
  });

  it('a line under the cap is read whole', async () => {
    const { provider } = await ollamaWith(stream([ollamaLine('y'.repeat(200 * 1024)), ollamaDone()]));
    const events = await collect(provider, request('m', { maxLineBytes: 256 * 1024 }));
    assert.equal(last(events).type, 'done');
    assert.equal(textOf(events).length, 200 * 1024);
  });
});

describe('Ollama: redirects', () => {
  it('a redirect to another origin is refused, naming both URLs; the prompt never reaches the other server', async () => {
    const elsewhere = await startHostile({ 'POST /api/chat': stream([ollamaLine('stolen'), ollamaDone()]) });
    servers.push(elsewhere);
    const { server, provider } = await ollamaWith((_req, res) => {
      res.writeHead(307, { Location: `${elsewhere.url}/api/chat` });
      res.end();
    });
    const events = await collect(provider, request('m'));
    const error = errorOf(events);
    assert.equal(error.kind, 'bad-request');
    assert.ok(error.message.includes(`${server.url}/api/chat`) && error.message.includes(`${elsewhere.url}/api/chat`), error.message);
    assert.equal(elsewhere.requests.length, 0);
    assert.equal(textOf(events), '');
  });

  it('a redirect inside the same origin is followed with the same body', async () => {
    const { server, provider } = await ollamaWith(
      (_req, res) => {
        res.writeHead(308, { Location: '/v2/api/chat' });
        res.end();
      },
      { 'POST /v2/api/chat': stream([ollamaLine('moved'), ollamaDone()]) },
    );
    const events = await collect(provider, request('m'));
    assert.equal(last(events).type, 'done');
    assert.equal(textOf(events), 'moved');
    const moved = server.requests.find((r) => r.path === '/v2/api/chat');
    assert.equal((moved?.body as { model?: string }).model, 'm');
  });
});

describe('Ollama: a stalled stream', () => {
  it('stops after the idle timeout with the partial output kept', { timeout: 20_000 }, async () => {
    const { provider } = await ollamaWith(async (_req, res) => {
      await startNdjson(res);
      await write(res, ollamaLine('Half'));
      await hang(res);
    });
    const events = await collect(provider, request('m', { idleTimeoutMs: 300 }));
    const error = errorOf(events);
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /nothing arrived for 0\.3 s/);
    assert.match(error.message, /promptscope\.idleTimeoutSeconds/);
    assert.equal(textOf(events), 'Half');
  });
});

describe('Ollama: error bodies and content types', () => {
  it('a 20 MB HTML error page is summarised: its text, a few KB, and its size', async () => {
    const page = htmlPage('502 Bad Gateway', 20 * 1024 * 1024);
    const { provider } = await ollamaWith((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(page) });
      res.end(page);
    });
    const error = errorOf(await collect(provider, request('m')));
    assert.equal(error.kind, 'server-error');
    assert.equal(error.status, 502);
    assert.ok((error.serverMessage ?? '').length < 5_000, `serverMessage is ${error.serverMessage?.length} chars`);
    assert.ok(error.message.length < 5_500, `message is ${error.message.length} chars`);
    assert.match(error.serverMessage ?? '', /^502 Bad Gateway 502 Bad Gateway The upstream server did not answer & the proxy gave up\./);
    assert.doesNotMatch(error.serverMessage ?? '', /<|color:red|var x/);
    assert.match(error.message, /\(20 MiB of text\/html, first 4 KiB kept\)/);
  });

  it('a 200 text/html answer says it is not an Ollama server', async () => {
    const { server, provider } = await ollamaWith((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<html><body>Welcome to nginx!</body></html>');
    });
    const error = errorOf(await collect(provider, request('m')));
    assert.equal(error.kind, 'malformed-response');
    assert.ok(error.message.includes(`is not an Ollama server (got text/html; charset=utf-8 from ${server.url}/api/chat)`), error.message);
    assert.match(error.serverMessage ?? '', /Welcome to nginx!/);
  });
});

describe('Ollama: model management answers', () => {
  it('a delete answered like Ollama does (200, empty body, no content type) succeeds', async () => {
    const server = await startHostile({
      'DELETE /api/delete': (_req, res) => {
        res.writeHead(200, { 'Content-Length': '0' });
        res.end();
      },
    });
    servers.push(server);
    await new OllamaModels(server.url).delete('old');
    assert.equal(server.requests.at(-1)?.method, 'DELETE');
  });
});

describe('Ollama: odd logprobs and content', () => {
  it('alternatives are cut to k; null, malformed and non-numeric ones are skipped; string logprobs become numbers', async () => {
    const alternatives = [
      null,
      { token: 'Hi', logprob: '-0.25' },
      { token: 'Yo', logprob: 'abc' },
      { token: 'Hey', logprob: -1 },
      { logprob: -2 },
      { token: 'Hello', logprob: -3 },
    ];
    const { provider } = await ollamaWith(
      stream([ollamaLine('Hi', { logprobs: [ollamaLogprob('Hi', '-0.25', alternatives)] }), ollamaLine('!'), ollamaDone()]),
    );
    const events = await collect(provider, request('m', { topLogprobs: 2 }));
    assert.equal(last(events).type, 'done');
    const [first] = tokensOf(events);
    assert.equal(first?.text, 'Hi');
    assert.equal(first?.logprob, -0.25);
    assert.deepEqual(first?.topLogprobs, [
      { text: 'Hi', logprob: -0.25 },
      { text: 'Hey', logprob: -1 },
    ]);
    assert.equal(textOf(events), 'Hi!');
  });

  it('content that is an object is a protocol error naming what arrived, not [object Object]', async () => {
    const { provider } = await ollamaWith(stream([ollamaLine('Fine'), ollamaLine({ text: 'odd' }), ollamaDone()]));
    const events = await collect(provider, request('m'));
    const error = errorOf(events);
    assert.equal(error.kind, 'malformed-response');
    assert.match(error.message, /sent message\.content as an object \(\{"text":"odd"\}\) instead of text/);
    assert.doesNotMatch(JSON.stringify(events), /object Object/);
    assert.equal(textOf(events), 'Fine');
  });
});

describe('Ollama: credentials in the endpoint URL', () => {
  it('are sent as Basic auth and appear in no message or URL', async () => {
    const { server } = await ollamaWith((_req, res) => sendJson(res, 500, { error: 'model runner crashed' }));
    const url = server.url.replace('http://', 'http://alice:s3cret@');
    const events = await collect(new OllamaProvider({ url }), request('m', { topLogprobs: 1 }));
    const error = errorOf(events);
    assert.equal(error.status, 500);
    assert.equal(server.requests.at(-1)?.headers.authorization, `Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    const everything = JSON.stringify(events);
    assert.doesNotMatch(everything, /s3cret|alice/);
    assert.ok(error.message.includes(server.url.replace('http://', 'http://***@')), error.message);
  });
});
