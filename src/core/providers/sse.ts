/**
 * Server-sent events from a fetch body, parsed by `eventsource-parser` (linear in the input: a
 * line split over many reads is kept as pieces and joined once). The body is decoded as a stream
 * (TextDecoder with `stream: true`) so a UTF-8 character split across network reads survives
 * intact.
 *
 * Added here:
 * - a cap on one line in bytes (`maxLineBytes`), checked on the raw bytes of each read with one
 *   backwards scan for the last line break, so a server cannot make us buffer without end;
 * - llama.cpp's legacy `error: {...}` field line, which a spec-following parser reports as an
 *   unknown field and would otherwise be dropped.
 */
import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';
import { LineTooLongError } from './errors';

export type SseItem =
  | { type: 'message'; event: string | undefined; data: string }
  /** A non-standard `error:` field line. */
  | { type: 'error-field'; value: string };

export interface SseOptions {
  maxLineBytes: number;
  /** Called for every network read (idle timeout). */
  onActivity?: () => void;
}

const LF = 0x0a;
const CR = 0x0d;

/** Bytes of the line still open at the end of each read, across reads. */
export class SseLineCap {
  private openLineBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Throws LineTooLongError once the open line passes the cap. */
  push(chunk: Uint8Array): void {
    const lastBreak = Math.max(chunk.lastIndexOf(LF), chunk.lastIndexOf(CR));
    if (lastBreak === -1) {
      this.openLineBytes += chunk.length;
    } else {
      // A line ending here is the open bytes plus its part of this chunk; only when that sum could
      // pass the cap is the chunk measured line by line.
      if (this.openLineBytes + lastBreak > this.maxLineBytes && this.firstLineTooLong(chunk)) {
        throw new LineTooLongError('a line', this.maxLineBytes);
      }
      this.openLineBytes = chunk.length - lastBreak - 1;
    }
    if (this.openLineBytes > this.maxLineBytes) throw new LineTooLongError('a line', this.maxLineBytes);
  }

  /** Rare path (a chunk longer than the cap with breaks in it): measure every line in it. */
  private firstLineTooLong(chunk: Uint8Array): boolean {
    let start = 0;
    let open = this.openLineBytes;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i];
      if (byte === LF || byte === CR) {
        if (open + (i - start) > this.maxLineBytes) return true;
        open = 0;
        start = i + 1;
      }
    }
    return false;
  }
}

export async function* readSse(body: ReadableStream<Uint8Array>, options: SseOptions): AsyncGenerator<SseItem> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const cap = new SseLineCap(options.maxLineBytes);
  const ready: SseItem[] = [];
  let overflow: Error | undefined;
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => ready.push({ type: 'message', event: message.event, data: message.data }),
    onError: (error: ParseError) => {
      if (error.type === 'unknown-field' && error.field === 'error') ready.push({ type: 'error-field', value: error.value ?? '' });
      // Several `data:` lines of one event add up; the parser stops at the same cap.
      else if (error.type === 'max-buffer-size-exceeded') overflow = new LineTooLongError('an event', options.maxLineBytes);
      // Other unknown fields and bad `retry` values are ignorable by the SSE rules.
    },
    maxBufferSize: options.maxLineBytes,
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        const rest = decoder.decode();
        if (rest !== '') parser.feed(rest);
        // Servers may omit the blank line after the last message: end the line and the event.
        parser.feed('\n\n');
      } else {
        options.onActivity?.();
        cap.push(value);
        parser.feed(decoder.decode(value, { stream: true }));
      }
      if (overflow !== undefined) throw overflow;
      for (const item of ready) yield item;
      ready.length = 0;
      if (done) return;
    }
  } finally {
    // A failing cancel means the body already ended or failed; the caller reports why it stopped.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
