import type { TranscriptToken } from '../../shared/compare-protocol';
import { bucketOf, visible } from './format';

/** Something the frame scheduler renders a piece of at a time. */
export interface Renderable {
  /** Reads layout (scroll positions) before anything is written this frame. */
  measure(): void;
  /** Renders until `deadline` (performance.now()); true when nothing is left. */
  render(deadline: number): boolean;
  /** Writes that need the new layout (following the output). */
  settle(): void;
}

/**
 * Renders token chips in the browser's animation frames within a time budget, so a burst of
 * tokens in many columns never becomes one long task: what does not fit is carried over to the
 * next frame. Each renderable gets a fair share of the frame.
 */
export class FrameScheduler {
  private readonly dirty = new Set<Renderable>();
  private frame = 0;

  constructor(private readonly budgetMs = 8) {}

  request(item: Renderable): void {
    this.dirty.add(item);
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.run());
  }

  forget(item: Renderable): void {
    this.dirty.delete(item);
  }

  get pending(): number {
    return this.dirty.size;
  }

  private run(): void {
    this.frame = 0;
    const items = [...this.dirty];
    this.dirty.clear();
    for (const item of items) item.measure();
    const end = performance.now() + this.budgetMs;
    items.forEach((item, k) => {
      const now = performance.now();
      const slice = now + Math.max(0.5, (end - now) / (items.length - k));
      if (!item.render(slice)) this.dirty.add(item);
    });
    for (const item of items) item.settle();
    if (this.dirty.size > 0) this.frame = requestAnimationFrame(() => this.run());
  }
}

/** Elements whose scroll position was just set by the panel itself, not the user. */
export const programmaticScroll = new WeakSet<Element>();

export function scrollToBottom(element: HTMLElement): void {
  if (!element.isConnected) return;
  const target = element.scrollHeight - element.clientHeight;
  if (Math.abs(element.scrollTop - target) < 1) return;
  programmaticScroll.add(element);
  element.scrollTop = target;
}

/** Chips per block: a newline after this many closes the block (layout stays local to the last block). */
const SOFT_CHUNK = 200;
/** Without newlines a block is closed here anyway. */
const HARD_CHUNK = 1500;
const CHECK_EVERY = 64;

/**
 * The token chips of one channel of one cell. Chips go into blocks of a few hundred, so adding
 * tokens to a 100,000-token reply re-lays out one small block, not the whole reply. Every chip's
 * text is set with textContent; nothing already shown is redrawn.
 */
export class TokenStrip implements Renderable {
  readonly element: HTMLElement;
  private cursor = 0;
  private chunk: HTMLElement | undefined;
  private inChunk = 0;
  private chips = 0;
  private follow = false;

  constructor(
    private readonly tokens: () => readonly TranscriptToken[],
    private readonly channel: 'content' | 'thinking',
    /** The scrolling element that follows new output while the cell streams. */
    private readonly scroller: HTMLElement,
    private readonly live: () => boolean,
    private readonly scheduler: FrameScheduler,
  ) {
    this.element = document.createElement('div');
    this.element.className = channel === 'content' ? 'strip' : 'strip thinking';
  }

  get rendered(): number {
    return this.chips;
  }

  /** New tokens arrived (or the strip became visible): render them in the coming frames. */
  update(): void {
    if (this.cursor < this.tokens().length) this.scheduler.request(this);
  }

  /** Whether new output scrolls into view: until the user scrolls away from the end (see `userScrolled`). */
  private atEnd = true;

  /** The user scrolled the cell: follow new output again only from the end. */
  userScrolled(): void {
    const s = this.scroller;
    this.atEnd = s.scrollHeight - s.scrollTop - s.clientHeight < 32;
  }

  measure(): void {
    // No layout is read here: reading it would force a layout for every strip, every frame.
    this.follow = this.atEnd && this.live();
  }

  render(deadline: number): boolean {
    const tokens = this.tokens();
    while (this.cursor < tokens.length) {
      const stop = Math.min(tokens.length, this.cursor + CHECK_EVERY);
      const fragment = document.createDocumentFragment();
      for (; this.cursor < stop; this.cursor += 1) {
        const token = tokens[this.cursor]!;
        if (token.channel !== this.channel) continue;
        fragment.appendChild(this.chip(token, this.cursor));
        this.inChunk += 1;
        if ((this.inChunk >= SOFT_CHUNK && token.text.endsWith('\n')) || this.inChunk >= HARD_CHUNK) {
          this.openChunk().appendChild(fragment);
          this.chunk = undefined;
          this.inChunk = 0;
        }
      }
      if (fragment.hasChildNodes()) this.openChunk().appendChild(fragment);
      if (performance.now() >= deadline) return this.cursor >= tokens.length;
    }
    return true;
  }

  settle(): void {
    if (this.follow) scrollToBottom(this.scroller);
  }

  /** Renders everything now (snapshots in tests, switching views). */
  renderAll(): void {
    this.scheduler.forget(this);
    this.measure();
    this.render(Number.POSITIVE_INFINITY);
    this.settle();
  }

  private openChunk(): HTMLElement {
    if (this.chunk === undefined) {
      this.chunk = document.createElement('div');
      this.chunk.className = 'chunk';
      this.element.appendChild(this.chunk);
    }
    return this.chunk;
  }

  private chip(token: TranscriptToken, index: number): HTMLElement {
    const span = document.createElement('span');
    const bucket = bucketOf(token);
    span.className = bucket === undefined ? 'tok' : `tok p${bucket}`;
    span.textContent = visible(token.text);
    span.setAttribute('data-i', String(index));
    if (this.chips === 0) span.tabIndex = 0;
    this.chips += 1;
    return span;
  }
}
