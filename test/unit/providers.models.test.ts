/**
 * Model management against the Ollama fake, the provider factory, and building run requests
 * from rendered .prompt files.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Dotprompt } from 'dotprompt';
import { ModelAdminError, OllamaModels, type PullProgress } from '../../src/core/providers/ollamaModels';
import {
  buildRunRequest,
  createProvider,
  OllamaProvider,
  OpenAiProvider,
  parseModelRef,
  PromptOptionsError,
  resolveEndpoints,
} from '../../src/core/providers/index';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import type { FakeServer } from '../fixtures/servers/http';
import { closedPortUrl, collect, last, textOf } from '../fixtures/servers/runHelpers';

describe('Ollama model management', () => {
  let fake: FakeServer;
  let models: OllamaModels;
  before(async () => {
    fake = await startOllamaFake({ installed: ['tiny', 'thinker'] });
    models = new OllamaModels(fake.url);
  });
  after(() => fake.close());

  it('reports health and version; a stopped server is unreachable with a reason', async () => {
    assert.deepEqual(await models.health(), { reachable: true, version: '0.13.5' });
    const down = await new OllamaModels(await closedPortUrl()).health();
    assert.equal(down.reachable, false);
    assert.match(down.problem ?? '', /connection refused.*ollama serve/s);
  });

  it('lists installed models with their details', async () => {
    const list = await models.installed();
    assert.deepEqual(
      list.map((m) => [m.name, m.family, m.parameterSize, m.quantization, m.sizeBytes]),
      [
        ['tiny:latest', 'llama', '3.2B', 'Q4_K_M', 2_019_393_189],
        ['thinker:latest', 'llama', '3.2B', 'Q4_K_M', 2_019_393_189],
      ],
    );
  });

  it('lists loaded models with their GPU share', async () => {
    const [loaded] = await models.loaded();
    assert.equal(loaded?.name, 'tiny:latest');
    assert.equal(loaded?.sizeVramBytes, 1_500_000_000);
    assert.equal(loaded?.gpuShare, 1_500_000_000 / 2_019_393_189);
    assert.equal(loaded?.contextLength, 4096);
  });

  it('reads capabilities; unknown models are model-not-found', async () => {
    assert.deepEqual(await models.capabilities('thinker'), ['completion', 'thinking']);
    await assert.rejects(
      models.capabilities('ghost'),
      (error: unknown) => error instanceof ModelAdminError && error.kind === 'model-not-found',
    );
  });

  it('pulls with per-layer progress', async () => {
    const progress: PullProgress[] = [];
    await models.pull('newmodel', (p) => progress.push(p));
    assert.equal(progress[0]?.status, 'pulling manifest');
    const layer = progress.filter((p) => p.digest !== undefined);
    assert.deepEqual(
      layer.map((p) => p.completedBytes),
      [undefined, 1000, 2000, 3000, 4000],
    );
    assert.ok(layer.every((p) => p.totalBytes === 4000 && p.status === 'pulling 6a0746a1ec1a'));
    assert.equal(progress.at(-1)?.status, 'success');
  });

  it('a pull of an unknown model fails clearly after "pulling manifest"', async () => {
    const progress: PullProgress[] = [];
    await assert.rejects(
      models.pull('no-such-model', (p) => progress.push(p)),
      (error: unknown) => {
        assert.ok(error instanceof ModelAdminError);
        assert.equal(error.kind, 'model-not-found');
        assert.match(error.message, /no-such-model/);
        assert.equal(error.serverMessage, 'pull model manifest: file does not exist');
        return true;
      },
    );
    assert.deepEqual(
      progress.map((p) => p.status),
      ['pulling manifest'],
    );
  });

  it('deletes installed models; deleting an unknown one is model-not-found', async () => {
    await models.delete('tiny');
    await assert.rejects(models.delete('ghost'), (error: unknown) => error instanceof ModelAdminError && error.kind === 'model-not-found');
  });
});

describe('provider factory', () => {
  it('makes one provider per endpoint kind and runs through it', async () => {
    const fake = await startOllamaFake();
    try {
      const { endpoints } = resolveEndpoints([{ name: 'vllm', kind: 'openai', url: 'http://127.0.0.1:1/v1', apiKeyEnv: 'K' }], {
        setting: fake.url,
      });
      const ref = parseModelRef('ollama/tiny', endpoints);
      const provider = createProvider(ref.endpoint);
      assert.ok(provider instanceof OllamaProvider);
      assert.ok(createProvider(parseModelRef('vllm/x', endpoints).endpoint, { apiKey: 'k' }) instanceof OpenAiProvider);
      const events = await collect(provider, { model: ref.model, messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
      assert.equal(textOf(events), 'Hello world!');
      assert.equal(last(events).type, 'done');
    } finally {
      await fake.close();
    }
  });
});

describe('run requests from rendered prompts', () => {
  const dotprompt = new Dotprompt();

  it('takes messages, config and promptscope.* options from the frontmatter', async () => {
    const source =
      '---\nmodel: ollama/tiny\nconfig:\n  temperature: 0.3\n  numCtx: 4096\npromptscope.raw: true\npromptscope.think: high\npromptscope.keepAlive: 10m\n---\nQ: {{question}}\nA:';
    const rendered = await dotprompt.render(source, { input: { question: '2+2?' } });
    const request = buildRunRequest(rendered, 'tiny', { topLogprobs: 5, firstTokenTimeoutMs: 60_000, keepAlive: '5m' });
    assert.deepEqual(request, {
      model: 'tiny',
      messages: [{ role: 'user', content: [{ text: 'Q: 2+2?\nA:' }] }],
      config: { temperature: 0.3, numCtx: 4096 },
      raw: true,
      think: 'high',
      keepAlive: '10m',
      topLogprobs: 5,
      firstTokenTimeoutMs: 60_000,
    });
  });

  it('rejects bad option values with the field name', async () => {
    const rendered = await dotprompt.render('---\npromptscope.think: maybe\n---\nhi');
    assert.throws(
      () => buildRunRequest(rendered, 'tiny'),
      (error: unknown) => error instanceof PromptOptionsError && /promptscope\.think/.test(error.message),
    );
    const plain = await dotprompt.render('hi');
    assert.throws(() => buildRunRequest(plain, 'tiny', { topLogprobs: 21 }), /0 to 20/);
    assert.deepEqual(buildRunRequest(plain, 'tiny'), { model: 'tiny', messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
  });
});

describe('run request config validation', () => {
  it('rejects a config that is not a map', () => {
    assert.throws(() => buildRunRequest({ messages: [], config: [1, 2] }, 'tiny'), /config must be a map/);
    assert.throws(() => buildRunRequest({ messages: [], config: 'hot' }, 'tiny'), /config must be a map/);
  });
});
