/**
 * A `fetch` for the `ollama` client that adds what the client lacks:
 * - our run's AbortSignal also cancels the request before response headers arrive (the client's
 *   own `abort()` only reaches streams that already started);
 * - NDJSON bodies are checked line by line: the client silently skips a line that is not JSON
 *   (console.warn), which would drop tokens without a trace. A line that cannot be a JSON object
 *   ends the stream with a MalformedStreamError right before that line, so everything before it
 *   is still delivered.
 * The check works on bytes (first and last non-blank byte of each line), never decoding, so it is
 * cheap on the hot path.
 */
import { MalformedStreamError } from './errors';

type FetchInit = NonNullable<Parameters<typeof fetch>[1]>;

export function guardedFetch(runSignal: AbortSignal): typeof fetch {
  return async (input, init?: FetchInit) => {
    const signal = init?.signal ? AbortSignal.any([init.signal, runSignal]) : runSignal;
    const response = await fetch(input, { ...init, signal });
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || response.body === null || !type.includes('ndjson')) return response;
    return new Response(guardNdjson(response.body), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const EXCERPT_BYTES = 200;

function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;
}

/** Line-shape state carried across network chunks. */
class LineChecker {
  /** First non-blank byte of the current line, or -1 while none seen. */
  private first = -1;
  /** Last non-blank byte of the current line seen so far. */
  private last = -1;
  /** Start of the current line from earlier chunks (for the error excerpt), capped. */
  private carried: Uint8Array[] = [];
  private carriedBytes = 0;

  /**
   * Scans one chunk. For the first completed line that cannot be a JSON object, returns where it
   * starts in this chunk (0 when it started in an earlier chunk); undefined when all look fine.
   */
  scan(chunk: Uint8Array): { badLineStart: number; excerpt: string } | undefined {
    let lineStart = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, lineStart);
      const end = newline === -1 ? chunk.length : newline;
      this.observe(chunk, lineStart, end);
      if (newline === -1) {
        // The line continues in the next chunk; keep its start for a possible excerpt.
        if (end > lineStart && this.carriedBytes < EXCERPT_BYTES) {
          this.carried.push(chunk.subarray(lineStart, end));
          this.carriedBytes += end - lineStart;
        }
        return undefined;
      }
      if (!this.lineIsObject()) {
        const spansChunks = this.carried.length > 0;
        return { badLineStart: spansChunks ? 0 : lineStart, excerpt: this.excerpt(chunk.subarray(lineStart, end)) };
      }
      this.reset();
      lineStart = newline + 1;
    }
  }

  /** At end of body: a final line without newline must also be an object. */
  finish(): string | undefined {
    const bad = !this.lineIsObject();
    const excerpt = this.excerpt(new Uint8Array(0));
    this.reset();
    return bad ? excerpt : undefined;
  }

  private observe(chunk: Uint8Array, start: number, end: number): void {
    if (this.first === -1) {
      for (let i = start; i < end; i += 1) {
        const byte = chunk[i] as number;
        if (!isBlank(byte)) {
          this.first = byte;
          break;
        }
      }
    }
    for (let i = end - 1; i >= start; i -= 1) {
      const byte = chunk[i] as number;
      if (!isBlank(byte)) {
        this.last = byte;
        break;
      }
    }
  }

  private lineIsObject(): boolean {
    return this.first === -1 || (this.first === OPEN_BRACE && this.last === CLOSE_BRACE);
  }

  private excerpt(tail: Uint8Array): string {
    const bytes = Buffer.concat([...this.carried, tail]).subarray(0, EXCERPT_BYTES);
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes).trim();
  }

  private reset(): void {
    this.first = -1;
    this.last = -1;
    if (this.carried.length > 0) {
      this.carried = [];
      this.carriedBytes = 0;
    }
  }
}

export function guardNdjson(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const checker = new LineChecker();
  let pendingError: MalformedStreamError | undefined;
  const malformed = (excerpt: string): MalformedStreamError =>
    new MalformedStreamError(`The server sent a line that is not a JSON object: ${JSON.stringify(excerpt)}`, excerpt);

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (pendingError !== undefined) {
          controller.error(pendingError);
          return;
        }
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            const excerpt = checker.finish();
            if (excerpt !== undefined) controller.error(malformed(excerpt));
            else controller.close();
            return;
          }
          const bad = checker.scan(value);
          if (bad === undefined) {
            controller.enqueue(value);
            return;
          }
          pendingError = malformed(bad.excerpt);
          // Stop the download. A rejection here only means the body already failed; the run
          // reports the malformed line either way, so there is nothing more to tell anyone.
          reader.cancel(pendingError).catch(() => undefined);
          if (bad.badLineStart > 0) {
            // Deliver the good lines first; the error follows on the next read.
            controller.enqueue(value.subarray(0, bad.badLineStart));
          } else {
            controller.error(pendingError);
          }
          return;
        }
      },
      async cancel(reason) {
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
