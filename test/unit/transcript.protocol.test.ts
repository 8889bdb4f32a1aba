// The run panel's message guards: what real transcripts produce passes; anything malformed, on
// either side of the channel, is refused before it is used.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEvent, newTranscript } from '../../src/core/transcript/transcript';
import { runKind } from '../../src/core/runs/kind';
import { isCompareHostMessage } from '../../src/shared/compare-protocol';
import { isHostMessage, isWebviewMessage, type RunTranscript } from '../../src/shared/protocol';

function realRun(): RunTranscript {
  const t = newTranscript({
    id: 'a',
    title: 'x.prompt · local/tiny',
    endpoint: 'local',
    model: 'tiny',
    startedAt: '2026-11-28T10:00:00.000Z',
    wantedLogprobs: true,
    origin: { parentId: 'p', tokenIndex: 3, alternative: ' dog' },
  });
  applyEvent(t, { type: 'notice', code: 'thinking-unsupported', message: 'No thinking here.' });
  applyEvent(t, {
    type: 'token',
    text: 'Hi',
    channel: 'content',
    msSinceStart: 5,
    logprob: -0.1,
    topLogprobs: [
      { text: 'Hi', logprob: -0.1 },
      { text: 'Yo', logprob: -3, bytes: [0x59] },
    ],
  });
  applyEvent(t, { type: 'token', text: '', channel: 'content', msSinceStart: 6, bytes: [0xe4, 0xbd] });
  applyEvent(t, {
    type: 'error',
    kind: 'stream-cut',
    message: 'The stream ended early.',
    serverMessage: 'EOF',
    stats: { wallMs: 10, ttftMs: 5, outputTokens: 2 },
  });
  return t;
}

const clone = <T>(v: T): T => structuredClone(v);

test('host messages built from real transcripts pass', () => {
  const run = realRun();
  assert.ok(isHostMessage({ type: 'snapshot', runs: [run], activeRunId: 'a' }));
  assert.ok(isHostMessage({ type: 'append', runId: 'a', from: 0, tokens: run.tokens }));
  assert.ok(isHostMessage({ type: 'status', runId: 'a', status: run.status, notices: run.notices, stats: run.stats, error: run.error }));
  assert.ok(isHostMessage({ type: 'reply', requestId: 1, ok: false, error: 'nope' }));
  assert.ok(isHostMessage({ type: 'focus' }));
});

test('malformed host messages are refused', () => {
  const run = realRun();
  const bad: [string, unknown][] = [
    ['not an object', 'snapshot'],
    ['an array', [run]],
    ['unknown type', { type: 'eval', code: 'x' }],
    ['snapshot without runs', { type: 'snapshot', activeRunId: 'a' }],
    ['token text not a string', { type: 'append', runId: 'a', from: 0, tokens: [{ text: 1, channel: 'content', ms: 0 }] }],
    ['unknown channel', { type: 'append', runId: 'a', from: 0, tokens: [{ text: 'x', channel: 'html', ms: 0 }] }],
    ['NaN timing', { type: 'append', runId: 'a', from: 0, tokens: [{ text: 'x', channel: 'content', ms: Number.NaN }] }],
    ['negative position', { type: 'append', runId: 'a', from: -1, tokens: [] }],
    ['fractional position', { type: 'append', runId: 'a', from: 1.5, tokens: [] }],
    ['byte out of range', { type: 'append', runId: 'a', from: 0, tokens: [{ text: '', channel: 'content', ms: 0, bytes: [256] }] }],
    [
      'alternative without a logprob',
      { type: 'append', runId: 'a', from: 0, tokens: [{ text: 'x', channel: 'content', ms: 0, top: [{ text: 'y' }] }] },
    ],
    ['unknown status', { type: 'status', runId: 'a', status: 'exploded', notices: [] }],
    ['stats with a string rate', { type: 'status', runId: 'a', status: 'completed', notices: [], stats: { wallMs: 1, evalRate: '30' } }],
    ['error without a message', { type: 'status', runId: 'a', status: 'error', notices: [], error: { kind: 'network' } }],
    ['error of an unknown kind', { type: 'status', runId: 'a', status: 'error', notices: [], error: { kind: 'pwned', message: 'x' } }],
    ['notice that is a string', { type: 'status', runId: 'a', status: 'running', notices: ['<b>hi</b>'] }],
    ['reply without an id', { type: 'reply', ok: true }],
    ['reply with a non-string error', { type: 'reply', requestId: 1, ok: false, error: { html: 'x' } }],
  ];
  for (const [why, message] of bad) assert.equal(isHostMessage(message), false, why);

  const withRun = (change: (r: Record<string, unknown>) => void): unknown => {
    const r = clone(run) as unknown as Record<string, unknown>;
    change(r);
    return { type: 'snapshot', runs: [r], activeRunId: 'a' };
  };
  assert.equal(isHostMessage(withRun((r) => delete (r['meta'] as Record<string, unknown>)['endpoint'])), false, 'meta without endpoint');
  assert.equal(
    isHostMessage(withRun((r) => ((r['meta'] as Record<string, unknown>)['origin'] = { parentId: 'p', tokenIndex: -2, alternative: 'x' }))),
    false,
    'origin at a negative index',
  );
  assert.equal(isHostMessage(withRun((r) => (r['prefix'] = [{}]))), false, 'malformed prefix token');
  assert.equal(isHostMessage(withRun((r) => (r['stats'] = { evalRate: 3 }))), false, 'stats without wall time');
  assert.equal(isHostMessage(withRun((r) => (r['notices'] = [{ code: 'x', message: 'y' }]))), false, 'unknown notice code');
});

test('webview requests: every action with its fields; anything else is refused', () => {
  const ok: unknown[] = [
    { type: 'ready' },
    { type: 'request', requestId: 1, action: 'stop', runId: 'a' },
    { type: 'request', requestId: 2, action: 'retry', runId: 'a' },
    { type: 'request', requestId: 3, action: 'branch', runId: 'a', tokenIndex: 0, alternative: ' dog' },
    { type: 'request', requestId: 4, action: 'pullModel', runId: 'a' },
    { type: 'request', requestId: 5, action: 'showLogs' },
    { type: 'request', requestId: 6, action: 'select', runId: 'b' },
    {
      type: 'request',
      requestId: 7,
      action: 'preview',
      file: 'file:///x.prompt',
      values: { topic: 'tides', n: 3, tags: ['a'], o: { k: null } },
    },
    { type: 'request', requestId: 8, action: 'run', file: 'file:///x.prompt', values: {} },
  ];
  for (const m of ok) assert.ok(isWebviewMessage(m), JSON.stringify(m));
  const bad: unknown[] = [
    null,
    { type: 'request', action: 'stop', runId: 'a' },
    { type: 'request', requestId: '1', action: 'stop', runId: 'a' },
    { type: 'request', requestId: -1, action: 'stop', runId: 'a' },
    { type: 'request', requestId: 1, action: 'exec', command: 'rm -rf /' },
    { type: 'request', requestId: 1, action: 'stop' },
    { type: 'request', requestId: 1, action: 'branch', runId: 'a', tokenIndex: 1.5, alternative: 'x' },
    { type: 'request', requestId: 1, action: 'branch', runId: 'a', tokenIndex: -1, alternative: 'x' },
    { type: 'request', requestId: 1, action: 'branch', runId: 'a', tokenIndex: 1 },
    { type: 'request', requestId: 1, action: 'run', file: 'file:///x.prompt', values: { n: Number.POSITIVE_INFINITY } },
    { type: 'request', requestId: 1, action: 'run', file: 'file:///x.prompt', values: [] },
    { type: 'request', requestId: 1, action: 'preview', values: {} },
  ];
  for (const m of bad) assert.equal(isWebviewMessage(m), false, JSON.stringify(m));
});

test('run kinds: a known kind passes, an unknown one is refused; old records read as prompt or branch runs', () => {
  const run = realRun();
  assert.ok(isHostMessage({ type: 'snapshot', runs: [{ ...run, meta: { ...run.meta, kind: 'retry' } }], activeRunId: 'a' }));
  assert.ok(!isHostMessage({ type: 'snapshot', runs: [{ ...run, meta: { ...run.meta, kind: 'replay' } }], activeRunId: 'a' }));
  assert.equal(runKind({}), 'prompt');
  assert.equal(runKind({ branchOf: { runId: 'p', tokenIndex: 0, alternative: 'x' } }), 'branch');
  assert.equal(runKind({ kind: 'comparison' }), 'comparison');
  assert.equal(runKind({ kind: 'replay' }), 'prompt');
});

test('both panels check a token the same way: the comparison refuses what the run panel refuses', () => {
  const reply = (token: unknown): unknown => ({ type: 'reply', requestId: 1, ok: true, token });
  const good = { text: 'x', channel: 'content', ms: 1, logprob: -0.5, top: [{ text: 'x', logprob: -0.5, bytes: [120] }], bytes: [120] };
  assert.ok(isCompareHostMessage(reply(good)));
  for (const bad of [
    { ...good, ms: Number.NaN },
    { ...good, bytes: [300] },
    { ...good, top: [{ text: 'x', logprob: Number.NaN }] },
    { ...good, top: [{ text: 'x', logprob: -1, bytes: [-1] }] },
  ]) {
    assert.equal(isCompareHostMessage(reply(bad)), false, JSON.stringify(bad));
    assert.equal(isHostMessage({ type: 'append', runId: 'a', from: 0, tokens: [bad] }), false);
  }
});
