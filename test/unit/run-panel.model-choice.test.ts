// The run panel's model picker messages and a saved run's "sent" record: what the host builds
// passes the guards, anything malformed is refused; a history header becomes the inputs and the
// messages the run sent, and the preview names the model chosen outside the file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { previewPrompt, sentOf } from '../../src/host/run-panel/preview';
import { isHostMessage, isWebviewMessage, type ModelChoice } from '../../src/shared/protocol';
import type { RunHeader } from '../../src/core/runs/record';

const CHOICE: ModelChoice = {
  file: 'file:///w/a.prompt',
  current: { ref: 'ollama/tiny', source: 'session' },
  groups: [
    { endpoint: 'ollama', url: 'http://127.0.0.1:11434', models: [{ ref: 'ollama/tiny', description: '1B', loaded: true }] },
    { endpoint: 'vllm', url: 'http://127.0.0.1:8000/v1', problem: 'connection refused', models: [] },
  ],
};

test('model picker messages: valid ones pass, malformed ones are refused', () => {
  assert.equal(isHostMessage({ type: 'models', choice: CHOICE }), true);
  assert.equal(isHostMessage({ type: 'models', choice: { file: 'f' } }), true, 'lists still loading');
  assert.equal(isHostMessage({ type: 'models', choice: { ...CHOICE, current: { ref: 'x', source: 'guess' } } }), false);
  assert.equal(
    isHostMessage({ type: 'models', choice: { ...CHOICE, groups: [{ endpoint: 'e', url: 'u', models: [{ ref: 1 }] }] } }),
    false,
  );
  assert.equal(isHostMessage({ type: 'models' }), false);
  const request = { type: 'request', requestId: 3, file: 'file:///w/a.prompt' };
  assert.equal(isWebviewMessage({ ...request, action: 'useModel', ref: 'ollama/tiny' }), true);
  assert.equal(isWebviewMessage({ ...request, action: 'useModel', ref: '  ' }), false, 'an empty model');
  assert.equal(isWebviewMessage({ ...request, action: 'useModel' }), false);
  assert.equal(isWebviewMessage({ ...request, action: 'writeModel' }), true);
  assert.equal(isWebviewMessage({ ...request, action: 'refreshModels' }), true);
  assert.equal(isWebviewMessage({ type: 'request', requestId: 3, action: 'writeModel' }), false, 'no file');
  assert.equal(isWebviewMessage({ ...request, requestId: -1, action: 'writeModel' }), false);
});

test('a saved run header becomes the inputs and messages it sent; snapshots carry them', () => {
  const header = {
    id: 'r1',
    inputs: { topic: 'tides', n: 2 },
    request: {
      model: 'tiny',
      messages: [
        { role: 'system' as const, content: [{ text: 'Be brief.' }] },
        { role: 'user' as const, content: [{ text: 'Explain tides.' }, { media: { url: 'https://x/m.png', contentType: 'image/png' } }] },
      ],
    },
  } satisfies Pick<RunHeader, 'id' | 'inputs' | 'request'>;
  const sent = sentOf(header);
  assert.deepEqual(sent, {
    runId: 'r1',
    inputs: { topic: 'tides', n: 2 },
    turns: [
      { role: 'system', parts: [{ kind: 'text', text: 'Be brief.' }] },
      {
        role: 'user',
        parts: [
          { kind: 'text', text: 'Explain tides.' },
          { kind: 'media', url: 'https://x/m.png', contentType: 'image/png' },
        ],
      },
    ],
  });
  assert.equal(sentOf({ ...header, inputs: 'not a record' }).inputs, undefined, 'inputs that are not a record are left out');
  assert.equal(isHostMessage({ type: 'snapshot', runs: [], activeRunId: '', sent: [sent] }), true);
  assert.equal(isHostMessage({ type: 'snapshot', runs: [], activeRunId: '', sent: [{ runId: 'r1', turns: [{ role: 1 }] }] }), false);
});

test('the preview names the model chosen outside the file instead of none', async () => {
  const endpoints = [{ name: 'ollama', kind: 'ollama' as const, url: 'http://127.0.0.1:11434' }];
  const base = { input: {}, endpoints, defaults: {}, usesHistory: false };
  const unnamed = await previewPrompt('Hello', base);
  assert.equal(unnamed.model?.ref, '');
  assert.ok(unnamed.model?.error, 'no model: the preview says so');
  const chosen = await previewPrompt('Hello', { ...base, model: 'ollama/tiny' });
  assert.deepEqual(chosen.model, { ref: 'ollama/tiny', endpoint: 'ollama', kind: 'ollama', url: 'http://127.0.0.1:11434', name: 'tiny' });
});
