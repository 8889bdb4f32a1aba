import { bucketOfLogprob as bucketOf } from '../common/colour';
import { visible } from '../common/format';
import type { FrameScheduler, Renderable } from './frames';
import type { TokenStore } from '../common/store';

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

interface Chunk {
  element: HTMLElement;
  /** Token positions [start, end) this block shows. */
  start: number;
  end: number;
  closed: boolean;
  /** Whether the block holds chips (else one plain text node with the same text). */
  chips: boolean;
}

/**
 * The token chips of one channel of one cell. Chips go into blocks of a few hundred, so adding
 * tokens to a 100,000-token reply re-lays out one small block, not the whole reply; and a
 * finished block far from the visible part of the cell holds its text as one plain text node
 * (laid out exactly like its chips), turned back into chips as it scrolls near. Every chip's
 * text is set with textContent; nothing already shown is redrawn.
 */
export class TokenStrip implements Renderable {
  readonly element: HTMLElement;
  private cursor = 0;
  private readonly chunks: Chunk[] = [];
  private readonly byElement = new WeakMap<Element, Chunk>();
  private inChunk = 0;
  private first = -1;
  private follow = false;
  /** Whether new output scrolls into view: until the user scrolls away from the end. */
  private atEnd = true;
  private readonly observer: IntersectionObserver | undefined;

  constructor(
    private readonly tokens: TokenStore,
    private readonly channel: 'content' | 'thinking',
    /** The scrolling element that holds the strip and follows new output while the cell streams. */
    private readonly scroller: HTMLElement,
    private readonly live: () => boolean,
    private readonly scheduler: FrameScheduler,
  ) {
    this.element = document.createElement('div');
    this.element.className = channel === 'content' ? 'strip' : 'strip thinking';
    // Reasoning sits outside the scroller (in its own details block): only content is virtualized.
    if (channel === 'content') {
      this.observer = new IntersectionObserver((entries) => this.onVisibility(entries), { root: scroller, rootMargin: '150% 0px' });
    }
  }

  /** New tokens arrived (or the strip became visible): render them in the coming frames. */
  update(): void {
    if (this.cursor < this.tokens.length) this.scheduler.request(this);
  }

  /** The user scrolled the cell: follow new output again only from the end. */
  userScrolled(): void {
    const s = this.scroller;
    this.atEnd = s.scrollHeight - s.scrollTop - s.clientHeight < 32;
  }

  measure(): void {
    // No layout is read here: reading it would force a layout for every strip, every frame.
    this.follow = this.atEnd && this.live();
  }

  render(deadline: number, budget: number): boolean {
    const tokens = this.tokens;
    const thinking = this.channel === 'thinking';
    const limit = this.cursor + budget;
    while (this.cursor < tokens.length) {
      if (this.cursor >= limit) return false;
      const stop = Math.min(tokens.length, limit, this.cursor + CHECK_EVERY);
      const fragment = document.createDocumentFragment();
      for (; this.cursor < stop; this.cursor += 1) {
        const i = this.cursor;
        if (tokens.thinking(i) !== thinking) continue;
        const text = tokens.text[i]!;
        if (this.first < 0) this.first = i;
        const chunk = this.openChunk(i);
        fragment.appendChild(this.chip(text, tokens.logprob(i), i));
        chunk.end = i + 1;
        this.inChunk += 1;
        if ((this.inChunk >= SOFT_CHUNK && text.endsWith('\n')) || this.inChunk >= HARD_CHUNK) {
          chunk.element.appendChild(fragment);
          this.close(chunk);
        }
      }
      const open = this.chunks[this.chunks.length - 1];
      if (fragment.hasChildNodes() && open !== undefined) open.element.appendChild(fragment);
      if (performance.now() >= deadline) return this.cursor >= tokens.length;
    }
    return true;
  }

  settle(): void {
    if (this.follow) scrollToBottom(this.scroller);
  }

  private openChunk(start: number): Chunk {
    const last = this.chunks[this.chunks.length - 1];
    if (last !== undefined && !last.closed) return last;
    const element = document.createElement('div');
    element.className = 'chunk';
    this.element.appendChild(element);
    const chunk: Chunk = { element, start, end: start, closed: false, chips: true };
    this.chunks.push(chunk);
    this.byElement.set(element, chunk);
    this.inChunk = 0;
    return chunk;
  }

  /** A full block: from now on it may become plain text while out of sight. */
  private close(chunk: Chunk): void {
    chunk.closed = true;
    chunk.element.classList.add('closed');
    this.observer?.observe(chunk.element);
  }

  private onVisibility(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const chunk = this.byElement.get(entry.target);
      if (chunk === undefined || !chunk.closed) continue;
      if (entry.isIntersecting && !chunk.chips) this.hydrate(chunk);
      else if (!entry.isIntersecting && chunk.chips) this.dehydrate(chunk);
    }
  }

  private hydrate(chunk: Chunk): void {
    const fragment = document.createDocumentFragment();
    const thinking = this.channel === 'thinking';
    for (let i = chunk.start; i < chunk.end; i += 1) {
      if (this.tokens.thinking(i) === thinking) fragment.appendChild(this.chip(this.tokens.text[i]!, this.tokens.logprob(i), i));
    }
    chunk.element.replaceChildren(fragment);
    chunk.chips = true;
  }

  private dehydrate(chunk: Chunk): void {
    // Keep the block that holds the keyboard focus as chips.
    if (chunk.element.contains(document.activeElement)) return;
    const thinking = this.channel === 'thinking';
    let text = '';
    for (let i = chunk.start; i < chunk.end; i += 1) if (this.tokens.thinking(i) === thinking) text += visible(this.tokens.text[i]!);
    chunk.element.textContent = text;
    chunk.chips = false;
  }

  private chip(text: string, logprob: number | undefined, index: number): HTMLElement {
    const span = document.createElement('span');
    const bucket = bucketOf(logprob);
    span.className = bucket === undefined ? 'tok' : `tok p${bucket}`;
    span.textContent = visible(text);
    span.setAttribute('data-i', String(index));
    if (index === this.first) span.tabIndex = 0;
    return span;
  }

  dispose(): void {
    this.observer?.disconnect();
  }
}
