/**
 * Host-side batching of token increments. A fast GPU stream produces hundreds of tokens a second;
 * posting each one to the webview floods the message channel. The batcher collects tokens per
 * run and hands them over at most every `intervalMs` (16–50 ms), or at once when a batch reaches
 * `maxBatch` tokens, so no single message grows without bound. Each batch says where in the run
 * its first token belongs, so the receiver can detect a lost message.
 *
 * Pure logic: the timer is injected (tests drive it by hand; the host passes setTimeout).
 */

export interface Batch<T> {
  runId: string;
  /** Index in the run of the first item. */
  from: number;
  items: T[];
}

export interface Timer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const systemTimer: Timer = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface BatcherOptions {
  /** How long tokens may wait; clamped to 16–50 ms. */
  intervalMs?: number;
  /** A batch this large is sent without waiting for the timer. */
  maxBatch?: number;
  timer?: Timer;
}

export class TokenBatcher<T> {
  readonly intervalMs: number;
  readonly maxBatch: number;
  private readonly timer: Timer;
  private readonly pending = new Map<string, { from: number; items: T[] }>();
  private handle: unknown;
  private scheduled = false;

  constructor(private readonly send: (batch: Batch<T>) => void, options: BatcherOptions = {}) {
    this.intervalMs = Math.min(50, Math.max(16, options.intervalMs ?? 32));
    this.maxBatch = Math.max(1, options.maxBatch ?? 1000);
    this.timer = options.timer ?? systemTimer;
  }

  /** Queues `item`, which sits at `index` in run `runId`. Items of a run must come in order. */
  push(runId: string, index: number, item: T): void {
    const batch = this.pending.get(runId);
    if (batch && batch.from + batch.items.length !== index) {
      // Out of order (a caller bug or a reset run): send what we have and start again here.
      this.flush(runId);
    }
    const current = this.pending.get(runId);
    if (current) current.items.push(item);
    else this.pending.set(runId, { from: index, items: [item] });
    if ((current?.items.length ?? 1) >= this.maxBatch) {
      this.flush(runId);
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      this.handle = this.timer.set(() => {
        this.scheduled = false;
        this.flush();
      }, this.intervalMs);
    }
  }

  /** Sends what is queued now: for one run, or for all. */
  flush(runId?: string): void {
    const ids = runId === undefined ? [...this.pending.keys()] : [runId];
    for (const id of ids) {
      const batch = this.pending.get(id);
      if (!batch) continue;
      this.pending.delete(id);
      this.send({ runId: id, from: batch.from, items: batch.items });
    }
    if (this.pending.size === 0) this.cancelTimer();
  }

  /** Forgets what is queued without sending it (a full snapshot is about to carry it). */
  discard(): void {
    this.pending.clear();
    this.cancelTimer();
  }

  /** Items waiting, over all runs. */
  get size(): number {
    let n = 0;
    for (const b of this.pending.values()) n += b.items.length;
    return n;
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
