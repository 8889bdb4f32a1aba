/**
 * NDJSON bodies (Ollama's streams) vetted line by line before the `ollama` client sees them.
 *
 * The client splits lines by re-splitting its whole buffer on every network read (quadratic on a
 * long line), and skips a line that is not JSON with a console warning (tokens lost, the run ends
 * "completed", and the warning lands on our stdout). So this stream hands the client only
 * complete, parsed-and-checked lines:
 * - splitting is linear: each byte is looked at once, a partial line is kept as a list of pieces;
 * - a line longer than `maxLineBytes` fails the stream as soon as the cap is passed;
 * - a line that is not a JSON object (checked by jsonSyntax.ts without parsing) fails the stream
 *   right after the good lines before it, with its line number, the parser's reason and the start
 *   of the line;
 * - blank lines (which the client would also warn about) carry nothing and are dropped.
 */
import { LineTooLongError, MalformedStreamError } from './errors';
import { firstJsonObjectError } from './jsonSyntax';

export interface LineGuardOptions {
  maxLineBytes: number;
  /** Called for every network read: the idle timer's sign of life. */
  onActivity?: () => void;
}

const NEWLINE = 0x0a;
const EXCERPT_CHARS = 200;

const isBlank = (byte: number): boolean => byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;

/** The splitting and checking, without streams (the bench drives it directly). */
export class NdjsonLineChecker {
  private partial: Uint8Array[] = [];
  private partialBytes = 0;
  private lineNumber = 0;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly maxLineBytes: number) {}

  /** Complete good lines of this chunk (with their newlines) and the first failure, if any. */
  push(chunk: Uint8Array): { lines: Uint8Array | undefined; failure: Error | undefined } {
    const out: Uint8Array[] = [];
    // Good lines that lie one after another in `chunk` are passed on as one view.
    let runStart = -1;
    let runEnd = -1;
    const flushRun = (): void => {
      if (runStart !== -1) out.push(chunk.subarray(runStart, runEnd));
      runStart = -1;
    };
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) {
        if (start < chunk.length) {
          this.partial.push(chunk.subarray(start));
          this.partialBytes += chunk.length - start;
        }
        flushRun();
        const failure = this.partialBytes > this.maxLineBytes ? this.tooLong() : undefined;
        return { lines: join(out), failure };
      }
      const carried = this.partial.length > 0;
      const line = carried ? this.takePartial(chunk.subarray(start, newline)) : chunk.subarray(start, newline);
      this.lineNumber += 1;
      if (line.length > this.maxLineBytes) {
        flushRun();
        return { lines: join(out), failure: this.tooLong() };
      }
      const verdict = this.check(line);
      if (verdict instanceof Error) {
        flushRun();
        return { lines: join(out), failure: verdict };
      }
      if (verdict === 'blank') {
        flushRun();
      } else if (carried) {
        flushRun();
        out.push(withNewline(line));
      } else {
        if (runStart === -1) runStart = start;
        runEnd = newline + 1;
      }
      start = newline + 1;
    }
  }

  /** End of body: a last line without a newline is checked like the others. */
  end(): { lines: Uint8Array | undefined; failure: Error | undefined } {
    if (this.partial.length === 0) return { lines: undefined, failure: undefined };
    const line = this.takePartial(new Uint8Array(0));
    this.lineNumber += 1;
    const verdict = this.check(line);
    if (verdict instanceof Error) return { lines: undefined, failure: verdict };
    return { lines: verdict === 'blank' ? undefined : withNewline(line), failure: undefined };
  }

  private check(line: Uint8Array): 'ok' | 'blank' | MalformedStreamError {
    let first = 0;
    while (first < line.length && isBlank(line[first] as number)) first += 1;
    if (first === line.length) return 'blank';
    // The common case costs one scan and no allocation; only a bad line is decoded and parsed,
    // to quote it and give the parser's own reason.
    if (firstJsonObjectError(line) === -1) return 'ok';
    const text = this.decoder.decode(line);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return this.malformed(`not JSON (${error instanceof Error ? error.message : String(error)})`, text);
    }
    return this.malformed(`JSON but not an object (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`, text);
  }

  private malformed(reason: string, text: string): MalformedStreamError {
    const trimmed = text.trim();
    const excerpt = trimmed.length > EXCERPT_CHARS ? `${trimmed.slice(0, EXCERPT_CHARS)}…` : trimmed;
    return new MalformedStreamError(reason.length > 300 ? `${reason.slice(0, 300)}…` : reason, excerpt, `line ${this.lineNumber}`);
  }

  private tooLong(): LineTooLongError {
    return new LineTooLongError(`line ${this.lineNumber + (this.partial.length > 0 ? 1 : 0)}`, this.maxLineBytes);
  }

  private takePartial(last: Uint8Array): Uint8Array {
    const line = new Uint8Array(this.partialBytes + last.length);
    let at = 0;
    for (const piece of this.partial) {
      line.set(piece, at);
      at += piece.length;
    }
    line.set(last, at);
    this.partial = [];
    this.partialBytes = 0;
    return line;
  }
}

function withNewline(line: Uint8Array): Uint8Array {
  const out = new Uint8Array(line.length + 1);
  out.set(line);
  out[line.length] = NEWLINE;
  return out;
}

function join(pieces: Uint8Array[]): Uint8Array | undefined {
  if (pieces.length <= 1) return pieces[0];
  const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** The body as a stream of vetted lines; it fails where the first bad line was. */
export function guardNdjson(body: ReadableStream<Uint8Array>, options: LineGuardOptions): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const checker = new NdjsonLineChecker(options.maxLineBytes);
  let pendingFailure: Error | undefined;

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (pendingFailure !== undefined) {
          controller.error(pendingFailure);
          return;
        }
        for (;;) {
          const { done, value } = await reader.read();
          const { lines, failure } = done ? checker.end() : checker.push(value);
          if (!done) options.onActivity?.();
          if (failure !== undefined) {
            pendingFailure = failure;
            // Stop the download. A rejection here only means the body already failed; the run
            // reports the bad line either way, so there is nothing more to tell anyone.
            if (!done) reader.cancel(failure).catch(() => undefined);
            // Deliver the good lines first; the failure follows on the next read.
            if (lines !== undefined) controller.enqueue(lines);
            else controller.error(failure);
            return;
          }
          if (lines !== undefined) controller.enqueue(lines);
          if (done) {
            controller.close();
            return;
          }
          if (lines !== undefined) return;
        }
      },
      async cancel(reason) {
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
