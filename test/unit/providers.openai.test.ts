/**
 * The OpenAI-compatible provider against loopback fakes speaking vLLM, llama.cpp, Ollama /v1 and
 * LM Studio dialects over real HTTP.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAiProvider } from '../../src/core/providers/openai';
import type { DoneEvent, RunEvent } from '../../src/core/providers/events';
import { startOpenAiFake, type OpenAiFlavor } from '../fixtures/servers/openaiFake';
import type { FakeServer } from '../fixtures/servers/http';
import { closedPortUrl, collect, errorOf, last, request, textOf, tokensOf } from '../fixtures/servers/runHelpers';

type Fake = FakeServer & { baseUrl: string };

const flavors: OpenAiFlavor[] = ['vllm', 'llamacpp', 'ollama', 'lmstudio'];

for (const flavor of flavors) {
  describe(`OpenAI-compatible provider: ${flavor}`, () => {
    let fake: Fake;
    let provider: OpenAiProvider;
    before(async () => {
      fake = await startOpenAiFake({ flavor });
      provider = new OpenAiProvider({ baseUrl: fake.baseUrl });
    });
    after(() => fake.close());

    it('streams text, logprobs where the server has them, and usage', async () => {
      const events = await collect(provider, request('tiny', { topLogprobs: 2 }));
      assert.equal(textOf(events), 'Hello world!');
      const logprobs = tokensOf(events).map((t) => t.logprob);
      if (flavor === 'lmstudio') {
        assert.ok(
          logprobs.every((l) => l === undefined),
          'LM Studio chat has no logprobs',
        );
      } else {
        assert.deepEqual(logprobs, [-0.01, -0.5, -1.25]);
        assert.deepEqual(
          tokensOf(events)[2]?.topLogprobs?.map((t) => [t.text, t.logprob]),
          [
            ['!', -1.25],
            ['!?', -3.25],
          ],
        );
      }
      const done = last(events) as DoneEvent;
      assert.equal(done.type, 'done');
      assert.equal(done.stats.doneReason, 'stop');
      assert.equal(done.stats.promptTokens, 12);
      assert.equal(done.stats.outputTokens, 3);
      if (flavor === 'llamacpp') assert.equal(done.stats.evalRate, 30);
    });

    it('unknown model is model-not-found with the server message', async () => {
      const error = errorOf(await collect(provider, request('nosuchmodel')));
      assert.equal(error.kind, 'model-not-found');
      assert.equal(error.status, 404);
      assert.equal(error.model, 'nosuchmodel');
      assert.match(error.serverMessage ?? '', /nosuchmodel/);
    });

    it('400 carries the server message', async () => {
      const error = errorOf(await collect(provider, request('tiny', { topLogprobs: 30 })));
      assert.equal(error.kind, 'bad-request');
      assert.equal(error.serverMessage, 'top_logprobs must be between 0 and 20');
    });

    it('mid-stream failure keeps the tokens before it', async () => {
      const events = await collect(provider, request('error-mid', { topLogprobs: 0 }));
      assert.equal(textOf(events), 'Partial output');
      const error = errorOf(events);
      if (flavor === 'ollama') {
        assert.equal(error.kind, 'stream-cut', 'Ollama /v1 just stops without finish or [DONE]');
      } else {
        assert.equal(error.kind, 'server-error');
        assert.equal(error.serverMessage, 'an error was encountered while running the model');
      }
    });

    it('thinking arrives on its own channel', async () => {
      const events = await collect(provider, request('thinker', { topLogprobs: 0 }));
      assert.equal(textOf(events, 'thinking'), 'Let me think.');
      assert.equal(textOf(events), 'Answer');
    });
  });
}

describe('OpenAI-compatible provider: details and failures (vLLM dialect unless noted)', () => {
  let fake: Fake;
  let provider: OpenAiProvider;
  before(async () => {
    fake = await startOpenAiFake({ flavor: 'vllm' });
    provider = new OpenAiProvider({ baseUrl: fake.baseUrl });
  });
  after(() => fake.close());

  it('sends the mapped body', async () => {
    await collect(
      provider,
      request('tiny', {
        messages: [
          { role: 'system', content: [{ text: 'Be brief.' }] },
          { role: 'user', content: [{ text: 'Look' }, { media: { url: 'https://example.test/cat.png' } }] },
          { role: 'model', content: [{ text: 'A cat.' }] },
        ],
        config: {
          temperature: 0.1,
          topK: 5,
          topP: 0.9,
          maxOutputTokens: 32,
          stopSequences: ['END'],
          seed: 7,
          repetitionPenalty: 1.1,
          model: 'ignored',
        },
        topLogprobs: 0,
        think: 'low',
      }),
    );
    const sent = fake.requests.at(-1)?.body as Record<string, unknown>;
    assert.equal(sent['model'], 'tiny');
    assert.equal(sent['stream'], true);
    assert.deepEqual(sent['stream_options'], { include_usage: true });
    assert.equal(sent['logprobs'], true);
    assert.equal(sent['top_logprobs'], 0);
    assert.equal(sent['temperature'], 0.1);
    assert.equal(sent['top_k'], 5);
    assert.equal(sent['top_p'], 0.9);
    assert.equal(sent['max_tokens'], 32);
    assert.deepEqual(sent['stop'], ['END']);
    assert.equal(sent['seed'], 7);
    assert.equal(sent['repetition_penalty'], 1.1);
    assert.equal(sent['reasoning_effort'], 'low');
    assert.deepEqual(sent['messages'], [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image_url', image_url: { url: 'https://example.test/cat.png' } },
        ],
      },
      { role: 'assistant', content: 'A cat.' },
    ]);
  });

  it('vLLM empty-token partial entries align to the Chinese text', async () => {
    const events = await collect(provider, request('chinese-vllm', { topLogprobs: 0 }));
    assert.deepEqual(
      tokensOf(events).map((t) => [t.text, t.logprob]),
      [
        ['', -0.7],
        ['你', -0.2],
        ['好', -0.3],
      ],
    );
  });

  it('raw partial bytes (OpenAI style) align to the character', async () => {
    const events = await collect(provider, request('chinese-bytes', { topLogprobs: 0 }));
    assert.deepEqual(
      tokensOf(events).map((t) => [t.text, t.logprob, t.bytes]),
      [
        ['', -0.6, [228, 189]],
        ['你', -0.05, [160]],
      ],
    );
  });

  it('SSE split across TCP writes, including mid-UTF-8', async () => {
    const events = await collect(provider, request('split', { topLogprobs: 0 }));
    assert.equal(textOf(events), '你好，世界 😊!');
    assert.equal(last(events).type, 'done');
  });

  it('assembles tool calls', async () => {
    const events = await collect(provider, request('tools'));
    const call = events.find((e) => e.type === 'tool-call');
    assert.deepEqual(call && { name: call.name, arguments: call.arguments, id: call.id }, {
      name: 'get_weather',
      arguments: { city: 'Tokyo' },
      id: 'call_0',
    });
  });

  it('a 1 MB single token arrives intact', async () => {
    const events = await collect(provider, request('huge', { topLogprobs: 0 }));
    assert.equal(tokensOf(events)[0]?.text.length, 1024 * 1024);
    assert.equal(last(events).type, 'done');
  });

  it('a stream cut without finish or [DONE] is stream-cut, partial kept', async () => {
    const events = await collect(provider, request('cut'));
    assert.equal(textOf(events), 'Cut here');
    assert.equal(errorOf(events).kind, 'stream-cut');
  });

  it('a reset connection is stream-cut, partial kept', async () => {
    const events = await collect(provider, request('reset'));
    assert.equal(textOf(events), 'Reset');
    assert.equal(errorOf(events).kind, 'stream-cut');
  });

  it('a data line that is not JSON is malformed-response, partial kept', async () => {
    const events = await collect(provider, request('malformed'));
    assert.equal(textOf(events), 'Before');
    const error = errorOf(events);
    assert.equal(error.kind, 'malformed-response');
    assert.equal(error.serverMessage, '<html>502 Bad Gateway</html>');
  });

  it('a wrong base URL says to check the /v1 suffix', async () => {
    const error = errorOf(await collect(new OpenAiProvider({ baseUrl: fake.url }), request('tiny')));
    assert.equal(error.kind, 'bad-request');
    assert.equal(error.status, 404);
    assert.match(error.message, /\/v1/);
  });

  it('no first token within the timeout', async () => {
    const hungUp = fake.nextHangUp();
    const error = errorOf(await collect(provider, request('silent', { firstTokenTimeoutMs: 100 })));
    assert.equal(error.kind, 'timeout');
    assert.equal(await hungUp, '/v1/chat/completions');
  });

  it('user cancel keeps the partial output', async () => {
    const controller = new AbortController();
    const hungUp = fake.nextHangUp();
    const events: RunEvent[] = [];
    for await (const event of provider.run(request('slow'), controller.signal)) {
      events.push(event);
      if (tokensOf(events).length === 2) controller.abort();
    }
    assert.equal(errorOf(events).kind, 'aborted');
    assert.ok(textOf(events).startsWith('t0 t1 '));
    assert.equal(await hungUp, '/v1/chat/completions');
  });

  it('a server that ignores stream: true is reported as such', async () => {
    const error = errorOf(await collect(provider, request('nostream')));
    assert.equal(error.kind, 'bad-request');
    assert.match(error.message, /without streaming \(application\/json/);
  });

  it('raw prompts are refused with a clear message', async () => {
    const error = errorOf(await collect(provider, request('tiny', { raw: true })));
    assert.equal(error.kind, 'bad-request');
    assert.match(error.message, /Ollama endpoint/);
  });

  it('connection refused names the URL', async () => {
    const url = await closedPortUrl();
    const error = errorOf(await collect(new OpenAiProvider({ baseUrl: `${url}/v1` }), request('tiny')));
    assert.equal(error.kind, 'connection-refused');
    assert.ok(error.message.includes(`${url}/v1/chat/completions`));
  });
});

describe('OpenAI-compatible provider: llama.cpp legacy error line and auth', () => {
  it('the legacy `error:` SSE field is reported, not ignored', async () => {
    const fake = await startOpenAiFake({ flavor: 'llamacpp-legacy' });
    try {
      const events = await collect(new OpenAiProvider({ baseUrl: fake.baseUrl }), request('error-mid', { topLogprobs: 0 }));
      assert.equal(textOf(events), 'Partial output');
      const error = errorOf(events);
      assert.equal(error.kind, 'server-error');
      assert.equal(error.serverMessage, 'an error was encountered while running the model');
    } finally {
      await fake.close();
    }
  });

  it('sends the API key; a wrong key is unauthorized and names the variable', async () => {
    const fake = await startOpenAiFake({ flavor: 'vllm', apiKey: 'sekret' });
    try {
      const good = await collect(new OpenAiProvider({ baseUrl: fake.baseUrl, apiKey: 'sekret' }), request('tiny'));
      assert.equal(last(good).type, 'done');
      const error = errorOf(
        await collect(new OpenAiProvider({ baseUrl: fake.baseUrl, apiKey: 'wrong', apiKeyEnv: 'VLLM_KEY' }), request('tiny')),
      );
      assert.equal(error.kind, 'unauthorized');
      assert.equal(error.status, 401);
      assert.match(error.message, /VLLM_KEY/);
    } finally {
      await fake.close();
    }
  });
});
