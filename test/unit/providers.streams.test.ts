/**
 * Stream decoding without HTTP: SSE framing and the NDJSON line guard, fed chunk by chunk so
 * every split point (including inside UTF-8 sequences) is exercised deterministically.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readSse, type SseItem } from '../../src/core/providers/sse';
import { guardNdjson } from '../../src/core/providers/ndjsonGuard';
import { MalformedStreamError } from '../../src/core/providers/errors';

function streamOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

/** Every split of `text` into byte pieces of size `size`. */
function byteChunks(text: string, size: number): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function sseItems(chunks: (string | Uint8Array)[]): Promise<SseItem[]> {
  const items: SseItem[] = [];
  for await (const item of readSse(streamOf(chunks), { maxLineBytes: 1024 })) items.push(item);
  return items;
}

describe('SSE reader', () => {
  const body =
    ': ping\n\ndata: {"a":"你好"}\n\nevent: error\ndata: {"e":1}\n\nerror: {"message":"boom"}\n\ndata: line1\ndata: line2\r\n\r\ndata: [DONE]\n\n';
  const expected: SseItem[] = [
    { type: 'message', event: undefined, data: '{"a":"你好"}' },
    { type: 'message', event: 'error', data: '{"e":1}' },
    { type: 'error-field', value: '{"message":"boom"}' },
    { type: 'message', event: undefined, data: 'line1\nline2' },
    { type: 'message', event: undefined, data: '[DONE]' },
  ];

  it('parses comments, events, the legacy error field, multi-line data and CRLF', async () => {
    assert.deepEqual(await sseItems([body]), expected);
  });

  for (const size of [1, 2, 3, 5, 7]) {
    it(`gives the same result when the body arrives in ${size}-byte pieces`, async () => {
      assert.deepEqual(await sseItems(byteChunks(body, size)), expected);
    });
  }

  it('dispatches a final message without the trailing blank line', async () => {
    assert.deepEqual(await sseItems(['data: last']), [{ type: 'message', event: undefined, data: 'last' }]);
  });
});

async function drain(stream: ReadableStream<Uint8Array>): Promise<{ text: string; error: unknown }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: undefined };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

const LIMITS = { maxLineBytes: 1024 };

describe('NDJSON guard', () => {
  const good = '{"a":1}\n{"b":"你好"}\n';

  for (const size of [1, 3, 64]) {
    it(`passes well-formed lines through unchanged (${size}-byte pieces)`, async () => {
      const { text, error } = await drain(guardNdjson(streamOf(byteChunks(`${good}  \n{"c":3}`, size)), LIMITS));
      assert.equal(error, undefined);
      // The blank line carries nothing (and would make the client warn); the last line gets its newline.
      assert.equal(text, `${good}{"c":3}\n`);
    });
  }

  it('delivers the lines before a malformed one, then fails with its text', async () => {
    const { text, error } = await drain(guardNdjson(streamOf([`${good}<html>oops</html>\n{"d":4}\n`]), LIMITS));
    assert.equal(text, good);
    assert.ok(error instanceof MalformedStreamError);
    assert.equal(error.excerpt, '<html>oops</html>');
    assert.equal(error.where, 'line 3');
  });

  it('catches a malformed line that spans chunks', async () => {
    const { text, error } = await drain(guardNdjson(streamOf(['{"a":1}\n{"trunc', 'ated\n']), LIMITS));
    assert.ok(text.startsWith('{"a":1}\n'));
    assert.ok(error instanceof MalformedStreamError);
    assert.equal(error.excerpt, '{"truncated');
  });

  it('catches a malformed last line without a newline', async () => {
    const { error } = await drain(guardNdjson(streamOf(['{"a":1}\nnot json']), LIMITS));
    assert.ok(error instanceof MalformedStreamError);
    assert.equal(error.excerpt, 'not json');
  });
});
