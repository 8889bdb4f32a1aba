import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { branchRequest } from '../../src/core/execution/branch';
import { createProvider } from '../../src/core/providers';
import type { RunRequest } from '../../src/core/providers/events';
import type { FakeServer } from '../fixtures/servers/http';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import { startOpenAiFake } from '../fixtures/servers/openaiFake';
import { collect } from '../fixtures/servers/runHelpers';

const base: RunRequest = {
  model: 'tiny',
  messages: [
    { role: 'system', content: [{ text: 'Be brief.' }] },
    { role: 'user', content: [{ text: 'Greet me.' }] },
  ],
  topLogprobs: 3,
};

let ollama: FakeServer;
let vllm: FakeServer & { baseUrl: string };
before(async () => {
  ollama = await startOllamaFake();
  vllm = await startOpenAiFake({ flavor: 'vllm' });
});
after(async () => {
  await ollama.close();
  await vllm.close();
});

test('a branch appends the prefix as a final model turn and keeps everything else', () => {
  const branch = branchRequest(base, 'Hello there', 'ollama');
  assert.equal(branch.messages.length, 3);
  assert.deepEqual(branch.messages[2], { role: 'model', content: [{ text: 'Hello there' }] });
  assert.equal(branch.topLogprobs, 3);
  assert.equal(branch.config, undefined);
  assert.equal(base.messages.length, 2, 'the original request is not changed');
});

test('a prompt that already ends in a model turn gets the prefix added to it', () => {
  const prefilled: RunRequest = { ...base, messages: [...base.messages, { role: 'model', content: [{ text: 'Sure: ' }] }] };
  const branch = branchRequest(prefilled, 'Hi', 'ollama');
  assert.equal(branch.messages.length, 3);
  assert.deepEqual(branch.messages[2]!.content, [{ text: 'Sure: Hi' }]);
});

test('Ollama receives the prefix as the last assistant message', async () => {
  const provider = createProvider({ name: 'ollama', kind: 'ollama', url: ollama.url });
  const events = await collect(provider, branchRequest(base, 'Hello', 'ollama'));
  assert.equal(events[events.length - 1]!.type, 'done');
  const chat = ollama.requests.filter((r) => r.path === '/api/chat').pop()!;
  const messages = (chat.body as { messages: { role: string; content: string }[] }).messages;
  assert.deepEqual(messages[messages.length - 1], { role: 'assistant', content: 'Hello' });
});

test('vLLM is asked to continue the final message instead of opening a new turn', async () => {
  const provider = createProvider({ name: 'vllm', kind: 'openai', url: vllm.baseUrl });
  await collect(provider, branchRequest(base, 'Hello', 'openai'));
  const body = vllm.requests.filter((r) => r.path.endsWith('/chat/completions')).pop()!.body as Record<string, unknown>;
  assert.equal(body['continue_final_message'], true);
  assert.equal(body['add_generation_prompt'], false);
  const messages = body['messages'] as { role: string; content: string }[];
  assert.deepEqual(messages[messages.length - 1], { role: 'assistant', content: 'Hello' });
});
