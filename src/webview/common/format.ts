/**
 * Formatting shared by the panels. Each function is named by the unit it takes: a probability
 * (0…1) is never confused with a log-probability (natural log, ≤ 0).
 */

/** A probability (0…1) as a percentage: `42.0%`, `<0.1%`, `100%`. */
export function percentOfProbability(probability: number): string {
  if (!Number.isFinite(probability)) return '–';
  const p = probability * 100;
  return p >= 99.95 ? '100%' : p < 0.1 ? '<0.1%' : `${p.toFixed(1)}%`;
}

/** A log-probability (natural log) as a percentage. */
export function percentOfLogprob(logprob: number): string {
  return percentOfProbability(Math.exp(logprob));
}

/** Milliseconds as `850 ms` or `1.25 s`; `–` when unknown. */
export function durationOfMs(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

/** Whitespace and invisible characters made visible inside a token chip. */
export function visible(text: string): string {
  if (text === '') return '∅';
  return text
    .replace(/\n/g, '↵\n')
    .replace(/\t/g, '⇥')
    .replace(
      /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g,
      (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`,
    );
}

/** As `visible`, with leading and trailing spaces shown as ␣ (they matter when tokens are compared). */
export function spaced(text: string): string {
  return visible(text).replace(/^ +| +$/g, (m) => '\u2423'.repeat(m.length));
}

/** Bytes as hexadecimal pairs. */
export function hexOfBytes(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Whether bytes form an incomplete UTF-8 sequence (a piece of a character). */
export function isPartialUtf8(bytes: readonly number[]): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
    return false;
  } catch {
    return true;
  }
}

/** Shortens a text for a label (whitespace folded); the full text goes in a title. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Creates an element with a class and, optionally, text (always as textContent). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text?: string,
  parent?: HTMLElement,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  parent?.append(e);
  return e;
}
