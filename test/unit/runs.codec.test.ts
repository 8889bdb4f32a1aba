import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent, encodeEvent, EventDecodeError } from '../../src/core/runs/eventCodec';
import type { RunEvent } from '../../src/core/providers/events';

describe('run event codec', () => {
  const events: RunEvent[] = [
    {
      type: 'token',
      text: 'Hello "q" \n 你好 😊',
      channel: 'content',
      msSinceStart: 12.345,
      logprob: -0.25,
      topLogprobs: [
        { text: 'Hello', logprob: -0.25 },
        { text: '', logprob: -3.4028234663852886e38, bytes: [228, 189] },
      ],
    },
    { type: 'token', text: '', channel: 'thinking', msSinceStart: 1, logprob: -1, bytes: [240, 159] },
    { type: 'token', text: 'plain', channel: 'content', msSinceStart: 2 },
    { type: 'tool-call', name: 'f', arguments: { a: [1, 2] }, id: 'call_1', msSinceStart: 3 },
    { type: 'notice', code: 'thinking-unsupported', message: 'no thinking' },
    { type: 'done', stats: { wallMs: 10, ttftMs: 2, doneReason: 'stop', outputTokens: 3 } },
    { type: 'error', kind: 'stream-cut', message: 'cut', serverMessage: 'x', status: 200, url: 'http://h', stats: { wallMs: 4 } },
  ];

  for (const event of events) {
    it(`round-trips a ${event.type} event`, () => {
      assert.deepEqual(decodeEvent(encodeEvent(event)), event);
    });
  }

  it('writes tokens as compact arrays, everything else as objects', () => {
    assert.equal(encodeEvent(events[2] as RunEvent), '["plain",0,2,null,null]');
    assert.ok(encodeEvent(events[5] as RunEvent).startsWith('{"type":"done"'));
  });

  it('rejects lines that are not events', () => {
    assert.throws(() => decodeEvent('{"type":"tok'), EventDecodeError);
    assert.throws(() => decodeEvent('[1,2]'), EventDecodeError);
    assert.throws(() => decodeEvent('42'), EventDecodeError);
  });
});
