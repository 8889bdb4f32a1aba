import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogprobAligner, type AlignedToken, type LogprobEntry } from '../../src/core/providers/logprobAlign';
import type { Channel } from '../../src/core/providers/events';
import { bytesBeyondText, byteLevelGlyphsToBytes, decodeWithTail, hasRealBytes, utf8ByteLength } from '../../src/core/providers/tokenBytes';

interface Chunk {
  content?: string;
  thinking?: string;
  entries?: LogprobEntry[];
}

const FFFD = '\uFFFD';
const FFFD_BYTES = [239, 191, 189];
const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];

function entry(token: string, logprob: number, extra: Partial<LogprobEntry> = {}): LogprobEntry {
  return { token, logprob, ...extra };
}

function align(chunks: Chunk[]): AlignedToken[] {
  const aligner = new LogprobAligner();
  const out: AlignedToken[] = [];
  for (const chunk of chunks) {
    const segments: { channel: Channel; text: string }[] = [];
    if (chunk.thinking !== undefined) segments.push({ channel: 'thinking', text: chunk.thinking });
    if (chunk.content !== undefined) segments.push({ channel: 'content', text: chunk.content });
    out.push(...aligner.push(segments, chunk.entries ?? []));
  }
  out.push(...aligner.flush());
  assertInvariants(chunks, out);
  return out;
}

/** Text per channel is preserved exactly and every entry appears once, in order. */
function assertInvariants(chunks: Chunk[], out: AlignedToken[]): void {
  for (const channel of ['content', 'thinking'] as const) {
    const expected = chunks.map((c) => c[channel] ?? '').join('');
    const actual = out
      .filter((t) => t.channel === channel)
      .map((t) => t.text)
      .join('');
    assert.equal(actual, expected, `visible ${channel} text`);
  }
  const expectedLogprobs = chunks.flatMap((c) => c.entries ?? []).map((e) => e.logprob);
  const actualLogprobs = out.filter((t) => t.logprob !== undefined).map((t) => t.logprob);
  assert.deepEqual(actualLogprobs, expectedLogprobs, 'every entry once, in order');
}

/** [text, logprob] pairs, for compact expectations. */
const pairs = (out: AlignedToken[]): [string, number | undefined][] => out.map((t) => [t.text, t.logprob]);

describe('logprob alignment', () => {
  it('one entry per chunk maps one to one', () => {
    const out = align([
      { content: 'Hello', entries: [entry('Hello', -0.1)] },
      { content: ' world', entries: [entry(' world', -0.2)] },
    ]);
    assert.deepEqual(pairs(out), [
      ['Hello', -0.1],
      [' world', -0.2],
    ]);
  });

  it('splits a chunk that carries several entries (Ollama batching)', () => {
    const out = align([{ content: ' world!', entries: [entry(' world', -0.5), entry('!', -1.5)] }]);
    assert.deepEqual(pairs(out), [
      [' world', -0.5],
      ['!', -1.5],
    ]);
  });

  it('streams text of chunks without entries as tokens without logprob', () => {
    const out = align([{ content: 'no logprobs here' }, { content: ' at all' }]);
    assert.deepEqual(pairs(out), [
      ['no logprobs here', undefined],
      [' at all', undefined],
    ]);
  });

  it('attributes a Chinese character sent as three U+FFFD placeholder entries to the last (Ollama Go runner)', () => {
    const out = align([
      {
        content: '你好',
        entries: [
          entry(FFFD, -0.3, { bytes: FFFD_BYTES }),
          entry(FFFD, -0.01, { bytes: FFFD_BYTES }),
          entry(FFFD, -0.02, { bytes: FFFD_BYTES }),
          entry('好', -0.4, { bytes: utf8('好') }),
        ],
      },
    ]);
    assert.deepEqual(pairs(out), [
      ['', -0.3],
      ['', -0.01],
      ['你', -0.02],
      ['好', -0.4],
    ]);
    assert.equal(out[0]?.bytes, undefined, 'placeholder bytes are not passed on as real bytes');
    assert.equal(out[3]?.bytes, undefined, 'bytes that are just the UTF-8 of the token are dropped');
  });

  it('counts several placeholders in one token and literal text around them', () => {
    // "A" + first two bytes of 你 in one token, last byte + "!" in the next.
    const out = align([{ content: 'A你!', entries: [entry(`A${FFFD}${FFFD}`, -1), entry(`${FFFD}!`, -2)] }]);
    assert.deepEqual(pairs(out), [
      ['A', -1],
      ['你!', -2],
    ]);
  });

  it('handles a 4-byte emoji (surrogate pair) split into placeholder entries', () => {
    const out = align([{ content: 'ok 😊', entries: [entry('ok', -0.1), entry(' ', -0.2), ...[1, 2, 3, 4].map((i) => entry(FFFD, -i))] }]);
    assert.deepEqual(pairs(out), [
      ['ok', -0.1],
      [' ', -0.2],
      ['', -1],
      ['', -2],
      ['', -3],
      ['😊', -4],
    ]);
  });

  it('keeps byte counting across chunks when the character arrives with the completing chunk', () => {
    const out = align([
      { content: '', entries: [entry(FFFD, -1)] },
      { content: '你', entries: [entry(FFFD, -2), entry(FFFD, -3)] },
    ]);
    assert.deepEqual(pairs(out), [
      ['', -1],
      ['', -2],
      ['你', -3],
    ]);
  });

  it('decodes raw partial bytes (OpenAI "bytes:" tokens) across entries and chunks', () => {
    const out = align([
      { content: '', entries: [entry('bytes:\\xe4\\xbd', -0.7, { bytes: [228, 189] })] },
      { content: '你', entries: [entry('bytes:\\xa0', -0.05, { bytes: [160] })] },
    ]);
    assert.deepEqual(pairs(out), [
      ['', -0.7],
      ['你', -0.05],
    ]);
    assert.deepEqual(out[0]?.bytes, [228, 189]);
    assert.deepEqual(out[1]?.bytes, [160]);
  });

  it('vLLM: empty-token partial entries, then the completing token carries the whole character', () => {
    const out = align([
      { content: '', entries: [entry('', -0.9, { bytes: [] })] },
      { content: '', entries: [entry('', -0.8, { bytes: [] })] },
      { content: '是', entries: [entry('是', -0.1, { bytes: utf8('是') })] },
    ]);
    assert.deepEqual(pairs(out), [
      ['', -0.9],
      ['', -0.8],
      ['是', -0.1],
    ]);
  });

  it('llama.cpp: no entry for suppressed partial tokens, one entry with the merged text', () => {
    const out = align([{ content: ' 😂', entries: [entry(' 😂', -0.2, { bytes: utf8(' 😂') })] }]);
    assert.deepEqual(pairs(out), [[' 😂', -0.2]]);
  });

  it('older vLLM: U+FFFD placeholder, then the full character as the completing token', () => {
    const out = align([
      { content: '', entries: [entry(FFFD, -0.4, { bytes: FFFD_BYTES })] },
      { content: '你', entries: [entry('你', -0.3)] },
    ]);
    assert.deepEqual(pairs(out), [
      ['', -0.4],
      ['你', -0.3],
    ]);
  });

  it('decodes byte-level BPE glyph tokens (vLLM leak: "æĺ¯" for 是)', () => {
    const out = align([{ content: '是的', entries: [entry('æĺ¯', -0.5), entry('çļĦ', -0.6)] }]);
    assert.deepEqual(pairs(out), [
      ['是', -0.5],
      ['的', -0.6],
    ]);
  });

  it('waits for text when entries arrive on an earlier chunk (Ollama /v1 keeps logprobs on the reasoning chunk)', () => {
    const aligner = new LogprobAligner();
    const first = aligner.push([{ channel: 'thinking', text: 'Hmm' }], [entry('Hmm', -1), entry(' The', -2)]);
    assert.deepEqual(pairs(first), [['Hmm', -1]]);
    const second = aligner.push([{ channel: 'content', text: ' The' }], []);
    assert.deepEqual(
      second.map((t) => [t.channel, t.text, t.logprob]),
      [['content', ' The', -2]],
    );
    assert.deepEqual(aligner.flush(), []);
  });

  it('splits thinking and content of one chunk by channel', () => {
    const out = align([{ thinking: 'plan', content: 'Yes', entries: [entry('plan', -1), entry('Yes', -2)] }]);
    assert.deepEqual(
      out.map((t) => [t.channel, t.text, t.logprob]),
      [
        ['thinking', 'plan', -1],
        ['content', 'Yes', -2],
      ],
    );
  });

  it('emits text the server showed without an entry before the next matching entry', () => {
    const out = align([{ content: 'abc def', entries: [entry(' def', -3)] }]);
    assert.deepEqual(pairs(out), [
      ['abc', undefined],
      [' def', -3],
    ]);
  });

  it('gives a lone mismatching entry the whole chunk text (normalization differences)', () => {
    const out = align([{ content: ' Hello', entries: [entry('▁Hello', -0.25)] }]);
    assert.deepEqual(pairs(out), [[' Hello', -0.25]]);
  });

  it('never loses entries whose text never arrives (stop-sequence buffer discarded)', () => {
    const out = align([{ content: 'Done', entries: [entry('Done', -1)] }, { entries: [entry('<|end|>', -0.1)] }]);
    assert.deepEqual(pairs(out), [
      ['Done', -1],
      ['', -0.1],
    ]);
  });

  it('keeps top alternatives; drops bytes that only repeat the token text', () => {
    const top = [
      { text: ' cat', logprob: -0.1 },
      { text: ' dog', logprob: -2.3 },
    ];
    const out = align([{ content: ' cat', entries: [entry(' cat', -0.1, { topLogprobs: top, bytes: utf8(' cat') })] }]);
    assert.deepEqual(out, [{ type: 'token', channel: 'content', text: ' cat', msSinceStart: 0, logprob: -0.1, topLogprobs: top }]);
  });

  it('takes the fast path and the general path to the same result', () => {
    const aligner = new LogprobAligner();
    const fast = aligner.push([{ channel: 'content', text: 'a' }], [entry('a', -1)]);
    const slow = aligner.push(
      [
        { channel: 'content', text: 'b' },
        { channel: 'content', text: '' },
      ],
      [entry('b', -2)],
    );
    assert.deepEqual(
      fast.map((t) => [t.text, t.logprob]),
      [['a', -1]],
    );
    assert.deepEqual(
      slow.map((t) => [t.text, t.logprob]),
      [['b', -2]],
    );
  });

  it('handles a literal U+FFFD in the visible text', () => {
    const out = align([{ content: `a${FFFD}b`, entries: [entry('a', -1), entry(FFFD, -2), entry('b', -3)] }]);
    assert.deepEqual(pairs(out), [
      ['a', -1],
      [FFFD, -2],
      ['b', -3],
    ]);
  });

  it('handles a token whose text spans two chunks', () => {
    const aligner = new LogprobAligner();
    const out = [
      ...aligner.push([{ channel: 'content', text: '' }], [entry('Hello', -1)]),
      ...aligner.push([{ channel: 'content', text: 'Hel' }], []),
      ...aligner.push([{ channel: 'content', text: 'lo' }], []),
      ...aligner.flush(),
    ];
    assert.deepEqual(pairs(out), [['Hello', -1]]);
  });
});

describe('token byte helpers', () => {
  it('recognizes U+FFFD placeholder byte runs', () => {
    assert.equal(hasRealBytes([239, 191, 189]), false);
    assert.equal(hasRealBytes([239, 191, 189, 239, 191, 189]), false);
    assert.equal(hasRealBytes([]), false);
    assert.equal(hasRealBytes(null), false);
    assert.equal(hasRealBytes([228, 189]), true);
    assert.equal(hasRealBytes([239, 191, 189, 65]), true);
  });

  it('decodes with a carried incomplete tail', () => {
    assert.deepEqual(decodeWithTail([], [228, 189]), { text: '', tail: [228, 189] });
    assert.deepEqual(decodeWithTail([228, 189], [160, 65]), { text: '你A', tail: [] });
    assert.deepEqual(decodeWithTail([], [0x41, 0xf0, 0x9f]), { text: 'A', tail: [0xf0, 0x9f] });
    assert.deepEqual(decodeWithTail([], [0xff]), { text: '\uFFFD', tail: [] });
  });

  it('counts UTF-8 bytes like an encoder', () => {
    for (const text of ['', 'abc', 'é', '你好', '😊', 'a\uD800b']) {
      assert.equal(utf8ByteLength(text), Buffer.byteLength(text, 'utf8'), JSON.stringify(text));
    }
  });

  it('keeps only bytes that say more than the token text', () => {
    assert.equal(bytesBeyondText('你', utf8('你')), undefined);
    assert.deepEqual(bytesBeyondText('bytes:\\xe4\\xbd', [228, 189]), [228, 189]);
    assert.deepEqual(bytesBeyondText('', [228]), [228]);
    assert.equal(bytesBeyondText(FFFD, FFFD_BYTES), undefined);
  });

  it('maps byte-level BPE glyphs back to bytes', () => {
    assert.deepEqual(byteLevelGlyphsToBytes('Ġthe'), utf8(' the'));
    assert.deepEqual(byteLevelGlyphsToBytes('æĺ¯'), utf8('是'));
    assert.equal(byteLevelGlyphsToBytes('中'), undefined);
  });
});
