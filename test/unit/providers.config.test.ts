/**
 * Host resolution, endpoint settings and `model:` references.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_OLLAMA_URL, HostError, normalizeOllamaHost, resolveOllamaHost } from '../../src/core/providers/ollamaHost';
import { ModelRefError, apiKeyFromEnv, parseModelRef, resolveEndpoints, type EndpointConfig } from '../../src/core/providers/endpoints';
import { compareVersions, supportsLogprobs } from '../../src/core/providers/ollamaServer';

describe('Ollama host resolution', () => {
  it('prefers the setting, then OLLAMA_HOST, then the default', () => {
    assert.equal(resolveOllamaHost({ setting: 'http://gpu:11500', env: { OLLAMA_HOST: 'other:1' } }), 'http://gpu:11500');
    assert.equal(resolveOllamaHost({ setting: '  ', env: { OLLAMA_HOST: 'other:1' } }), 'http://other:1');
    assert.equal(resolveOllamaHost({ env: {} }), DEFAULT_OLLAMA_URL);
    assert.equal(resolveOllamaHost(), 'http://127.0.0.1:11434');
  });

  const cases: [string, string][] = [
    ['localhost', 'http://localhost:11434'],
    ['127.0.0.1', 'http://127.0.0.1:11434'],
    [':11500', 'http://127.0.0.1:11500'],
    ['0.0.0.0', 'http://127.0.0.1:11434'],
    ['0.0.0.0:8080', 'http://127.0.0.1:8080'],
    ['http://gpu-box', 'http://gpu-box:11434'],
    ['http://gpu-box:80', 'http://gpu-box:80'],
    ['https://ollama.example.com', 'https://ollama.example.com:443'],
    ['https://proxy.example.com/ollama/', 'https://proxy.example.com:443/ollama'],
    ['[::1]', 'http://[::1]:11434'],
    ['[::1]:9999', 'http://[::1]:9999'],
    ['[::]', 'http://[::1]:11434'],
    ['http://user:pw@host:1234/', 'http://user:pw@host:1234'],
  ];
  for (const [input, expected] of cases) {
    it(`normalizes ${JSON.stringify(input)} (no port means 11434, not the client's 80)`, () => {
      assert.equal(normalizeOllamaHost(input), expected);
    });
  }

  it('rejects non-http schemes and garbage, naming OLLAMA_HOST when it came from there', () => {
    assert.throws(() => normalizeOllamaHost('ftp://x'), HostError);
    assert.throws(() => resolveOllamaHost({ env: { OLLAMA_HOST: 'http://[bad' } }), /OLLAMA_HOST/);
  });
});

describe('endpoints setting', () => {
  it('adds the default ollama endpoint', () => {
    const { endpoints, problems } = resolveEndpoints(undefined, { env: { OLLAMA_HOST: '10.0.0.2' } });
    assert.deepEqual(endpoints, [{ name: 'ollama', kind: 'ollama', url: 'http://10.0.0.2:11434' }]);
    assert.deepEqual(problems, []);
  });

  it('keeps valid entries, reports bad ones, lets the user redefine "ollama"', () => {
    const { endpoints, problems } = resolveEndpoints([
      { name: 'vllm', kind: 'openai', url: 'http://127.0.0.1:8000/v1/', apiKeyEnv: 'VLLM_KEY' },
      { name: 'ollama', kind: 'ollama', url: 'http://gpu:11434' },
      { name: 'bad/name', kind: 'openai', url: 'http://x' },
      { name: 'nokind', url: 'http://x' },
      { name: 'nourl', kind: 'openai', url: 'file:///etc/passwd' },
      { name: 'vllm', kind: 'openai', url: 'http://dup' },
      'oops',
    ]);
    assert.deepEqual(endpoints, [
      { name: 'vllm', kind: 'openai', url: 'http://127.0.0.1:8000/v1', apiKeyEnv: 'VLLM_KEY' },
      { name: 'ollama', kind: 'ollama', url: 'http://gpu:11434' },
    ]);
    assert.equal(problems.length, 5);
    assert.match(problems.join('\n'), /used twice/);
    assert.match(problems.join('\n'), /"kind" must be/);
  });

  it('reads the API key only from the named variable', () => {
    const endpoint: EndpointConfig = { name: 'v', kind: 'openai', url: 'http://x/v1', apiKeyEnv: 'K' };
    assert.equal(apiKeyFromEnv(endpoint, { K: ' abc ' }), 'abc');
    assert.equal(apiKeyFromEnv(endpoint, {}), undefined);
    const { apiKeyEnv: _unused, ...withoutKey } = endpoint;
    assert.equal(apiKeyFromEnv(withoutKey, { K: 'abc' }), undefined);
  });
});

describe('model references', () => {
  const { endpoints } = resolveEndpoints([{ name: 'vllm', kind: 'openai', url: 'http://127.0.0.1:8000/v1' }]);
  const ref = (text: string): [string, string] => {
    const parsed = parseModelRef(text, endpoints);
    return [parsed.endpoint.name, parsed.model];
  };

  it('splits on the first segment only when it names a configured endpoint', () => {
    assert.deepEqual(ref('ollama/llama3.2'), ['ollama', 'llama3.2']);
    assert.deepEqual(ref('vllm/meta-llama/Llama-3.1-8B'), ['vllm', 'meta-llama/Llama-3.1-8B']);
    assert.deepEqual(ref('llama3.2:3b'), ['ollama', 'llama3.2:3b']);
    assert.deepEqual(ref('hf.co/bartowski/Llama-3.2-1B-GGUF'), ['ollama', 'hf.co/bartowski/Llama-3.2-1B-GGUF']);
  });

  it('never lets a .prompt introduce a host', () => {
    assert.throws(() => ref('http://evil.example/v1/model'), /configured endpoint/);
    assert.throws(() => ref('https://evil.example'), ModelRefError);
  });

  it('explains unknown Genkit-style providers and empty references', () => {
    assert.throws(() => ref('googleai/gemini-2.0-flash'), /"googleai".*not a configured endpoint.*ollama, vllm/);
    assert.throws(() => ref('vllm/'), /no model/);
    assert.throws(() => ref('  '), /No model/);
  });
});

describe('Ollama versions', () => {
  it('compares numerically and knows the logprobs release', () => {
    assert.ok(compareVersions('0.12.11', '0.12.9') > 0);
    assert.equal(compareVersions('v0.13.0-rc1', '0.13.0'), 0);
    assert.equal(supportsLogprobs('0.12.10'), false);
    assert.equal(supportsLogprobs('0.12.11'), true);
    assert.equal(supportsLogprobs('0.0.0'), true, 'source builds');
    assert.equal(supportsLogprobs(undefined), false);
  });
});
