// The comparison panel's host state (core/compare/model): new tokens leave through the shared
// TokenBatcher with the cells that changed in one update, the snapshot is followed by the shared
// chunks, and tokens are kept once (the compact store) yet answer with their alternatives. Also the
// host's DisposableOwner, which the panels are built on.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ComparisonModel } from '../../src/core/compare/model';
import type { CellResult } from '../../src/core/compare/types';
import type { Timer } from '../../src/core/transcript/batcher';
import { isCompareHostMessage, type CompareHostMessage, type CompareUpdateMessage } from '../../src/shared/compare-protocol';
import { DisposableOwner } from '../../src/host/disposable';

function manualTimer(): Timer & { tick(): void; waiting: number } {
  let due: (() => void) | undefined;
  return {
    waiting: 0,
    set(callback) {
      due = callback;
      this.waiting = 1;
      return 1;
    },
    clear() {
      due = undefined;
      this.waiting = 0;
    },
    tick() {
      const fire = due;
      due = undefined;
      this.waiting = 0;
      fire?.();
    },
  };
}

const cell = (id: string, status: CellResult['status'] = 'running'): CellResult => ({
  id,
  column: 'c1',
  variant: 'v',
  model: 'lab/echo',
  caseId: 'case',
  sample: 0,
  status,
  content: '',
  thinking: '',
  tokenCount: 0,
  assertions: [],
});

function setup(): { model: ComparisonModel; timer: ReturnType<typeof manualTimer>; sent: CompareHostMessage[] } {
  const timer = manualTimer();
  const model = new ComparisonModel(
    {
      title: 'Compare x.prompt',
      file: 'x.prompt',
      variants: [{ id: 'v', file: 'x.prompt' }],
      columns: [{ id: 'c1', variant: 'v', model: 'lab/echo' }],
      cases: [{ id: 'case', line: 0, inputs: {}, expect: {} }],
      samples: 1,
      concurrency: 1,
    },
    { timer },
  );
  const sent: CompareHostMessage[] = [];
  model.attach((m) => {
    assert.ok(isCompareHostMessage(JSON.parse(JSON.stringify(m))), `a valid message: ${JSON.stringify(m).slice(0, 200)}`);
    sent.push(m);
  });
  return { model, timer, sent };
}

describe('the comparison model', () => {
  test('tokens, tool calls and the changed cell leave together in one update on the next tick', () => {
    const { model, timer, sent } = setup();
    model.onCell(cell('a'));
    model.onEvent('a', {
      type: 'token',
      text: 'Hi',
      channel: 'content',
      msSinceStart: 3,
      logprob: -0.2,
      topLogprobs: [
        { text: 'Hi', logprob: -0.2 },
        { text: 'Yo', logprob: -2 },
      ],
    });
    model.onEvent('a', { type: 'tool-call', name: 'lookup', arguments: { q: 1 }, msSinceStart: 4 });
    model.onEvent('a', { type: 'token', text: 'hm', channel: 'thinking', msSinceStart: 5 });
    assert.equal(sent.length, 0, 'nothing before the tick');
    timer.tick();
    assert.equal(sent.length, 1);
    const update = sent[0] as CompareUpdateMessage;
    assert.deepEqual(update.tokens, [
      {
        cell: 'a',
        from: 0,
        tokens: { text: ['Hi', '\n[tool call lookup {"q":1}]\n', 'hm'], ms: [3, 4, 5], logprob: [-0.2, null, null], thinking: [2] },
      },
    ]);
    assert.deepEqual(
      update.cells.map((c) => c.id),
      ['a'],
    );
    assert.ok(update.summary, 'a changed cell brings a fresh summary');
    assert.deepEqual(
      model.tokenAt('a', 0)?.top?.map((t) => t.text),
      ['Hi', 'Yo'],
      'alternatives are kept for the token request',
    );
    model.onEvent('a', { type: 'token', text: '!', channel: 'content', msSinceStart: 6 });
    timer.tick();
    assert.deepEqual(
      (sent[1] as CompareUpdateMessage).tokens.map((b) => [b.from, b.tokens.text]),
      [[3, ['!']]],
    );
    assert.deepEqual((sent[1] as CompareUpdateMessage).cells, [], 'an unchanged cell is not sent again');
  });

  test('1,000 waiting tokens leave at once; a snapshot is followed by its tokens in parts of at most 1,000', () => {
    const { model, timer, sent } = setup();
    model.onCell(cell('a'));
    for (let i = 0; i < 2_500; i++) model.onEvent('a', { type: 'token', text: `t${i}`, channel: 'content', msSinceStart: i });
    assert.deepEqual(
      sent.map((m) => m.type === 'update' && m.tokens.map((b) => [b.from, b.tokens.text.length])),
      [[[0, 1_000]], [[1_000, 1_000]]],
    );
    sent.length = 0;
    model.sendSnapshot();
    timer.tick();
    assert.equal(sent[0]?.type, 'snapshot');
    assert.deepEqual(sent[0]?.type === 'snapshot' && sent[0].comparison.cells.map((c) => c.tokens.text.length), [0]);
    assert.deepEqual(
      sent.slice(1).map((m) => m.type === 'update' && m.tokens.map((b) => [b.from, b.tokens.text.length, b.tokens.text[0]])),
      [[[0, 1_000, 't0']], [[1_000, 1_000, 't1000']], [[2_000, 500, 't2000']]],
    );
    assert.equal(sent.length, 4, 'what was waiting is part of the snapshot, not sent again');
  });

  test('finishing sends the status at once', () => {
    const { model, sent } = setup();
    model.onCell(cell('a'));
    const result = { ...model.toResult(), status: 'completed' as const, cells: [cell('a', 'completed')] };
    model.finish(result, 'saved-1');
    const last = sent.at(-1) as CompareUpdateMessage;
    assert.equal(last.status, 'completed');
    assert.equal(last.id, 'saved-1');
  });
});

describe('disposable owner', () => {
  class Owner extends DisposableOwner {
    hooks = 0;
    own(d: { dispose(): void }): void {
      this.register(d);
    }
    drop(d: { dispose(): void }): void {
      this.unregister(d);
    }
    protected override disposing(): void {
      this.hooks++;
    }
  }

  test('disposes what it owns once, newest first; dropped items go at once; late ones are disposed on arrival', () => {
    const order: string[] = [];
    const item = (name: string) => ({ dispose: () => order.push(name) });
    const owner = new Owner();
    owner.own(item('a'));
    const b = item('b');
    owner.own(b);
    owner.own(item('c'));
    owner.drop(b);
    assert.deepEqual(order, ['b']);
    owner.dispose();
    owner.dispose();
    assert.deepEqual(order, ['b', 'c', 'a']);
    assert.equal(owner.hooks, 1);
    assert.equal(owner.isDisposed, true);
    owner.own(item('late'));
    assert.deepEqual(order, ['b', 'c', 'a', 'late']);
  });
});
