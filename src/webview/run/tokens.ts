import type { TranscriptToken } from '../../shared/protocol';
import { bucketFor, percent, visible, type ColourMode } from './format';

/**
 * Token chips for one channel of one run. New tokens are queued and appended once per animation
 * frame, each as a span whose text is set with `textContent`; nothing already shown is redrawn.
 */
export class TokenStrip {
  private readonly queue: { token: TranscriptToken; index: number }[] = [];
  private frame = 0;
  private count = 0;
  private prefixLength = 0;

  constructor(
    readonly element: HTMLElement,
    private readonly mode: () => ColourMode,
    private readonly onRendered: () => void,
  ) {}

  /** Empties the strip (a new snapshot or another run). */
  reset(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.queue.length = 0;
    this.count = 0;
    this.prefixLength = 0;
    this.element.replaceChildren();
  }

  /** Tokens before `length` are a branch's fixed prefix (shown dimmed). */
  markPrefix(length: number): void {
    this.prefixLength = length;
  }

  /** Queues tokens; `index` is the token's position in the run (prefix + tokens). */
  push(token: TranscriptToken, index: number): void {
    this.queue.push({ token, index });
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Appends everything queued now (tests and snapshots use it to avoid waiting for a frame). */
  flush(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.queue.length === 0) return;
    const fragment = document.createDocumentFragment();
    for (const { token, index } of this.queue.splice(0)) fragment.appendChild(this.chip(token, index));
    this.element.appendChild(fragment);
    this.onRendered();
  }

  get size(): number {
    return this.count + this.queue.length;
  }

  private chip(token: TranscriptToken, index: number): HTMLElement {
    const span = document.createElement('span');
    span.className = 'tok';
    span.textContent = visible(token.text);
    span.dataset['index'] = String(index);
    span.tabIndex = this.count === 0 ? 0 : -1;
    const bucket = bucketFor(token, this.mode());
    if (bucket !== undefined) span.classList.add(`p${bucket}`);
    if (token.text.includes('\n')) span.classList.add('nl');
    if (index < this.prefixLength) span.classList.add('prefix');
    const probability = token.logprob !== undefined ? `, probability ${percent(token.logprob)}` : '';
    span.setAttribute('aria-label', `token ${index + 1}: ${token.text.slice(0, 80)}${probability}`);
    span.setAttribute('role', 'button');
    this.count++;
    return span;
  }

  /** Re-applies colour classes after the colouring mode changed. */
  recolour(tokens: readonly TranscriptToken[], offset: number): void {
    for (const span of Array.from(this.element.querySelectorAll<HTMLElement>('.tok'))) {
      const token = tokens[Number(span.dataset['index']) - offset];
      for (let b = 0; b < 10; b++) span.classList.remove(`p${b}`);
      const bucket = token ? bucketFor(token, this.mode()) : undefined;
      if (bucket !== undefined) span.classList.add(`p${bucket}`);
    }
  }
}
