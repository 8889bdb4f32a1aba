import type { TranscriptToken } from '../../shared/protocol';
import { entropyOfLogprobs, type ColourMode } from '../common/colour';
import { FrameScheduler } from '../common/frames';
import { TokenStrip as SharedStrip, type ChipSource } from '../common/strip';

/** One scheduler for the run panel's strips: chips are drawn in animation frames, 8 ms a frame at most. */
const scheduler = new FrameScheduler(8);

/** A run's tokens (its fixed prefix, then what streamed) by position, as the shared strip reads them. */
class TranscriptChips implements ChipSource {
  readonly tokens: TranscriptToken[] = [];
  get length(): number {
    return this.tokens.length;
  }
  textAt(i: number): string {
    return this.tokens[i]!.text;
  }
  logprob(i: number): number | undefined {
    return this.tokens[i]!.logprob;
  }
  thinking(i: number): boolean {
    return this.tokens[i]!.channel === 'thinking';
  }
  entropy(i: number): number | undefined {
    return entropyOfLogprobs(this.tokens[i]!.top?.map((a) => a.logprob) ?? []);
  }
}

/**
 * The run panel's token chips for one channel: the shared strip (common/strip.ts) over the
 * transcript tokens the host sends, in batches that carry their position in the run.
 */
export class TokenStrip {
  private chips = new TranscriptChips();
  private readonly strip: SharedStrip;

  constructor(element: HTMLElement, channel: TranscriptToken['channel'], mode: () => ColourMode, onRendered: () => void) {
    this.strip = new SharedStrip(this.chips, { channel, scheduler, element, mode, onRendered });
  }

  /** Empties the strip (a new snapshot or another run). */
  reset(): void {
    this.chips = new TranscriptChips();
    this.strip.reset(this.chips);
  }

  /** Tokens before `length` are a branch's fixed prefix (shown dimmed). */
  markPrefix(length: number): void {
    this.strip.markPrefix(length);
  }

  /** Queues tokens; `first` is the position of `tokens[0]` in the run (prefix + tokens). */
  push(tokens: readonly TranscriptToken[], first: number): void {
    if (tokens.length === 0) return;
    // The panel asks for a snapshot on a gap before it gets here; a mismatch would misplace chips.
    if (first !== this.chips.length) {
      console.warn(`promptscope: tokens at ${first} do not follow the ${this.chips.length} shown; waiting for a snapshot`);
      return;
    }
    for (const token of tokens) this.chips.tokens.push(token);
    this.strip.update();
  }

  /** Draws what is queued now, for up to `budgetMs`; the rest follows on the next frames. */
  flush(budgetMs = 40): void {
    this.strip.flush(budgetMs);
  }

  /** Re-applies colour classes after the colouring mode changed (the strip reads its own tokens; the arguments are the panel's). */
  recolour(_tokens: readonly TranscriptToken[], _offset: number): void {
    this.strip.recolour();
  }
}
