import type { TranscriptToken } from '../../shared/protocol';

export type ColourMode = 'probability' | 'entropy' | 'off';

/** Ten colour buckets; CSS classes `p0`…`p9` (low → high confidence). */
export function bucketFor(token: TranscriptToken, mode: ColourMode): number | undefined {
  if (mode === 'off') return undefined;
  if (mode === 'probability') {
    if (token.logprob === undefined) return undefined;
    return Math.min(9, Math.floor(Math.exp(token.logprob) * 10));
  }
  const h = entropyOf(token);
  if (h === undefined) return undefined;
  // High entropy = uncertain = low bucket. ln(20) is the most 20 alternatives can reach.
  return Math.max(0, 9 - Math.min(9, Math.floor((h / Math.log(20)) * 10)));
}

export function entropyOf(token: TranscriptToken): number | undefined {
  const top = token.top;
  if (!top || top.length === 0) return undefined;
  const probs = top.map((a) => Math.exp(a.logprob));
  const total = probs.reduce((s, p) => s + p, 0);
  if (!(total > 0)) return undefined;
  return -probs.reduce((s, p) => (p > 0 ? s + (p / total) * Math.log(p / total) : s), 0);
}

export function percent(logprob: number): string {
  const p = Math.exp(logprob) * 100;
  return p >= 99.95 ? '100%' : p < 0.1 ? '<0.1%' : `${p.toFixed(1)}%`;
}

/** Makes whitespace and control characters visible inside a token chip. */
export function visible(text: string): string {
  if (text === '') return '∅';
  return text.replace(/\n/g, '↵\n').replace(/\t/g, '⇥').replace(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/** As `visible`, with leading and trailing spaces shown as ␣ (they matter when tokens are compared). */
export function spaced(text: string): string {
  return visible(text).replace(/^ +| +$/g, (m) => '\u2423'.repeat(m.length));
}

export function hex(bytes: readonly number[]): string {
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

export function ms(value: number | undefined): string {
  if (value === undefined) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}
