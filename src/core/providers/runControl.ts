/**
 * Per-run clock and cancellation: merges the caller's AbortSignal with the first-token timeout
 * into one signal for the HTTP request, and remembers why it fired.
 */
import type { RunStats } from './events';

export type StopReason = 'aborted' | 'timeout';

export class RunControl {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly startedAt = performance.now();
  private firstTokenAt: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reason: StopReason | undefined;
  private readonly onCallerAbort = (): void => this.stop('aborted');

  constructor(
    private readonly callerSignal: AbortSignal | undefined,
    readonly firstTokenTimeoutMs: number | undefined,
  ) {
    this.signal = this.controller.signal;
    if (callerSignal?.aborted) this.stop('aborted');
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    if (firstTokenTimeoutMs !== undefined && firstTokenTimeoutMs > 0 && this.reason === undefined) {
      this.timer = setTimeout(() => this.stop('timeout'), firstTokenTimeoutMs);
    }
  }

  /** Why the run was stopped by us or the caller; undefined while it runs on. */
  get stopReason(): StopReason | undefined {
    return this.reason;
  }

  elapsedMs(): number {
    return Math.round((performance.now() - this.startedAt) * 1000) / 1000;
  }

  /** Call for every chunk the server streams: it is generating, so the first-token timer stops. */
  chunkArrived(): void {
    if (this.timer !== undefined) this.clearTimer();
  }

  /** Call for every token; the first one stops the first-token timer. */
  tokenArrived(): number {
    const now = this.elapsedMs();
    if (this.firstTokenAt === undefined) {
      this.firstTokenAt = now;
      this.clearTimer();
    }
    return now;
  }

  /** Stats known on our side: wall-clock time and time to first token. */
  clientStats(): RunStats {
    const stats: RunStats = { wallMs: this.elapsedMs() };
    if (this.firstTokenAt !== undefined) stats.ttftMs = this.firstTokenAt;
    return stats;
  }

  /**
   * Ends the run's resources. Also aborts the HTTP request, which matters when the consumer
   * stopped iterating early: otherwise the server would keep generating into a dead stream.
   */
  dispose(): void {
    this.clearTimer();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    if (!this.controller.signal.aborted) this.controller.abort(new DOMException('run finished', 'AbortError'));
  }

  private stop(reason: StopReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.clearTimer();
    this.controller.abort(new DOMException(reason === 'timeout' ? 'first-token timeout' : 'run cancelled', 'AbortError'));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Resolves like `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
