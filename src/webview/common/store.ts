import type { TokenColumns } from '../../shared/compare-protocol';
import type { ChipSource } from './strip';

/**
 * A cell's tokens kept compactly: texts in an array, times and log-probabilities in typed
 * arrays (NaN where the server sent none), reasoning tokens as flags. A 100,000-token reply is
 * a few arrays, not hundreds of thousands of objects for the garbage collector to walk.
 */
export class TokenStore implements ChipSource {
  readonly text: string[] = [];
  private times = new Float64Array(256);
  private logprobs = new Float64Array(256);
  private thinkingFlags = new Uint8Array(256);

  get length(): number {
    return this.text.length;
  }

  append(columns: TokenColumns): void {
    const start = this.text.length;
    const n = columns.text.length;
    this.reserve(start + n);
    for (let i = 0; i < n; i += 1) {
      this.text.push(columns.text[i]!);
      this.times[start + i] = columns.ms[i]!;
      const lp = columns.logprob[i];
      this.logprobs[start + i] = lp === null || lp === undefined ? Number.NaN : lp;
    }
    for (const i of columns.thinking ?? []) this.thinkingFlags[start + i] = 1;
  }

  textAt(i: number): string {
    return this.text[i]!;
  }

  ms(i: number): number {
    return this.times[i]!;
  }

  /** undefined where the server sent no probability. */
  logprob(i: number): number | undefined {
    const v = this.logprobs[i]!;
    return Number.isNaN(v) ? undefined : v;
  }

  thinking(i: number): boolean {
    return this.thinkingFlags[i] === 1;
  }

  private reserve(size: number): void {
    if (size <= this.times.length) return;
    let capacity = this.times.length;
    while (capacity < size) capacity *= 2;
    const grow = <T extends Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.times = grow(this.times, (n) => new Float64Array(n));
    this.logprobs = grow(this.logprobs, (n) => new Float64Array(n));
    this.thinkingFlags = grow(this.thinkingFlags, (n) => new Uint8Array(n));
  }
}
