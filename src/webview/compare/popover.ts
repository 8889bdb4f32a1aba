import type { TranscriptToken } from '../../shared/compare-protocol';
import { el, hex, ms, percent, visible } from './format';

/** What the panel knows of a token before asking the host for its alternatives. */
export interface TokenFacts {
  text: string;
  logprob?: number;
  ms: number;
  previousMs?: number;
  thinking: boolean;
}

/**
 * The card shown for a token on hover or focus: its probability and timing at once, then its
 * bytes and alternatives when the host has answered.
 */
export class TokenPopover {
  readonly element: HTMLElement;
  private anchor: HTMLElement | undefined;
  private details: HTMLElement | undefined;

  constructor() {
    this.element = el('div', 'popover');
    this.element.setAttribute('role', 'tooltip');
    this.element.id = 'token-popover';
    this.element.hidden = true;
    document.body.appendChild(this.element);
  }

  show(anchor: HTMLElement, token: TokenFacts, column: string): void {
    if (this.anchor) this.anchor.removeAttribute('aria-describedby');
    this.anchor = anchor;
    anchor.setAttribute('aria-describedby', this.element.id);
    const root = this.element;
    root.replaceChildren();
    const head = el('div', 'pop-head', undefined, root);
    el('code', '', visible(token.text), head);
    el('span', 'pop-col', column, head);
    const facts = el('dl', '', undefined, root);
    const fact = (label: string, value: string): void => {
      el('dt', '', label, facts);
      el('dd', '', value, facts);
    };
    if (token.logprob !== undefined) {
      fact('probability', percent(Math.exp(token.logprob)));
      fact('logprob', token.logprob.toFixed(4));
    } else {
      fact('probability', 'not sent by the server');
    }
    fact('time', token.previousMs === undefined ? ms(token.ms) : `+${ms(token.ms - token.previousMs)}`);
    if (token.thinking) fact('channel', 'reasoning');
    this.details = el('div', 'pop-details', undefined, root);
    el('p', 'muted', token.logprob === undefined ? 'No alternatives for this token.' : 'Alternatives…', this.details);
    root.hidden = false;
    this.place();
  }

  /** The host's answer for the token shown now (ignored if the user moved on). */
  showDetails(anchor: HTMLElement, token: TranscriptToken): void {
    if (anchor !== this.anchor || this.details === undefined || this.element.hidden) return;
    const box = this.details;
    box.replaceChildren();
    if (token.bytes) {
      const bytes = el('dl', '', undefined, box);
      el('dt', '', 'bytes', bytes);
      el('dd', '', hex(token.bytes), bytes);
    }
    if (token.top && token.top.length > 0) {
      const list = el('ol', 'alts', undefined, box);
      list.setAttribute('aria-label', 'alternatives');
      for (const alt of token.top) {
        const item = el('li', alt.text === token.text ? 'alt chosen' : 'alt', undefined, list);
        el('span', 'alt-text', visible(alt.text), item);
        const bar = el('span', 'bar', undefined, item);
        const fill = el('span', 'fill', undefined, bar);
        fill.style.width = `${Math.max(1, Math.min(100, Math.exp(alt.logprob) * 100)).toFixed(1)}%`;
        el('span', 'alt-p', percent(Math.exp(alt.logprob)), item);
      }
    } else {
      el('p', 'muted', 'No alternatives for this token.', box);
    }
    this.place();
  }

  private place(): void {
    const root = this.element;
    const anchor = this.anchor;
    if (!anchor) return;
    const rect = anchor.getBoundingClientRect();
    const width = Math.min(360, window.innerWidth - 16);
    root.style.maxWidth = `${width}px`;
    root.style.left = `${Math.max(8, Math.min(rect.left, window.innerWidth - width - 8))}px`;
    const below = rect.bottom + 4;
    root.style.top = `${below}px`;
    // Flip above the token when the card would leave the window.
    const height = root.offsetHeight;
    if (below + height > window.innerHeight && rect.top - height - 4 > 0) root.style.top = `${rect.top - height - 4}px`;
  }

  hide(): void {
    this.element.hidden = true;
    this.anchor?.removeAttribute('aria-describedby');
    this.anchor = undefined;
    this.details = undefined;
  }

  get visible(): boolean {
    return !this.element.hidden;
  }
}
