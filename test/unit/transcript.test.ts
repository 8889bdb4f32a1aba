// The host-owned run transcript: events applied, derived statistics, branches, batching.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RunEvent, RunStats } from '../../src/core/providers/events';
import { chunks, TokenBatcher, type Batch, type Timer } from '../../src/core/transcript/batcher';
import { TokenStore, toColumns } from '../../src/core/transcript/store';
import { snapshotMessages } from '../../src/host/run-panel/snapshot';
import {
  applyEvent,
  branchPrefix,
  branchTree,
  deriveStats,
  entropy,
  newTranscript,
  tokenEntropies,
  transcriptFromRecord,
  type RunMeta,
  type RunTranscript,
  type TranscriptToken,
} from '../../src/core/transcript/transcript';

const meta = (id: string, origin?: RunMeta['origin']): RunMeta => ({
  id,
  title: `run ${id}`,
  endpoint: 'local',
  model: 'tiny',
  startedAt: '2026-11-28T10:00:00.000Z',
  wantedLogprobs: true,
  ...(origin ? { origin } : {}),
});
const stats: RunStats = { wallMs: 100, doneReason: 'stop', evalRate: 50 };
const tok = (
  text: string,
  ms: number,
  logprob?: number,
  top?: [string, number][],
  channel: 'content' | 'thinking' = 'content',
): RunEvent => ({
  type: 'token',
  text,
  channel,
  msSinceStart: ms,
  ...(logprob !== undefined ? { logprob } : {}),
  ...(top ? { topLogprobs: top.map(([t, l]) => ({ text: t, logprob: l })) } : {}),
});
const apply = (t: RunTranscript, events: RunEvent[]): (TranscriptToken | undefined)[] => events.map((e) => applyEvent(t, e));

describe('applying run events', () => {
  test('tokens keep channel, timing, logprob, alternatives and bytes; done records the stats', () => {
    const t = newTranscript(meta('a'));
    const appended = apply(t, [
      tok('Let me see', 5, undefined, undefined, 'thinking'),
      tok('Hi', 10, -0.1, [
        ['Hi', -0.1],
        ['Hello', -2.4],
      ]),
      { type: 'token', text: '', channel: 'content', msSinceStart: 12, logprob: -0.5, bytes: [0xe4, 0xbd] },
      { type: 'done', stats },
    ]);
    assert.equal(appended.filter(Boolean).length, 3, 'each token is handed back for the increment; done is not');
    assert.deepEqual(t.tokens[0], { text: 'Let me see', channel: 'thinking', ms: 5 });
    assert.deepEqual(t.tokens[1], {
      text: 'Hi',
      channel: 'content',
      ms: 10,
      logprob: -0.1,
      top: [
        { text: 'Hi', logprob: -0.1 },
        { text: 'Hello', logprob: -2.4 },
      ],
    });
    assert.deepEqual(t.tokens[2]!.bytes, [0xe4, 0xbd]);
    assert.equal(t.status, 'completed');
    assert.deepEqual(t.stats, stats);
  });

  test('an error keeps the partial output, the server’s words and the model to pull', () => {
    const t = newTranscript(meta('a'));
    apply(t, [
      tok('part', 1, -0.2),
      {
        type: 'error',
        kind: 'model-not-found',
        message: 'Model "tiny" is not installed.',
        serverMessage: 'model not found',
        model: 'tiny',
        stats: { wallMs: 9 },
      },
    ]);
    assert.equal(t.status, 'error');
    assert.equal(t.tokens.length, 1);
    assert.deepEqual(t.error, {
      kind: 'model-not-found',
      message: 'Model "tiny" is not installed.',
      serverMessage: 'model not found',
      model: 'tiny',
    });
    assert.deepEqual(t.stats, { wallMs: 9 });
  });

  test('a stop (aborted) is a stopped run, not a failure, and keeps what arrived', () => {
    const t = newTranscript(meta('a'));
    apply(t, [tok('one', 1), tok(' two', 2), { type: 'error', kind: 'aborted', message: 'Stopped.', stats: { wallMs: 3 } }]);
    assert.equal(t.status, 'stopped');
    assert.equal(t.tokens.map((x) => x.text).join(''), 'one two');
  });

  test('notices are kept once per code; tool calls show as content text', () => {
    const t = newTranscript(meta('a'));
    const notice: RunEvent = { type: 'notice', code: 'logprobs-unsupported-version', message: 'Ollama 0.11 has no logprobs.' };
    apply(t, [notice, notice, { type: 'tool-call', name: 'weather', arguments: { city: 'Oslo' }, msSinceStart: 4 }]);
    assert.equal(t.notices.length, 1);
    assert.equal(t.tokens.length, 1);
    assert.equal(t.tokens[0]!.channel, 'content');
    assert.match(t.tokens[0]!.text, /tool call weather \{"city":"Oslo"\}/);
  });

  test('nothing is applied after the terminal event', () => {
    const t = newTranscript(meta('a'));
    apply(t, [tok('a', 1), { type: 'done', stats }]);
    const late = applyEvent(t, tok('late', 2));
    applyEvent(t, { type: 'error', kind: 'stream-cut', message: 'cut', stats: { wallMs: 1 } });
    assert.equal(late, undefined);
    assert.equal(t.tokens.length, 1);
    assert.equal(t.status, 'completed');
    assert.equal(t.error, undefined);
  });
});

describe('derived statistics', () => {
  test('mean logprob and perplexity over content tokens; tokens/s from our own timing', () => {
    const t = newTranscript(meta('a'));
    apply(t, [tok('think', 0, -5, undefined, 'thinking'), tok('a', 100, -0.5), tok('b', 200, -1.5), tok('c', 300)]);
    const d = deriveStats(t.tokens);
    assert.equal(d.tokenCount, 4);
    assert.equal(d.meanLogprob, -1, 'thinking tokens and tokens without a logprob are left out');
    assert.ok(Math.abs(d.perplexity! - Math.E) < 1e-12);
    assert.equal(d.tokensPerSecond, 10, '3 gaps over 300 ms');
  });

  test('no probabilities, one token, or no time span: those figures are absent, not NaN', () => {
    assert.deepEqual(deriveStats([]), { tokenCount: 0 });
    const t = newTranscript(meta('a'));
    apply(t, [tok('a', 5), tok('b', 5)]);
    assert.deepEqual(deriveStats(t.tokens), { tokenCount: 2 });
  });

  test('entropy per token: 0 for one clear choice, ln(n) for n equal ones, renormalised over what was sent', () => {
    assert.equal(entropy([{ text: 'a', logprob: 0 }]), 0);
    const half = Math.log(0.5);
    assert.ok(
      Math.abs(
        entropy([
          { text: 'a', logprob: half },
          { text: 'b', logprob: half },
        ])! - Math.log(2),
      ) < 1e-12,
    );
    // Two alternatives of 0.1 each: the server cut the list short, so they count as equals.
    assert.ok(
      Math.abs(
        entropy([
          { text: 'a', logprob: Math.log(0.1) },
          { text: 'b', logprob: Math.log(0.1) },
        ])! - Math.log(2),
      ) < 1e-12,
    );
    assert.equal(entropy(undefined), undefined);
    assert.equal(entropy([]), undefined);
    assert.equal(entropy([{ text: 'a', logprob: -Infinity }]), undefined);
    const t = newTranscript(meta('a'));
    apply(t, [
      tok('a', 1, 0, [['a', 0]]),
      tok('b', 2, half, [
        ['b', half],
        ['c', half],
      ]),
      tok('d', 3),
    ]);
    const per = tokenEntropies(t.tokens);
    assert.equal(per.length, 3);
    assert.equal(per[0], 0);
    assert.equal(per[2], undefined);
    assert.ok(Math.abs(deriveStats(t.tokens).meanEntropy! - Math.log(2) / 2) < 1e-12);
  });
});

describe('branches', () => {
  test('the prefix is the content up to the token, with the alternative in its place', () => {
    const t = newTranscript(meta('a'));
    apply(t, [tok('hmm', 1, undefined, undefined, 'thinking'), tok('The', 2, -0.1), tok(' cat', 3, -1.2), tok(' sat', 4, -0.3)]);
    const { prefix, tokens } = branchPrefix(t, 2, ' dog');
    assert.equal(prefix, 'The dog');
    assert.deepEqual(
      tokens.map((x) => x.text),
      ['The', ' dog'],
    );
    assert.equal(tokens[1]!.ms, 3);
    assert.throws(() => branchPrefix(t, 4, 'x'), RangeError);
    assert.throws(() => branchPrefix(t, -1, 'x'), RangeError);
  });

  test('a branch of a branch counts from the start of its own prefix', () => {
    const parent = newTranscript(meta('a'));
    apply(parent, [tok('The', 1), tok(' cat', 2), tok(' sat', 3)]);
    const first = branchPrefix(parent, 1, ' dog');
    const branch = newTranscript(meta('b', { parentId: 'a', tokenIndex: 1, alternative: ' dog' }), first.tokens);
    apply(branch, [tok(' ran', 5), tok(' off', 6)]);
    // Index 2 is the first token the branch produced itself (after "The", " dog").
    assert.equal(branchPrefix(branch, 2, ' barked').prefix, 'The dog barked');
  });

  test('runs form a tree, depth first; orphans and cycles do not lose a run', () => {
    const runs = [
      newTranscript(meta('a')),
      newTranscript(meta('b', { parentId: 'a', tokenIndex: 1, alternative: 'x' })),
      newTranscript(meta('c')),
      newTranscript(meta('d', { parentId: 'b', tokenIndex: 3, alternative: 'y' })),
      newTranscript(meta('e', { parentId: 'a', tokenIndex: 2, alternative: 'z' })),
      newTranscript(meta('f', { parentId: 'gone', tokenIndex: 0, alternative: 'w' })),
    ];
    const tree = branchTree(runs);
    assert.deepEqual(
      tree.map((n) => `${n.id}${n.depth}`),
      ['a0', 'b1', 'd2', 'e1', 'c0', 'f0'],
    );
    assert.deepEqual(tree[0]!.children, ['b', 'e']);
    assert.equal(tree[2]!.parentId, 'b');
    assert.equal(tree[5]!.parentId, undefined, 'a branch whose parent is gone is a root');
    const cyclic = [
      newTranscript(meta('p', { parentId: 'q', tokenIndex: 0, alternative: '' })),
      newTranscript(meta('q', { parentId: 'p', tokenIndex: 0, alternative: '' })),
    ];
    assert.deepEqual(
      branchTree(cyclic)
        .map((n) => n.id)
        .sort(),
      ['p', 'q'],
    );
  });
});

describe('saved runs', () => {
  const header = {
    id: 'r1',
    startedAt: '2026-11-28T10:00:00.000Z',
    model: 'tiny',
    endpoint: { name: 'local' },
    file: 'prompts/x.prompt',
    request: { topLogprobs: 5 },
  };

  test('a saved run renders as it ran; one that never ended is stopped', () => {
    const done = transcriptFromRecord(header, [tok('a', 1, -0.1), { type: 'done', stats }]);
    assert.equal(done.meta.title, 'x.prompt · local/tiny');
    assert.equal(done.meta.wantedLogprobs, true);
    assert.equal(done.status, 'completed');
    const cut = transcriptFromRecord({ ...header, request: {} }, [tok('a', 1)]);
    assert.equal(cut.status, 'stopped');
    assert.equal(cut.meta.wantedLogprobs, false);
  });

  test('a saved branch keeps its origin and the prefix it was given', () => {
    const t = transcriptFromRecord(
      { ...header, branchOf: { runId: 'r0', tokenIndex: 2, alternative: ' dog' } },
      [tok(' ran', 1), { type: 'done', stats }],
      [{ text: 'The', channel: 'content', ms: 0 }],
    );
    assert.deepEqual(t.meta.origin, { parentId: 'r0', tokenIndex: 2, alternative: ' dog' });
    assert.equal(t.prefix.length, 1);
  });
});

/** A timer driven by the test: `tick()` fires what is due. */
function manualTimer(): Timer & { tick(): void; waiting: number; lastMs: number } {
  let due: (() => void) | undefined;
  const timer = {
    waiting: 0,
    lastMs: 0,
    set(callback: () => void, ms: number) {
      due = callback;
      timer.waiting++;
      timer.lastMs = ms;
      return 1;
    },
    clear() {
      if (due) timer.waiting--;
      due = undefined;
    },
    tick() {
      const fire = due;
      due = undefined;
      if (fire) {
        timer.waiting--;
        fire();
      }
    },
  };
  return timer;
}

describe('batching increments on the host', () => {
  test('tokens wait for one timer and leave in one flush, as one range per stream', () => {
    const timer = manualTimer();
    const sent: Batch[][] = [];
    const b = new TokenBatcher((batches) => sent.push(batches), { timer });
    b.push('a', 0);
    b.push('a', 1);
    b.push('b', 4);
    assert.equal(timer.waiting, 1, 'one timer for everything queued');
    assert.equal(timer.lastMs, 32);
    assert.equal(sent.length, 0);
    timer.tick();
    assert.deepEqual(sent, [
      [
        { stream: 'a', from: 0, to: 2 },
        { stream: 'b', from: 4, to: 5 },
      ],
    ]);
    assert.equal(b.size, 0);
  });

  test('the interval stays within 16–50 ms', () => {
    assert.equal(new TokenBatcher(() => undefined, { intervalMs: 1 }).intervalMs, 16);
    assert.equal(new TokenBatcher(() => undefined, { intervalMs: 500 }).intervalMs, 50);
  });

  test('a full batch (over all streams) goes at once; the rest waits for the timer', () => {
    const timer = manualTimer();
    const sent: Batch[][] = [];
    const b = new TokenBatcher((batches) => sent.push(batches), { timer, maxBatch: 3 });
    for (let i = 0; i < 7; i++) b.push('a', i);
    assert.deepEqual(
      sent.map((s) => s.map((r) => [r.from, r.to])),
      [[[0, 3]], [[3, 6]]],
    );
    timer.tick();
    assert.deepEqual(
      sent.map((s) => s.map((r) => [r.from, r.to])),
      [[[0, 3]], [[3, 6]], [[6, 7]]],
    );
    assert.equal(timer.waiting, 0);
    b.push('a', 7);
    b.push('b', 0);
    b.push('c', 0);
    assert.deepEqual(sent.at(-1), [
      { stream: 'a', from: 7, to: 8 },
      { stream: 'b', from: 0, to: 1 },
      { stream: 'c', from: 0, to: 1 },
    ]);
  });

  test('flush before a status keeps order; discard before a snapshot sends nothing', () => {
    const timer = manualTimer();
    const sent: Batch[][] = [];
    const b = new TokenBatcher((batches) => sent.push(batches), { timer });
    b.push('a', 0);
    b.flush();
    assert.equal(sent.length, 1);
    assert.equal(timer.waiting, 0, 'the timer is cancelled when nothing waits');
    b.push('a', 1);
    b.discard();
    timer.tick();
    assert.equal(sent.length, 1);
  });

  test('schedule alone flushes once with the next tick, with no tokens', () => {
    const timer = manualTimer();
    const sent: Batch[][] = [];
    const b = new TokenBatcher((batches) => sent.push(batches), { timer });
    b.schedule();
    b.schedule();
    assert.equal(timer.waiting, 1);
    timer.tick();
    assert.deepEqual(sent, [[]]);
  });

  test('a token out of order starts a new batch instead of landing at the wrong index', () => {
    const sent: Batch[][] = [];
    const b = new TokenBatcher((batches) => sent.push(batches), { timer: manualTimer() });
    b.push('a', 0);
    b.push('a', 5);
    b.flush();
    assert.deepEqual(
      sent.flat().map((s) => [s.from, s.to]),
      [
        [0, 1],
        [5, 6],
      ],
    );
  });
});

describe('snapshot chunks', () => {
  test('cover every token once, in order, at most `size` each', () => {
    assert.deepEqual(chunks(0), []);
    assert.deepEqual(chunks(2_500), [
      { from: 0, to: 1_000 },
      { from: 1_000, to: 2_000 },
      { from: 2_000, to: 2_500 },
    ]);
    assert.deepEqual(chunks(2_500, 1_000, 1_000), [
      { from: 1_000, to: 2_000 },
      { from: 2_000, to: 2_500 },
    ]);
    assert.deepEqual(chunks(3, 0), [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 2, to: 3 },
    ]);
  });

  test('the run panel snapshot carries the first 1,000 tokens of a run; the rest follow as appends, the active run first', () => {
    const long = (id: string, n: number): RunTranscript => {
      const t = newTranscript(meta(id));
      for (let i = 0; i < n; i++) t.tokens.push({ text: `t${i}`, channel: 'content', ms: i });
      return t;
    };
    const [snapshot, ...rest] = snapshotMessages([long('a', 1_500), long('b', 2_001)], 'b');
    assert.equal(snapshot?.type, 'snapshot');
    assert.deepEqual(snapshot?.type === 'snapshot' && snapshot.runs.map((r) => r.tokens.length), [1_000, 1_000]);
    assert.deepEqual(
      rest.map((m) => m.type === 'append' && [m.runId, m.from, m.tokens.length, m.tokens[0]?.text]),
      [
        ['b', 1_000, 1_000, 't1000'],
        ['b', 2_000, 1, 't2000'],
        ['a', 1_000, 500, 't1000'],
      ],
    );
  });
});

describe('the compact token store', () => {
  const tokens: TranscriptToken[] = [
    {
      text: 'Hi',
      channel: 'content',
      ms: 5,
      logprob: -0.1,
      top: [
        { text: 'Hi', logprob: -0.1 },
        { text: 'Yo', logprob: -3 },
      ],
    },
    { text: 'hmm', channel: 'thinking', ms: 6 },
    { text: '', channel: 'content', ms: 7, logprob: Number.NEGATIVE_INFINITY, bytes: [0xe4] },
  ];

  test('gives back every token as it was pushed', () => {
    const store = TokenStore.from(tokens);
    assert.equal(store.length, 3);
    assert.deepEqual(store.slice(), tokens);
    assert.deepEqual(store.at(1), tokens[1]);
    assert.equal(store.at(3), undefined);
    assert.equal(store.at(-1), undefined);
    assert.equal(store.at(0.5), undefined);
  });

  test('columns of a range: positions of thinking tokens count from its start; no probability is null', () => {
    const store = TokenStore.from(tokens);
    assert.deepEqual(store.columns(), { text: ['Hi', 'hmm', ''], ms: [5, 6, 7], logprob: [-0.1, null, null], thinking: [1] });
    assert.deepEqual(store.columns(1, 3), { text: ['hmm', ''], ms: [6, 7], logprob: [null, null], thinking: [0] });
    assert.deepEqual(store.columns(2), { text: [''], ms: [7], logprob: [null] });
    assert.deepEqual(toColumns(tokens), store.columns());
  });
});
