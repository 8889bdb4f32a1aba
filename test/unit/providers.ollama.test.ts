/**
 * The Ollama provider against the loopback fake, through the real `ollama` client over HTTP.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OllamaProvider } from '../../src/core/providers/ollama';
import type { DoneEvent, NoticeEvent, RunEvent } from '../../src/core/providers/events';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import type { FakeServer } from '../fixtures/servers/http';
import { closedPortUrl, collect, errorOf, last, request, textOf, tokensOf } from '../fixtures/servers/runHelpers';

const notices = (events: RunEvent[]): NoticeEvent[] => events.filter((e): e is NoticeEvent => e.type === 'notice');

describe('Ollama provider: streaming', () => {
  let fake: FakeServer;
  let provider: OllamaProvider;
  before(async () => {
    fake = await startOllamaFake();
    provider = new OllamaProvider({ url: fake.url });
  });
  after(() => fake.close());

  it('streams tokens with logprobs and top alternatives, then stats', async () => {
    const events = await collect(provider, request('tiny', { topLogprobs: 2 }));
    const tokens = tokensOf(events);
    assert.deepEqual(
      tokens.map((t) => t.text),
      ['Hello', ' world', '!'],
    );
    assert.deepEqual(
      tokens.map((t) => t.logprob),
      [-0.01, -0.5, -1.25],
    );
    assert.deepEqual(
      tokens[1]?.topLogprobs?.map((t) => t.text),
      [' world', ' world?'],
    );
    assert.equal(tokens[0]?.bytes, undefined, 'whole-token bytes repeat the text and are dropped');
    assert.ok(tokens.every((t, i) => i === 0 || t.msSinceStart >= (tokens[i - 1]?.msSinceStart ?? 0)));
    const done = last(events) as DoneEvent;
    assert.equal(done.type, 'done');
    assert.equal(done.stats.doneReason, 'stop');
    assert.equal(done.stats.promptTokens, 26);
    assert.equal(done.stats.outputTokens, 3);
    assert.equal(done.stats.evalRate, 6);
    assert.equal(Math.round(done.stats.promptEvalRate ?? 0), 200);
    assert.equal(done.stats.loadMs, 250);
    assert.equal(done.stats.totalMs, 1500);
    assert.equal(typeof done.stats.ttftMs, 'number');
    assert.ok(done.stats.wallMs >= (done.stats.ttftMs ?? 0));
  });

  it('sends the mapped request: roles, options, logprobs, keep_alive', async () => {
    await collect(
      provider,
      request('tiny', {
        messages: [
          { role: 'system', content: [{ text: 'Be brief.' }] },
          { role: 'user', content: [{ text: 'Hi' }, { media: { url: 'data:image/png;base64,iVBORw0KGgo=', contentType: 'image/png' } }] },
          { role: 'model', content: [{ text: 'Hello.' }] },
          { role: 'user', content: [{ text: 'Again' }] },
        ],
        config: {
          temperature: 0.2,
          topK: 7,
          topP: 0.8,
          maxOutputTokens: 64,
          stopSequences: ['\n\n'],
          seed: 42,
          numCtx: 8192,
          mirostat: 1,
          customThing: 'x',
        },
        topLogprobs: 5,
        keepAlive: '10m',
      }),
    );
    const sent = fake.requests.filter((r) => r.path === '/api/chat').at(-1)?.body as Record<string, unknown>;
    assert.equal(sent['stream'], true);
    assert.equal(sent['logprobs'], true);
    assert.equal(sent['top_logprobs'], 5);
    assert.equal(sent['keep_alive'], '10m');
    assert.equal(sent['think'], undefined);
    assert.deepEqual(sent['options'], {
      temperature: 0.2,
      top_k: 7,
      top_p: 0.8,
      num_predict: 64,
      stop: ['\n\n'],
      seed: 42,
      num_ctx: 8192,
      mirostat: 1,
      customThing: 'x',
    });
    assert.deepEqual(sent['messages'], [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi', images: ['iVBORw0KGgo='] },
      { role: 'assistant', content: 'Hello.' },
      { role: 'user', content: 'Again' },
    ]);
  });

  it('asks for no logprobs when the caller does not', async () => {
    const events = await collect(provider, request('tiny'));
    const sent = fake.requests.filter((r) => r.path === '/api/chat').at(-1)?.body as Record<string, unknown>;
    assert.equal(sent['logprobs'], undefined);
    assert.equal(textOf(events), 'Hello world!');
    assert.ok(tokensOf(events).every((t) => t.logprob === undefined));
  });

  it('splits chunks that carry several logprob entries', async () => {
    const events = await collect(provider, request('batched', { topLogprobs: 0 }));
    assert.deepEqual(
      tokensOf(events).map((t) => [t.text, t.logprob]),
      [
        ['One', -0.1],
        [' two', -0.2],
        [' three', -0.3],
        ['.', -0.4],
      ],
    );
  });

  it('aligns a Chinese character sent as U+FFFD placeholder entries', async () => {
    const events = await collect(provider, request('chinese', { topLogprobs: 1 }));
    assert.equal(textOf(events), '你好!');
    assert.deepEqual(
      tokensOf(events).map((t) => [t.text, t.logprob]),
      [
        ['', -0.9],
        ['', -0.01],
        ['你', -0.02],
        ['好', -0.3],
        ['!', -0.5],
      ],
    );
    assert.equal(tokensOf(events)[0]?.bytes, undefined);
  });

  it('reassembles NDJSON lines split across TCP writes, including mid-UTF-8', async () => {
    const events = await collect(provider, request('split', { topLogprobs: 0 }));
    assert.equal(textOf(events), '你好，世界 😊!');
    assert.deepEqual(
      tokensOf(events).map((t) => t.logprob),
      [-0.1, -0.2, -0.3, -0.4],
    );
    assert.equal(last(events).type, 'done');
  });

  it('streams thinking on its own channel when the model can think', async () => {
    const events = await collect(provider, request('thinker', { think: true, topLogprobs: 0 }));
    assert.equal(textOf(events, 'thinking'), 'Let me think.');
    assert.equal(textOf(events), 'Answer');
    const sent = fake.requests.filter((r) => r.path === '/api/chat').at(-1)?.body as Record<string, unknown>;
    assert.equal(sent['think'], true);
    assert.equal(fake.requests.filter((r) => r.path === '/api/show').length >= 1, true);
  });

  it('does not send think to a model without the capability, and says so', async () => {
    const events = await collect(provider, request('tiny', { think: 'high' }));
    const sent = fake.requests.filter((r) => r.path === '/api/chat').at(-1)?.body as Record<string, unknown>;
    assert.equal(sent['think'], undefined);
    assert.deepEqual(
      notices(events).map((n) => n.code),
      ['thinking-unsupported'],
    );
    assert.equal(last(events).type, 'done');
  });

  it('reports whole tool calls', async () => {
    const events = await collect(provider, request('tools'));
    const call = events.find((e) => e.type === 'tool-call');
    assert.deepEqual(call && { name: call.name, arguments: call.arguments }, { name: 'get_weather', arguments: { city: 'Tokyo' } });
  });

  it('uses /api/generate with raw: true for raw prompts', async () => {
    const events = await collect(provider, request('tiny', { raw: true, messages: [{ role: 'user', content: [{ text: 'Q: 2+2\nA:' }] }] }));
    assert.equal(textOf(events), 'Hello world!');
    const sent = fake.requests.filter((r) => r.path === '/api/generate').at(-1)?.body as Record<string, unknown>;
    assert.equal(sent['raw'], true);
    assert.equal(sent['prompt'], 'Q: 2+2\nA:');
  });

  it('streams a 1 MB single token intact', async () => {
    const events = await collect(provider, request('huge', { topLogprobs: 0 }));
    const tokens = tokensOf(events);
    assert.equal(tokens[0]?.text.length, 1024 * 1024);
    assert.equal(tokens[0]?.logprob, -0.5);
    assert.equal(textOf(events).endsWith('xend'), true);
    assert.equal(last(events).type, 'done');
  });
});

describe('Ollama provider: failures keep partial output', () => {
  let fake: FakeServer;
  let provider: OllamaProvider;
  before(async () => {
    fake = await startOllamaFake();
    provider = new OllamaProvider({ url: fake.url });
  });
  after(() => fake.close());

  it('connection refused names the URL and how to start Ollama', async () => {
    const url = await closedPortUrl();
    const events = await collect(new OllamaProvider({ url }), request('tiny'));
    const error = errorOf(events);
    assert.equal(error.kind, 'connection-refused');
    assert.match(error.message, new RegExp(url.replace(/[.:/]/g, '\\$&')));
    assert.match(error.message, /ollama serve/);
    assert.match(error.message, /127\.0\.0\.1/);
    assert.match(error.serverMessage ?? '', /ECONNREFUSED|fetch failed/);
  });

  it('unknown model: model-not-found with the model, so a UI can offer Pull', async () => {
    const error = errorOf(await collect(provider, request('nosuchmodel')));
    assert.equal(error.kind, 'model-not-found');
    assert.equal(error.model, 'nosuchmodel');
    assert.equal(error.status, 404);
    assert.equal(error.serverMessage, "model 'nosuchmodel' not found");
    assert.match(error.message, /ollama pull nosuchmodel/);
  });

  it('400 carries the server message', async () => {
    const error = errorOf(await collect(provider, request('tiny', { topLogprobs: 25 })));
    assert.equal(error.kind, 'bad-request');
    assert.equal(error.status, 400);
    assert.equal(error.serverMessage, 'top_logprobs must be between 0 and 20');
    assert.match(error.message, /top_logprobs must be between 0 and 20/);
  });

  it('an {"error"} line mid-stream keeps the tokens before it', async () => {
    const events = await collect(provider, request('error-mid', { topLogprobs: 0 }));
    assert.equal(textOf(events), 'Partial output');
    const error = errorOf(events);
    assert.equal(error.kind, 'server-error');
    assert.equal(error.serverMessage, 'an error was encountered while running the model');
    assert.equal(typeof error.stats.ttftMs, 'number');
  });

  it('a stream that ends without done is a cut stream', async () => {
    const events = await collect(provider, request('cut'));
    assert.equal(textOf(events), 'Cut here');
    assert.equal(errorOf(events).kind, 'stream-cut');
  });

  it('a connection reset mid-stream is a cut stream', async () => {
    const events = await collect(provider, request('reset'));
    assert.equal(textOf(events), 'Reset');
    assert.equal(errorOf(events).kind, 'stream-cut');
  });

  it('a malformed line stops the run there; what came before is kept', async () => {
    const events = await collect(provider, request('malformed'));
    assert.equal(textOf(events), 'Before');
    const error = errorOf(events);
    assert.equal(error.kind, 'malformed-response');
    assert.equal(error.serverMessage, '<html>502 Bad Gateway</html>');
  });

  it('no first token within the timeout: timeout error, request abandoned', async () => {
    const hungUp = fake.nextHangUp();
    const events = await collect(provider, request('silent', { firstTokenTimeoutMs: 150 }));
    const error = errorOf(events);
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /first-token timeout|within 0 s|No token/);
    assert.equal(await hungUp, '/api/chat');
  });

  it('user cancel mid-stream: aborted, partial output kept, server sees the hang-up', async () => {
    const controller = new AbortController();
    const hungUp = fake.nextHangUp();
    const events: RunEvent[] = [];
    for await (const event of provider.run(request('slow', { topLogprobs: 0 }), controller.signal)) {
      events.push(event);
      if (event.type === 'token' && tokensOf(events).length === 3) controller.abort();
    }
    assert.equal(errorOf(events).kind, 'aborted');
    assert.ok(textOf(events).startsWith('t0 t1 t2 '));
    assert.equal(await hungUp, '/api/chat');
  });

  it('cancel before start ends at once', async () => {
    const controller = new AbortController();
    controller.abort();
    const events = await collect(provider, request('tiny'), controller.signal);
    assert.deepEqual(
      events.map((e) => e.type),
      ['error'],
    );
    assert.equal(errorOf(events).kind, 'aborted');
  });

  it('a consumer that stops iterating closes the HTTP stream', async () => {
    const hungUp = fake.nextHangUp();
    for await (const event of provider.run(request('slow'))) {
      if (event.type === 'token') break;
    }
    assert.equal(await hungUp, '/api/chat');
  });
});

describe('Ollama provider: server version', () => {
  it('below 0.12.11: runs without logprobs and says why once per endpoint', async () => {
    const fake = await startOllamaFake({ version: '0.12.3' });
    try {
      const provider = new OllamaProvider({ url: fake.url });
      const first = await collect(provider, request('tiny', { topLogprobs: 3 }));
      const second = await collect(provider, request('tiny', { topLogprobs: 3 }));
      assert.deepEqual(
        notices(first).map((n) => n.code),
        ['logprobs-unsupported-version'],
      );
      assert.match(notices(first)[0]?.message ?? '', /0\.12\.3.*0\.12\.11/);
      assert.deepEqual(notices(second), []);
      assert.equal(textOf(second), 'Hello world!');
      const chats = fake.requests.filter((r) => r.path === '/api/chat').map((r) => (r.body as Record<string, unknown>)['logprobs']);
      assert.deepEqual(chats, [undefined, undefined]);
      assert.equal(fake.requests.filter((r) => r.path === '/api/version').length, 1, 'version checked once');
    } finally {
      await fake.close();
    }
  });

  it('a server without /api/version counts as old', async () => {
    const fake = await startOllamaFake({ version: 'none' });
    try {
      const events = await collect(new OllamaProvider({ url: fake.url }), request('tiny', { topLogprobs: 3 }));
      assert.deepEqual(
        notices(events).map((n) => n.code),
        ['logprobs-unsupported-version'],
      );
      assert.equal(last(events).type, 'done');
    } finally {
      await fake.close();
    }
  });
});
