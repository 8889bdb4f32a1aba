/**
 * The content tokens of one reply, kept compactly (offset and log-probability per token) so a
 * grid of long replies can still answer "what is the model's probability of this span?".
 */

export class TokenTrack {
  private starts: number[] = [];
  private ends: number[] = [];
  /** NaN where the server sent no probability. */
  private logprobs: number[] = [];
  private length = 0;
  private sum = 0;
  private counted = 0;

  /** Adds the next content token. */
  push(text: string, logprob: number | undefined): void {
    this.starts.push(this.length);
    this.length += text.length;
    this.ends.push(this.length);
    const value = logprob !== undefined && Number.isFinite(logprob) ? logprob : Number.NaN;
    this.logprobs.push(value);
    if (!Number.isNaN(value)) {
      this.sum += value;
      this.counted += 1;
    }
  }

  get count(): number {
    return this.starts.length;
  }

  /** Mean log-probability of the tokens that carried one; undefined when none did. */
  get meanLogprob(): number | undefined {
    return this.counted > 0 ? this.sum / this.counted : undefined;
  }

  /**
   * exp(Σ logprob) over the tokens that make up the text span [start, end): every token that
   * overlaps it (a token " 42" counts for the answer "42"), plus tokens with no text of their own
   * at a position inside it (bytes of a character a later token completes). Undefined when the
   * span is empty, covers no token, or one of its tokens has no probability.
   */
  spanProbability(start: number, end: number): number | undefined {
    if (end <= start) return undefined;
    let total = 0;
    let any = false;
    // Offsets are sorted: binary search for the first token that ends after `start`.
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! > start || (this.ends[mid] === this.starts[mid] && this.starts[mid]! >= start)) hi = mid;
      else lo = mid + 1;
    }
    for (let i = lo; i < this.starts.length; i += 1) {
      const s = this.starts[i]!;
      const e = this.ends[i]!;
      if (s >= end) break;
      const overlaps = e > s ? s < end && e > start : s >= start && s < end;
      if (!overlaps) continue;
      const logprob = this.logprobs[i]!;
      if (Number.isNaN(logprob)) return undefined;
      total += logprob;
      any = true;
    }
    return any ? Math.exp(total) : undefined;
  }
}
