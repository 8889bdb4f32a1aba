/**
 * Per-run clock and cancellation: merges the caller's AbortSignal, the first-token timeout and
 * the idle timeout (silence between chunks once the stream has started) into one signal for the
 * HTTP request, and remembers why it fired.
 */
import type { ErrorDetails } from './errors';
import type { RunStats } from './events';
import { DEFAULT_IDLE_TIMEOUT_MS } from './limits';

export type StopReason = 'aborted' | 'timeout' | 'idle';

/**
 * One `abort` listener per caller signal, however many runs share it: a comparison starts
 * hundreds of runs under one signal, and a listener each trips Node's MaxListeners warning
 * (printed on stderr, and a sign of listeners that outlive their runs).
 */
const callerWatchers = new WeakMap<AbortSignal, Set<() => void>>();

function watchAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let watchers = callerWatchers.get(signal);
  if (watchers === undefined) {
    const created = new Set<() => void>();
    watchers = created;
    callerWatchers.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        for (const watcher of [...created]) watcher();
        created.clear();
        callerWatchers.delete(signal);
      },
      { once: true },
    );
  }
  const registered = watchers;
  registered.add(onAbort);
  return () => registered.delete(onAbort);
}

export class RunControl {
  readonly signal: AbortSignal;
  /** 0 turns the idle timeout off. */
  readonly idleTimeoutMs: number;
  private readonly controller = new AbortController();
  private readonly startedAt = performance.now();
  private firstTokenAt: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private lastActivity = 0;
  private reason: StopReason | undefined;
  private readonly unwatchCaller: () => void;

  constructor(
    callerSignal: AbortSignal | undefined,
    readonly firstTokenTimeoutMs: number | undefined,
    idleTimeoutMs: number = DEFAULT_IDLE_TIMEOUT_MS,
  ) {
    this.idleTimeoutMs = idleTimeoutMs > 0 ? idleTimeoutMs : 0;
    this.signal = this.controller.signal;
    this.unwatchCaller = () => undefined;
    if (callerSignal?.aborted) this.stop('aborted');
    else if (callerSignal !== undefined) this.unwatchCaller = watchAbort(callerSignal, () => this.stop('aborted'));
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

  /**
   * Call for every network read of the streamed body. The first one arms the idle timer; later
   * ones only note the time (the timer re-checks when it fires, so the hot path sets no timers).
   */
  streamActivity(): void {
    this.lastActivity = performance.now();
    if (this.idleTimer === undefined && this.idleTimeoutMs > 0 && this.reason === undefined) this.armIdle(this.idleTimeoutMs);
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
    this.clearIdle();
    this.unwatchCaller();
    if (!this.controller.signal.aborted) this.controller.abort(new DOMException('run finished', 'AbortError'));
  }

  private armIdle(delayMs: number): void {
    this.idleTimer = setTimeout(() => {
      const silentMs = performance.now() - this.lastActivity;
      if (silentMs >= this.idleTimeoutMs) this.stop('idle');
      else this.armIdle(this.idleTimeoutMs - silentMs);
    }, delayMs);
  }

  private stop(reason: StopReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.clearTimer();
    this.clearIdle();
    const why = reason === 'timeout' ? 'first-token timeout' : reason === 'idle' ? 'idle timeout' : 'run cancelled';
    this.controller.abort(new DOMException(why, 'AbortError'));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private clearIdle(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
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

/**
 * The error for a run we stopped ourselves: the user's Stop, no first token in time, or silence
 * mid-stream; undefined when the run was not stopped by us (the failure came from elsewhere).
 * `firstTokenHint` is the provider's advice for a slow first token.
 */
export function stopFailure(control: RunControl, model: string, url: string, firstTokenHint: string): ErrorDetails | undefined {
  if (control.stopReason === undefined) return undefined;
  if (control.stopReason === 'aborted') return { kind: 'aborted', message: 'Run stopped; the output so far is kept.', url };
  if (control.stopReason === 'idle') {
    const seconds = Math.round(control.idleTimeoutMs / 100) / 10;
    return {
      kind: 'timeout',
      message: `${url} stopped sending in the middle of the answer from ${model}: nothing arrived for ${seconds} s, so the run was stopped; the output so far is kept. Raise promptscope.idleTimeoutSeconds if the server is just slow.`,
      url,
      model,
    };
  }
  const seconds = Math.round((control.firstTokenTimeoutMs ?? 0) / 1000);
  return { kind: 'timeout', message: `No token from ${model} within ${seconds} s. ${firstTokenHint}`, url, model };
}
