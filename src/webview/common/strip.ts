import { bucketFor, type ColourMode } from './colour';
import { percentOfLogprob, visible } from './format';
import type { FrameScheduler, Renderable } from './frames';
import { t } from './l10n';

/** Elements whose scroll position was just set by the panel itself, not the user. */
export const programmaticScroll = new WeakSet<Element>();

export function scrollToBottom(element: HTMLElement): void {
  if (!element.isConnected) return;
  const target = element.scrollHeight - element.clientHeight;
  if (Math.abs(element.scrollTop - target) < 1) return;
  programmaticScroll.add(element);
  element.scrollTop = target;
}

/** The tokens a strip shows, by position; read when chips are drawn, so they may grow in place. */
export interface ChipSource {
  readonly length: number;
  textAt(i: number): string;
  /** undefined where the server sent no probability. */
  logprob(i: number): number | undefined;
  thinking(i: number): boolean;
  /** Entropy (nats) of the token's alternatives, for the entropy colouring; undefined when unknown. */
  entropy?(i: number): number | undefined;
}

/** What differs between the panels that show token strips. */
export interface StripOptions {
  /** The channel this strip shows; tokens of the other are skipped. */
  channel: 'content' | 'thinking';
  scheduler: FrameScheduler;
  /** The element to fill (the panel's layout made it); else the strip makes a `div.strip`. */
  element?: HTMLElement;
  /** How chips are coloured; probability when not given. */
  mode?: () => ColourMode;
  /**
   * The scrolling element the strip sits in: finished blocks far out of its view hold their text
   * as one plain text node (laid out exactly like their chips) and become chips again as they
   * scroll near, so a 100,000-token reply is not 100,000 elements.
   */
  virtualizeIn?: HTMLElement;
  /** Follow new output in this scroller while `live()` and the user has not scrolled away from the end. */
  follow?: { scroller: HTMLElement; live: () => boolean };
  /** Called after each frame that drew chips. */
  onRendered?: () => void;
}

/** Chips per block: a line break after this many closes the block (layout stays local to the last block)... */
const BLOCK_MIN = 256;
/** ...and without line breaks a block is closed here anyway. */
const BLOCK_MAX = 1024;
/** How often the time budget is checked while drawing. */
const CHECK_EVERY = 64;
/** Recolouring: blocks per frame, so a colour change on a long reply never becomes one long task. */
const RECOLOUR_BLOCKS = 16;

interface Block {
  element: HTMLElement;
  /** Token positions [start, end) this block shows. */
  start: number;
  end: number;
  closed: boolean;
  /** Whether the block holds chips (else one plain text node with the same text). */
  chips: boolean;
}

/**
 * Token chips for one channel of one output, the same in every panel. New tokens are drawn in
 * animation frames within the scheduler's budget, each chip a span whose text is set with
 * textContent (a model's text never becomes markup); nothing already shown is redrawn. Chips go
 * into blocks (`.chunk`) that close at a line break, so a long reply re-lays out its last block
 * only. Keyboard movement (`keys.ts`) and the token card work on the chips' shared shape:
 * `span.tok.pN[data-index][role=button]` with one chip of the strip in the tab order.
 */
export class TokenStrip implements Renderable {
  readonly element: HTMLElement;
  private source: ChipSource;
  private cursor = 0;
  private blocks: Block[] = [];
  private readonly byElement = new WeakMap<Element, Block>();
  private inBlock = 0;
  private endedLine = false;
  private first = -1;
  private prefixLength = 0;
  private following = false;
  /** Whether new output scrolls into view: until the user scrolls away from the end. */
  private atEnd = true;
  private drewThisFrame = false;
  private recolourFrame = 0;
  private readonly observer: IntersectionObserver | undefined;

  constructor(
    source: ChipSource,
    private readonly options: StripOptions,
  ) {
    this.source = source;
    this.element = options.element ?? document.createElement('div');
    this.element.classList.add('strip');
    if (options.channel === 'thinking') this.element.classList.add('thinking');
    const root = options.virtualizeIn;
    if (root !== undefined)
      this.observer = new IntersectionObserver((entries) => this.onVisibility(entries), { root, rootMargin: '150% 0px' });
  }

  /** Empties the strip, to show `source` (another run, or a new snapshot) from its start. */
  reset(source: ChipSource = this.source): void {
    if (this.recolourFrame !== 0) cancelAnimationFrame(this.recolourFrame);
    this.recolourFrame = 0;
    this.observer?.disconnect();
    this.source = source;
    this.cursor = 0;
    this.blocks = [];
    this.inBlock = 0;
    this.endedLine = false;
    this.first = -1;
    this.prefixLength = 0;
    this.atEnd = true;
    this.element.replaceChildren();
  }

  /** Tokens before `length` are a branch's fixed prefix (shown dimmed). */
  markPrefix(length: number): void {
    this.prefixLength = length;
  }

  /** New tokens arrived (or the strip became visible): draw them in the coming frames. */
  update(): void {
    if (this.cursor < this.source.length) this.options.scheduler.request(this);
  }

  /** Draws what has arrived now, for up to `budgetMs`; the rest follows in the next frames. */
  flush(budgetMs = 40): void {
    this.drewThisFrame = false;
    const done = this.render(performance.now() + budgetMs, Number.POSITIVE_INFINITY);
    if (this.drewThisFrame) this.options.onRendered?.();
    if (!done) this.update();
  }

  /** The user scrolled the strip's scroller: follow new output again only from the end. */
  userScrolled(): void {
    const s = this.options.follow?.scroller;
    if (s) this.atEnd = s.scrollHeight - s.scrollTop - s.clientHeight < 32;
  }

  measure(): void {
    // No layout is read here: reading it would force a layout for every strip, every frame.
    this.following = this.options.follow !== undefined && this.atEnd && this.options.follow.live();
    this.drewThisFrame = false;
  }

  render(deadline: number, budget: number): boolean {
    const source = this.source;
    const thinking = this.options.channel === 'thinking';
    const limit = this.cursor + budget;
    while (this.cursor < source.length) {
      if (this.cursor >= limit) return false;
      const stop = Math.min(source.length, limit, this.cursor + CHECK_EVERY);
      const fragment = document.createDocumentFragment();
      for (; this.cursor < stop; this.cursor += 1) {
        const i = this.cursor;
        if (source.thinking(i) !== thinking) continue;
        if (this.first < 0) this.first = i;
        const block = this.openBlock(i, fragment);
        fragment.appendChild(this.chip(i));
        block.end = i + 1;
        this.inBlock += 1;
        this.endedLine = source.textAt(i).endsWith('\n');
        this.drewThisFrame = true;
      }
      this.openBlockElement()?.appendChild(fragment);
      if (performance.now() >= deadline) return this.cursor >= source.length;
    }
    return true;
  }

  settle(): void {
    if (this.following && this.options.follow) scrollToBottom(this.options.follow.scroller);
    if (this.drewThisFrame) this.options.onRendered?.();
  }

  /** Re-applies the colour classes after the colouring mode changed, a few blocks per frame. */
  recolour(): void {
    if (this.recolourFrame !== 0) cancelAnimationFrame(this.recolourFrame);
    const blocks = [...this.blocks];
    let next = 0;
    const step = (): void => {
      this.recolourFrame = 0;
      for (const end = Math.min(blocks.length, next + RECOLOUR_BLOCKS); next < end; next += 1) {
        for (const chip of Array.from(blocks[next]!.element.children) as HTMLElement[])
          chip.className = this.classOf(Number(chip.dataset['index']));
      }
      if (next < blocks.length) this.recolourFrame = requestAnimationFrame(step);
    };
    step();
  }

  dispose(): void {
    if (this.recolourFrame !== 0) cancelAnimationFrame(this.recolourFrame);
    this.observer?.disconnect();
  }

  /** The block the chip at `start` goes into; a full block is closed (its pending chips go in first). */
  private openBlock(start: number, pending: DocumentFragment): Block {
    const last = this.blocks[this.blocks.length - 1];
    const full = this.inBlock >= BLOCK_MAX || (this.inBlock >= BLOCK_MIN && this.endedLine);
    if (last !== undefined && !full) return last;
    if (last !== undefined) {
      last.element.appendChild(pending);
      this.close(last);
    }
    const element = document.createElement('div');
    element.className = 'chunk';
    this.element.appendChild(element);
    const block: Block = { element, start, end: start, closed: false, chips: true };
    this.blocks.push(block);
    this.byElement.set(element, block);
    this.inBlock = 0;
    return block;
  }

  private openBlockElement(): HTMLElement | undefined {
    return this.blocks[this.blocks.length - 1]?.element;
  }

  /** A full block: from now on it may skip layout, or become plain text, while out of sight. */
  private close(block: Block): void {
    block.closed = true;
    block.element.classList.add('closed');
    this.observer?.observe(block.element);
  }

  private onVisibility(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const block = this.byElement.get(entry.target);
      if (block === undefined || !block.closed) continue;
      if (entry.isIntersecting && !block.chips) this.hydrate(block);
      else if (!entry.isIntersecting && block.chips) this.dehydrate(block);
    }
  }

  private hydrate(block: Block): void {
    const fragment = document.createDocumentFragment();
    const thinking = this.options.channel === 'thinking';
    for (let i = block.start; i < block.end; i += 1) if (this.source.thinking(i) === thinking) fragment.appendChild(this.chip(i));
    block.element.replaceChildren(fragment);
    block.chips = true;
  }

  private dehydrate(block: Block): void {
    // Keep the block that holds the keyboard focus as chips.
    if (block.element.contains(document.activeElement)) return;
    const thinking = this.options.channel === 'thinking';
    let text = '';
    for (let i = block.start; i < block.end; i += 1) if (this.source.thinking(i) === thinking) text += visible(this.source.textAt(i));
    block.element.textContent = text;
    block.chips = false;
  }

  private classOf(i: number): string {
    const source = this.source;
    const mode = this.options.mode?.() ?? 'probability';
    const bucket = bucketFor(mode, source.logprob(i), mode === 'entropy' ? source.entropy?.(i) : undefined);
    const text = source.textAt(i);
    return `tok${bucket !== undefined ? ` p${bucket}` : ''}${text.includes('\n') ? ' nl' : ''}${i < this.prefixLength ? ' prefix' : ''}`;
  }

  private chip(i: number): HTMLElement {
    const text = this.source.textAt(i);
    const logprob = this.source.logprob(i);
    const span = document.createElement('span');
    span.className = this.classOf(i);
    span.textContent = visible(text);
    span.dataset['index'] = String(i);
    span.tabIndex = i === this.first ? 0 : -1;
    span.setAttribute('role', 'button');
    const label = text.slice(0, 80);
    span.setAttribute(
      'aria-label',
      logprob !== undefined ? t('chipLabelProbability', i + 1, label, percentOfLogprob(logprob)) : t('chipLabel', i + 1, label),
    );
    return span;
  }
}
