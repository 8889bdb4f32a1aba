/**
 * Server-sent events from a fetch body. The body is decoded as a stream (TextDecoder with
 * `stream: true`) so a UTF-8 character split across network reads survives (protocols.md §5).
 *
 * Besides standard `data:`/`event:` messages this surfaces llama.cpp's legacy `error: {...}` field
 * line, which a spec-following parser would silently drop (protocols.md §4.3).
 */

export type SseItem =
  | { type: 'message'; event: string | undefined; data: string }
  /** A non-standard `error:` field line. */
  | { type: 'error-field'; value: string };

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseItem> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = new SseLineParser();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let start = 0;
      let newline = buffer.indexOf('\n', start);
      while (newline !== -1) {
        const end = newline > start && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        const item = parser.line(buffer.slice(start, end));
        if (item !== undefined) yield item;
        start = newline + 1;
        newline = buffer.indexOf('\n', start);
      }
      buffer = buffer.slice(start);
      if (done) {
        if (buffer !== '') {
          const item = parser.line(buffer);
          if (item !== undefined) yield item;
        }
        // Servers may omit the blank line after the last message.
        const last = parser.line('');
        if (last !== undefined) yield last;
        return;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** The SSE field grammar, one line at a time; exported for unit tests. */
export class SseLineParser {
  private data: string[] = [];
  private event: string | undefined;

  line(line: string): SseItem | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined; // comment / keep-alive ping
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        return undefined;
      case 'event':
        this.event = value;
        return undefined;
      case 'error':
        return { type: 'error-field', value };
      default:
        return undefined; // id, retry and unknown fields
    }
  }

  private dispatch(): SseItem | undefined {
    if (this.data.length === 0) {
      this.event = undefined;
      return undefined;
    }
    const item: SseItem = { type: 'message', event: this.event, data: this.data.join('\n') };
    this.data = [];
    this.event = undefined;
    return item;
  }
}
