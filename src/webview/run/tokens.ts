import type { TranscriptToken } from '../../shared/protocol';
import { bucketFor, entropyOfLogprobs, type ColourMode } from '../common/colour';
import { percentOfLogprob, visible } from '../common/format';
import { t } from '../common/l10n';

/** Work per animation frame while tokens stream in: the page stays responsive at any rate. */
const FRAME_BUDGET_MS = 8;
/** Chips are grouped in blocks that end at a line break (or at most this many chips)... */
const BLOCK_MAX = 1024;
/** ...and hold at least this many, so a block is laid out on its own and off-screen blocks skip layout and paint. */
const BLOCK_MIN = 256;

/**
 * Token chips for one channel of one run. New tokens are queued and appended on animation
 * frames within a time budget, each as a span whose text is set with `textContent`; nothing
 * already shown is redrawn. Chips sit in blocks (`.chunk`, `content-visibility: auto`) that
 * close at a line break, so a long run costs layout for its last block only.
 */
export class TokenStrip {
  /** Batches as they arrived (no per-token objects); `head`/`pos` is where drawing resumes. */
  private queue: { tokens: readonly TranscriptToken[]; first: number }[] = [];
  private head = 0;
  private pos = 0;
  private queued = 0;
  private frame = 0;
  private count = 0;
  private prefixLength = 0;
  private block: HTMLElement | undefined;
  private inBlock = 0;
  private endedLine = false;
  private recolourFrame = 0;

  constructor(
    readonly element: HTMLElement,
    /** The channel this strip shows; tokens of the other are skipped. */
    private readonly channel: TranscriptToken['channel'],
    private readonly mode: () => ColourMode,
    private readonly onRendered: () => void,
  ) {}

  /** Empties the strip (a new snapshot or another run). */
  reset(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    if (this.recolourFrame !== 0) cancelAnimationFrame(this.recolourFrame);
    this.frame = 0;
    this.recolourFrame = 0;
    this.queue = [];
    this.head = 0;
    this.pos = 0;
    this.queued = 0;
    this.count = 0;
    this.prefixLength = 0;
    this.block = undefined;
    this.inBlock = 0;
    this.endedLine = false;
    this.element.replaceChildren();
  }

  /** Tokens before `length` are a branch's fixed prefix (shown dimmed). */
  markPrefix(length: number): void {
    this.prefixLength = length;
  }

  /** Queues tokens; `first` is the position of `tokens[0]` in the run (prefix + tokens). */
  push(tokens: readonly TranscriptToken[], first: number): void {
    if (tokens.length === 0) return;
    this.queue.push({ tokens, first });
    this.queued += tokens.length;
    this.schedule();
  }

  /** Appends what is queued now, for up to `budgetMs`; the rest follows on the next frames. */
  flush(budgetMs = 40): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.drain(budgetMs);
  }

  /** Chips drawn, and tokens of any channel still queued. */
  get size(): number {
    return this.count + this.queued;
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drain(FRAME_BUDGET_MS);
    });
  }

  private drain(budgetMs: number): void {
    if (this.head >= this.queue.length) return;
    const started = performance.now();
    let done = 0;
    while (this.head < this.queue.length) {
      const batch = this.queue[this.head]!;
      const token = batch.tokens[this.pos]!;
      if (token.channel === this.channel) this.append(this.chip(token, batch.first + this.pos), token);
      this.queued--;
      if (++this.pos >= batch.tokens.length) {
        this.head++;
        this.pos = 0;
      }
      if (++done % 64 === 0 && performance.now() - started >= budgetMs) break;
    }
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else {
      this.schedule();
    }
    this.onRendered();
  }

  private append(chip: HTMLElement, token: TranscriptToken): void {
    if (!this.block || this.inBlock >= BLOCK_MAX || (this.inBlock >= BLOCK_MIN && this.endedLine)) {
      this.block = document.createElement('div');
      this.block.className = 'chunk';
      this.element.appendChild(this.block);
      this.inBlock = 0;
    }
    this.block.appendChild(chip);
    this.inBlock++;
    this.endedLine = token.text.endsWith('\n');
  }

  private classFor(token: TranscriptToken, index: number): string {
    const mode = this.mode();
    const bucket = bucketFor(
      mode,
      token.logprob,
      mode === 'entropy' ? entropyOfLogprobs(token.top?.map((a) => a.logprob) ?? []) : undefined,
    );
    return `tok${bucket !== undefined ? ` p${bucket}` : ''}${token.text.includes('\n') ? ' nl' : ''}${index < this.prefixLength ? ' prefix' : ''}`;
  }

  private chip(token: TranscriptToken, index: number): HTMLElement {
    const span = document.createElement('span');
    span.className = this.classFor(token, index);
    span.textContent = visible(token.text);
    span.dataset['index'] = String(index);
    span.tabIndex = this.count === 0 ? 0 : -1;
    const text = token.text.slice(0, 80);
    span.setAttribute(
      'aria-label',
      token.logprob !== undefined
        ? t('chipLabelProbability', index + 1, text, percentOfLogprob(token.logprob))
        : t('chipLabel', index + 1, text),
    );
    span.setAttribute('role', 'button');
    this.count++;
    return span;
  }

  /** Re-applies colour classes after the colouring mode changed, a few blocks per frame. */
  recolour(tokens: readonly TranscriptToken[], offset: number): void {
    if (this.recolourFrame !== 0) cancelAnimationFrame(this.recolourFrame);
    const blocks = Array.from(this.element.children);
    let next = 0;
    const step = (): void => {
      this.recolourFrame = 0;
      const started = performance.now();
      while (next < blocks.length && (next === 0 || performance.now() - started < FRAME_BUDGET_MS)) {
        for (const chip of Array.from(blocks[next++]!.children) as HTMLElement[]) {
          const index = Number(chip.dataset['index']);
          const token = tokens[index - offset];
          if (token) chip.className = this.classFor(token, index);
        }
      }
      if (next < blocks.length) this.recolourFrame = requestAnimationFrame(step);
    };
    step();
  }
}
