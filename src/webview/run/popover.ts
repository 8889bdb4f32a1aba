import type { TranscriptToken } from '../../shared/protocol';
import { hex, isPartialUtf8, ms, percent, spaced } from './format';

/** The alternatives card for one token: probabilities as bars, bytes, timing; click to branch. */
export class AlternativesPopover {
  readonly element: HTMLElement;
  private anchor: HTMLElement | undefined;

  constructor(
    private readonly onBranch: (tokenIndex: number, alternative: string) => void,
    private readonly returnFocus: (anchor: HTMLElement) => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'popover';
    this.element.setAttribute('role', 'dialog');
    this.element.hidden = true;
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        this.hide();
        if (this.anchor) this.returnFocus(this.anchor);
      }
    });
    document.body.appendChild(this.element);
  }

  show(anchor: HTMLElement, token: TranscriptToken, index: number, previousMs: number | undefined, focusFirst: boolean): void {
    this.anchor = anchor;
    const el = this.element;
    el.replaceChildren();
    const head = document.createElement('div');
    head.className = 'pop-head';
    const text = document.createElement('code');
    text.textContent = spaced(token.text);
    head.append(text);
    el.append(head);

    const facts = document.createElement('dl');
    const fact = (label: string, value: string): void => {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      facts.append(dt, dd);
    };
    if (token.logprob !== undefined) {
      fact('probability', percent(token.logprob));
      fact('logprob', token.logprob.toFixed(4));
    }
    if (token.bytes) fact('bytes', `${hex(token.bytes)}${isPartialUtf8(token.bytes) ? ' (part of a character)' : ''}`);
    fact('time', previousMs === undefined ? ms(token.ms) : `+${ms(token.ms - previousMs)}`);
    el.append(facts);

    if (token.top && token.top.length > 0) {
      const list = document.createElement('ol');
      list.className = 'alts';
      list.setAttribute('aria-label', 'alternatives');
      for (const alt of token.top) {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.className = 'alt';
        button.title = alt.text === token.text ? 'the chosen token' : 'continue from here with this token';
        const label = document.createElement('span');
        label.className = 'alt-text';
        label.textContent = spaced(alt.text);
        const bar = document.createElement('span');
        bar.className = 'bar';
        const fill = document.createElement('span');
        fill.className = 'fill';
        fill.style.width = `${Math.max(1, Math.exp(alt.logprob) * 100).toFixed(1)}%`;
        bar.append(fill);
        const p = document.createElement('span');
        p.className = 'alt-p';
        p.textContent = percent(alt.logprob);
        button.append(label, bar, p);
        if (alt.text === token.text) button.classList.add('chosen');
        button.addEventListener('click', () => this.onBranch(index, alt.text));
        item.append(button);
        list.append(item);
      }
      el.append(list);
      const hint = document.createElement('p');
      hint.className = 'pop-hint';
      hint.textContent = 'Click an alternative to branch: the run continues from here with it.';
      el.append(hint);
    } else {
      const none = document.createElement('p');
      none.className = 'muted';
      none.textContent = 'No alternatives for this token.';
      el.append(none);
    }
    el.hidden = false;
    const rect = anchor.getBoundingClientRect();
    const width = Math.min(360, window.innerWidth - 16);
    el.style.maxWidth = `${width}px`;
    el.style.left = `${Math.max(8, Math.min(rect.left, window.innerWidth - width - 8))}px`;
    el.style.top = `${rect.bottom + window.scrollY + 4}px`;
    if (focusFirst) el.querySelector<HTMLButtonElement>('button.alt')?.focus();
  }

  /** Keeps the card by its token when the output scrolls; hides it once the token is out of view. */
  follow(viewport: DOMRect): void {
    if (!this.visible || !this.anchor) return;
    const rect = this.anchor.getBoundingClientRect();
    if (rect.bottom < viewport.top || rect.top > viewport.bottom) {
      this.hide();
      return;
    }
    this.element.style.top = `${rect.bottom + window.scrollY + 4}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }

  get visible(): boolean {
    return !this.element.hidden;
  }
}
