import type { CompareMetric } from '../../shared/compare-protocol';

/** Ten colour buckets, CSS classes `p0` (unlikely) … `p9` (certain); undefined without a probability. */
export function bucketOf(logprob: number | undefined): number | undefined {
  if (logprob === undefined || !Number.isFinite(logprob)) return undefined;
  return Math.max(0, Math.min(9, Math.floor(Math.exp(logprob) * 10)));
}

export function percent(probability: number): string {
  const p = probability * 100;
  return p >= 99.95 ? '100%' : p < 0.1 ? '<0.1%' : `${p.toFixed(1)}%`;
}

/** Whitespace and invisible characters made visible inside a token chip. */
export function visible(text: string): string {
  if (text === '') return '∅';
  return text
    .replace(/\n/g, '↵\n')
    .replace(/\t/g, '⇥')
    .replace(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

export function hex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

export const METRIC_LABELS: Readonly<Record<CompareMetric, string>> = {
  tokens: 'tokens',
  ttftMs: 'first token',
  tokensPerSecond: 'tokens/s',
  meanLogprob: 'mean logprob',
  length: 'length (chars)',
};

export function metricText(metric: CompareMetric, value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (metric === 'ttftMs') return ms(value);
  if (metric === 'meanLogprob') return value.toFixed(3);
  if (metric === 'tokensPerSecond') return value.toFixed(1);
  return String(Math.round(value));
}

/** Shortens a text for a label; the full text goes in a title. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Creates an element with a class and, optionally, text (always as textContent). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text?: string, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  parent?.append(e);
  return e;
}
