/**
 * The OpenAI-compatible provider over real HTTP against misbehaving loopback servers, and both
 * providers at 200 concurrent runs under one caller signal.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OllamaProvider } from '../../src/core/providers/ollama';
import { OpenAiProvider } from '../../src/core/providers/openai';
import type { Provider } from '../../src/core/providers/events';
import type { FakeServer } from '../fixtures/servers/http';
import { hang, write } from '../fixtures/servers/http';
import { SSE_DONE, htmlPage, respondWith, sseChunk, startHostile, startSse, type Responder } from '../fixtures/servers/hostileFake';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import { startOpenAiFake } from '../fixtures/servers/openaiFake';
import { collect, errorOf, last, request, textOf, tokensOf } from '../fixtures/servers/runHelpers';

const servers: FakeServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function openAiWith(
  complete: Responder,
  more: Record<string, Responder> = {},
): Promise<{ server: FakeServer; provider: OpenAiProvider }> {
  const server = await startHostile({ 'POST /v1/chat/completions': complete, ...more });
  servers.push(server);
  return { server, provider: new OpenAiProvider({ baseUrl: `${server.url}/v1` }) };
}

const sse =
  (pieces: string[]): Responder =>
  async (_req, res) => {
    await startSse(res);
    await respondWith(res, pieces);
  };

describe('OpenAI-compatible: malformed events and long lines', () => {
  it('a data payload that is not JSON fails the run with the event number and the text; earlier tokens kept', async () => {
    const { provider } = await openAiWith(
      sse([
        sseChunk('Hello'),
        'data: {"choices":[{"delta":{"content":" x"},"logprob":NaN}]}\n\n',
        sseChunk('!', undefined, 'stop'),
        SSE_DONE,
      ]),
    );
    const events = await collect(provider, request('m'));
    const error = errorOf(events);
    assert.equal(error.kind, 'malformed-response');
    assert.match(error.message, /event 2 that is not JSON/);
    assert.match(error.serverMessage ?? '', /NaN/);
    assert.equal(textOf(events), 'Hello');
  });

  it('an SSE line over maxLineBytes stops the run with the cap named', async () => {
    const long = `data: ${'z'.repeat(300 * 1024)}`;
    const pieces = [sseChunk('Start')];
    for (let at = 0; at < long.length; at += 16 * 1024) pieces.push(long.slice(at, at + 16 * 1024));
    const { provider } = await openAiWith(sse([...pieces, '\n\n', SSE_DONE]));
    const events = await collect(provider, request('m', { maxLineBytes: 256 * 1024 }));
    const error = errorOf(events);
    assert.equal(error.kind, 'malformed-response');
    assert.match(error.message, /a line longer than 256 KiB \(the limit set by promptscope\.maxLineBytes\)/);
    assert.equal(textOf(events), 'Start');
  });
});

describe('OpenAI-compatible: redirects, stalls, error bodies, content types', () => {
  it('a redirect to another origin is refused, naming both URLs; the other server gets nothing', async () => {
    const elsewhere = await startHostile({ 'POST /v1/chat/completions': sse([sseChunk('stolen', undefined, 'stop'), SSE_DONE]) });
    servers.push(elsewhere);
    const { server, provider } = await openAiWith((_req, res) => {
      res.writeHead(302, { Location: `${elsewhere.url}/v1/chat/completions` });
      res.end();
    });
    const error = errorOf(await collect(provider, request('m')));
    assert.ok(
      error.message.includes(`${server.url}/v1/chat/completions`) && error.message.includes(`${elsewhere.url}/v1/chat/completions`),
      error.message,
    );
    assert.equal(elsewhere.requests.length, 0);
  });

  it('a stalled stream stops after the idle timeout with the partial output kept', { timeout: 20_000 }, async () => {
    const { provider } = await openAiWith(async (_req, res) => {
      await startSse(res);
      await write(res, sseChunk('Half'));
      await hang(res);
    });
    const events = await collect(provider, request('m', { idleTimeoutMs: 300 }));
    const error = errorOf(events);
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /nothing arrived for 0\.3 s/);
    assert.equal(textOf(events), 'Half');
  });

  it('a 20 MB HTML error page without a length is summarised: its text, a few KB, a lower bound on its size', async () => {
    const page = htmlPage('503 Service Unavailable', 20 * 1024 * 1024);
    const { provider } = await openAiWith(async (_req, res) => {
      res.writeHead(503, { 'Content-Type': 'text/html' });
      await respondWith(res, [page]).catch(() => undefined); // the client stops reading after 1 MiB
    });
    const error = errorOf(await collect(provider, request('m')));
    assert.equal(error.status, 503);
    assert.ok((error.serverMessage ?? '').length < 5_000, `serverMessage is ${error.serverMessage?.length} chars`);
    assert.match(error.serverMessage ?? '', /^503 Service Unavailable 503 Service Unavailable The upstream/);
    assert.match(error.message, /\(over 1 MiB of text\/html, first 4 KiB kept\)/);
  });

  it('a 200 text/html answer says it is not an OpenAI-compatible server', async () => {
    const { server, provider } = await openAiWith((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body>It works!</body></html>');
    });
    const error = errorOf(await collect(provider, request('m')));
    assert.ok(
      error.message.includes(`is not an OpenAI-compatible server (got text/html from ${server.url}/v1/chat/completions)`),
      error.message,
    );
  });

  it('credentials in the base URL go as Basic auth and are never shown', async () => {
    const { server } = await openAiWith((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{"error":{"message":"boom","type":"server_error"}}');
    });
    const provider = new OpenAiProvider({ baseUrl: `${server.url.replace('http://', 'http://bob:hunter2@')}/v1` });
    const events = await collect(provider, request('m'));
    assert.equal(server.requests.at(-1)?.headers.authorization, `Basic ${Buffer.from('bob:hunter2').toString('base64')}`);
    assert.doesNotMatch(JSON.stringify(events), /hunter2|bob/);
    assert.equal(provider.shownUrl, `${server.url.replace('http://', 'http://***@')}/v1/chat/completions`);
  });
});

describe('OpenAI-compatible: odd logprobs and content', () => {
  it('alternatives are cut to k; null and non-numeric ones skipped; string logprobs become numbers', async () => {
    const entry = {
      token: 'Hi',
      logprob: '-0.5',
      bytes: [72, 105],
      top_logprobs: [
        null,
        { token: 'Hi', logprob: '-0.5' },
        { token: 'Yo', logprob: 'NaN' },
        { token: 'Hey', logprob: -1.5 },
        { token: 'Ho', logprob: -2 },
      ],
    };
    const { provider } = await openAiWith(sse([sseChunk('Hi', [entry]), sseChunk('', undefined, 'stop'), SSE_DONE]));
    const events = await collect(provider, request('m', { topLogprobs: 2 }));
    assert.equal(last(events).type, 'done');
    const [first] = tokensOf(events);
    assert.equal(first?.logprob, -0.5);
    assert.deepEqual(first?.topLogprobs, [
      { text: 'Hi', logprob: -0.5 },
      { text: 'Hey', logprob: -1.5 },
    ]);
  });

  it('content that is a number is a protocol error naming what arrived', async () => {
    const { provider } = await openAiWith(sse([sseChunk('Fine'), sseChunk(42), SSE_DONE]));
    const events = await collect(provider, request('m'));
    const error = errorOf(events);
    assert.equal(error.kind, 'malformed-response');
    assert.match(error.message, /sent delta\.content as a number \(42\) instead of text/);
    assert.equal(textOf(events), 'Fine');
  });
});

describe('200 concurrent runs under one caller signal', () => {
  async function runMany(provider: Provider, model: string): Promise<string[]> {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(`${warning.name}: ${warning.message}`);
    };
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const runs = await Promise.all(
        Array.from({ length: 200 }, () => collect(provider, request(model, { topLogprobs: 1 }), controller.signal)),
      );
      assert.ok(runs.every((events) => last(events).type === 'done'));
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    return warnings;
  }

  it('Ollama: no MaxListeners warning', { timeout: 60_000 }, async () => {
    const fake = await startOllamaFake();
    servers.push(fake);
    assert.deepEqual(await runMany(new OllamaProvider({ url: fake.url }), 'tiny'), []);
  });

  it('OpenAI-compatible: no MaxListeners warning', { timeout: 60_000 }, async () => {
    const fake = await startOpenAiFake({ flavor: 'vllm' });
    servers.push(fake);
    assert.deepEqual(await runMany(new OpenAiProvider({ baseUrl: fake.baseUrl }), 'tiny'), []);
  });
});
