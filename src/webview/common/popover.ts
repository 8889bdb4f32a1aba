import { el, percentOfLogprob, spaced } from './format';
import { placeCard } from './placement';

export interface CardFact {
  label: string;
  value: string;
}

export interface CardAlternative {
  text: string;
  logprob: number;
}

/** What the card says about a token: its text, an optional source (a column), facts. */
export interface CardSummary {
  text: string;
  source?: string;
  facts: readonly CardFact[];
}

/** The token's alternatives; with `pick`, each one is a button (the run panel branches on it). */
export interface CardAlternatives {
  chosen: string;
  alternatives: readonly CardAlternative[];
  facts?: readonly CardFact[];
  pick?: (text: string) => void;
}

/** The card's own words, from the panel's localized strings. */
export interface CardWords {
  label: string;
  alternatives: string;
  none: string;
  chosenTitle: string;
  pickTitle: string;
  pickHint: string;
}

const WIDTH = 360;

/**
 * The card shown for a token (hover, focus, Enter): facts at once, alternatives when known.
 * One dialog per page, placed in the viewport next to its token (below, above or beside it);
 * Escape closes it and gives the focus back to the token.
 */
export class TokenCard {
  readonly element: HTMLElement;
  private anchor: HTMLElement | undefined;
  private details: HTMLElement | undefined;
  private factList: HTMLElement | undefined;
  private returning = false;

  constructor(private readonly words: CardWords) {
    this.element = el('div', 'popover');
    this.element.id = 'token-card';
    this.element.setAttribute('role', 'dialog');
    this.element.setAttribute('aria-label', words.label);
    this.element.hidden = true;
    this.element.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      const anchor = this.anchor;
      this.hide();
      this.returning = true;
      anchor?.focus();
      this.returning = false;
    });
    document.body.appendChild(this.element);
    // Escape closes the card wherever the focus is (the token keeps it, or gets it back).
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.visible && !this.element.contains(e.target as Node)) this.hide();
    });
    // A click elsewhere closes it; a click on a token opens that token's card instead.
    document.addEventListener('click', (e) => {
      const target = e.target;
      if (this.visible && target instanceof Element && !this.element.contains(target) && !target.classList.contains('tok')) this.hide();
    });
    // Any scroll (the page's or a panel's own scroller) moves the token: the card follows it.
    window.addEventListener('scroll', () => this.place(), { capture: true, passive: true });
  }

  /** Whether the focus is going back to a token because the card closed (it should not reopen). */
  get returningFocus(): boolean {
    return this.returning;
  }

  /** The token the card is shown for. */
  get shownFor(): HTMLElement | undefined {
    return this.element.hidden ? undefined : this.anchor;
  }

  show(anchor: HTMLElement, summary: CardSummary, pending: string | undefined): void {
    this.anchor?.removeAttribute('aria-describedby');
    this.anchor = anchor;
    anchor.setAttribute('aria-describedby', this.element.id);
    const root = this.element;
    root.replaceChildren();
    const head = el('div', 'pop-head', undefined, root);
    el('code', '', spaced(summary.text), head);
    if (summary.source !== undefined) el('span', 'pop-col', summary.source, head);
    this.factList = el('dl', '', undefined, root);
    this.facts(summary.facts);
    this.details = el('div', 'pop-details', undefined, root);
    if (pending !== undefined) el('p', 'muted', pending, this.details);
    root.hidden = false;
    this.place();
  }

  /** Alternatives for the token shown now (ignored when the user has moved on). */
  showAlternatives(anchor: HTMLElement, found: CardAlternatives, focusFirst = false): void {
    if (anchor !== this.anchor || this.details === undefined || this.element.hidden) return;
    const box = this.details;
    box.replaceChildren();
    if (found.facts) this.facts(found.facts);
    if (found.alternatives.length === 0) {
      el('p', 'muted', this.words.none, box);
    } else {
      const list = el('ol', 'alts', undefined, box);
      list.setAttribute('aria-label', this.words.alternatives);
      for (const alt of found.alternatives) this.alternative(alt, found, list);
      if (found.pick) el('p', 'pop-hint', this.words.pickHint, box);
    }
    this.place();
    if (focusFirst) box.querySelector<HTMLButtonElement>('button.alt')?.focus();
  }

  /** Adds facts to the card's one list of facts. */
  private facts(facts: readonly CardFact[]): void {
    const list = this.factList;
    if (!list) return;
    for (const fact of facts) {
      el('dt', '', fact.label, list);
      el('dd', '', fact.value, list);
    }
  }

  private alternative(alt: CardAlternative, found: CardAlternatives, list: HTMLElement): void {
    const chosen = alt.text === found.chosen;
    const item = el('li', '', undefined, list);
    const pick = found.pick;
    const row = pick ? el('button', 'alt', undefined, item) : item;
    row.classList.add('alt');
    if (chosen) row.classList.add('chosen');
    if (pick) {
      row.title = chosen ? this.words.chosenTitle : this.words.pickTitle;
      row.addEventListener('click', () => pick(alt.text));
    }
    el('span', 'alt-text', spaced(alt.text), row);
    const bar = el('span', 'bar', undefined, row);
    el('span', 'fill', undefined, bar).style.width = `${Math.max(1, Math.min(100, Math.exp(alt.logprob) * 100)).toFixed(1)}%`;
    el('span', 'alt-p', percentOfLogprob(alt.logprob), row);
  }

  /** Puts the card next to its token, inside the viewport; hides it once the token is out of view. */
  place(): void {
    const anchor = this.anchor;
    if (!anchor || this.element.hidden) return;
    const rect = anchor.getBoundingClientRect();
    if (!anchor.isConnected || !inView(anchor, rect)) {
      this.hide();
      return;
    }
    const root = this.element;
    const width = Math.min(WIDTH, window.innerWidth - 16);
    root.style.maxWidth = `${width}px`;
    // Measured at its natural height (up to the stylesheet's limit), then fitted to the room it gets.
    root.style.maxHeight = '';
    const at = placeCard(rect, root.offsetWidth, root.offsetHeight, window.innerWidth, window.innerHeight);
    root.style.maxHeight = `${Math.floor(Math.min(at.maxHeight, root.offsetHeight))}px`;
    root.style.left = `${at.left}px`;
    root.style.top = `${at.top}px`;
    root.dataset['side'] = at.side;
    root.dataset['align'] = at.align;
  }

  hide(): void {
    this.element.hidden = true;
    this.anchor?.removeAttribute('aria-describedby');
    this.anchor = undefined;
    this.details = undefined;
    this.factList = undefined;
  }

  get visible(): boolean {
    return !this.element.hidden;
  }
}

/** The token can be seen: inside the window and not scrolled out of any scroller around it (a cell's body, the output). */
function inView(anchor: HTMLElement, rect: DOMRect): boolean {
  if (rect.bottom < 0 || rect.top > window.innerHeight) return false;
  for (let box = anchor.parentElement; box !== null && box !== document.body; box = box.parentElement) {
    if (!/auto|scroll|hidden/.test(getComputedStyle(box).overflowY)) continue;
    const clip = box.getBoundingClientRect();
    if (rect.bottom <= clip.top || rect.top >= clip.bottom) return false;
  }
  return true;
}
