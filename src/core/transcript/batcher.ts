/**
 * Host-side batching of token increments, shared by the run panel and the comparison panel. A
 * fast GPU stream produces hundreds of tokens a second; posting each one to the webview floods
 * the message channel. The batcher notes which tokens are new per stream (a run, a comparison
 * cell) and hands them over at most every `intervalMs` (16–50 ms), or at once when `maxBatch`
 * tokens wait, so no single message grows without bound. It keeps positions, not tokens: the
 * caller reads the tokens from where it keeps them, so each token exists once.
 *
 * Pure logic: the timer is injected (tests drive it by hand; the host passes setTimeout).
 */

/** New tokens of one stream: positions `from` up to (not including) `to`. */
export interface Batch {
  stream: string;
  from: number;
  to: number;
}

export interface Timer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const systemTimer: Timer = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface BatcherOptions {
  /** How long tokens may wait; clamped to 16–50 ms. */
  intervalMs?: number;
  /** This many waiting tokens (over all streams) are sent without waiting for the timer. */
  maxBatch?: number;
  timer?: Timer;
}

/** The flush interval both panels use: within the 16–50 ms a panel stays smooth at. */
export const FLUSH_MS = 32;
/** The most tokens one message carries, for increments and for a snapshot's later parts. */
export const MAX_BATCH_TOKENS = 1_000;

export class TokenBatcher {
  readonly intervalMs: number;
  readonly maxBatch: number;
  private readonly timer: Timer;
  private readonly pending = new Map<string, { from: number; to: number }>();
  private count = 0;
  private handle: unknown;
  private scheduled = false;

  /** `send` gets every waiting batch of a flush at once (an empty list after `schedule` alone). */
  constructor(
    private readonly send: (batches: Batch[]) => void,
    options: BatcherOptions = {},
  ) {
    this.intervalMs = Math.min(50, Math.max(16, options.intervalMs ?? FLUSH_MS));
    this.maxBatch = Math.max(1, options.maxBatch ?? MAX_BATCH_TOKENS);
    this.timer = options.timer ?? systemTimer;
  }

  /** Notes that the token at `index` of `stream` is new. Tokens of a stream must come in order. */
  push(stream: string, index: number): void {
    const range = this.pending.get(stream);
    if (range !== undefined && range.to !== index) {
      // Out of order (a caller bug or a reset stream): send what we have and start again here.
      this.flush();
    }
    const current = this.pending.get(stream);
    if (current) current.to = index + 1;
    else this.pending.set(stream, { from: index, to: index + 1 });
    this.count += 1;
    if (this.count >= this.maxBatch) this.flush();
    else this.schedule();
  }

  /** Asks for a flush with the next tick even without tokens (something else changed). */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.handle = this.timer.set(() => {
      this.scheduled = false;
      this.flush();
    }, this.intervalMs);
  }

  /** Sends what is waiting now, in one call. */
  flush(): void {
    this.cancelTimer();
    const batches = [...this.pending].map(([stream, range]) => ({ stream, ...range }));
    this.pending.clear();
    this.count = 0;
    this.send(batches);
  }

  /** Forgets what is waiting without sending it (a full snapshot is about to carry it). */
  discard(): void {
    this.pending.clear();
    this.count = 0;
    this.cancelTimer();
  }

  /** Tokens waiting, over all streams. */
  get size(): number {
    return this.count;
  }

  dispose(): void {
    this.discard();
  }

  private cancelTimer(): void {
    if (!this.scheduled) return;
    this.timer.clear(this.handle);
    this.scheduled = false;
    this.handle = undefined;
  }
}

/**
 * The parts `[from, to)` that tokens `start`…`length` are sent in, at most `size` each: how a
 * snapshot of a long run or cell follows as bounded messages instead of one that would hold the
 * webview's main thread while it is read.
 */
export function chunks(length: number, size: number = MAX_BATCH_TOKENS, start = 0): { from: number; to: number }[] {
  const step = Math.max(1, size);
  const out: { from: number; to: number }[] = [];
  for (let from = Math.max(0, start); from < length; from += step) out.push({ from, to: Math.min(length, from + step) });
  return out;
}
