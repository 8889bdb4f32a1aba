/**
 * Word-level diff of a column's reply against a baseline reply: a longest common subsequence of
 * word tokens (words, runs of whitespace, single punctuation marks; each CJK character is a
 * word), computed by jsdiff's Myers O((N+M)·D) diff after trimming the common prefix and suffix.
 * Very different long texts (more than `maxEdits` edits) get a coarse diff instead, flagged
 * `approximate`, so a grid of long replies never stalls the UI.
 */

import { diffArrays } from 'diff';

export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffPart {
  /** `insert`: only in the compared text; `delete`: only in the baseline. */
  op: DiffOp;
  text: string;
}

export interface WordDiff {
  parts: DiffPart[];
  /** Words (not whitespace) inserted plus deleted. */
  changedWords: number;
  /** 2 × common words / (words in both texts): 1 for identical texts. */
  similarity: number;
  approximate: boolean;
}

const TOKEN = /\s+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{N}\p{M}_'’]+|[^\s]/gu;

export function wordTokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function diffWords(baseline: string, compared: string, options: { maxEdits?: number } = {}): WordDiff {
  const a = wordTokens(baseline);
  const b = wordTokens(compared);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix += 1;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix += 1;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);

  const edits: [DiffOp, string][] = a.slice(0, prefix).map((t) => ['equal', t]);
  const middle = myers(midA, midB, options.maxEdits ?? 2000);
  const approximate = middle === undefined;
  if (middle === undefined) {
    for (const t of midA) edits.push(['delete', t]);
    for (const t of midB) edits.push(['insert', t]);
  } else {
    edits.push(...middle);
  }
  for (const t of a.slice(a.length - suffix)) edits.push(['equal', t]);

  const parts: DiffPart[] = [];
  let changedWords = 0;
  let common = 0;
  for (const [op, text] of edits) {
    const isWord = !/^\s+$/.test(text);
    if (isWord) {
      if (op === 'equal') common += 1;
      else changedWords += 1;
    }
    const last = parts[parts.length - 1];
    if (last !== undefined && last.op === op) last.text += text;
    else parts.push({ op, text });
  }
  const words = a.filter((t) => !/^\s+$/.test(t)).length + b.filter((t) => !/^\s+$/.test(t)).length;
  return { parts, changedWords, similarity: words === 0 ? 1 : (2 * common) / words, approximate };
}

/** The shortest edit script from a to b (jsdiff's Myers diff over our tokens), or undefined past `maxEdits` edits. */
function myers(a: readonly string[], b: readonly string[], maxEdits: number): [DiffOp, string][] | undefined {
  if (a.length === 0) return b.map((t) => ['insert', t]);
  if (b.length === 0) return a.map((t) => ['delete', t]);
  const changes = diffArrays([...a], [...b], { maxEditLength: maxEdits });
  if (changes === undefined) return undefined;
  const out: [DiffOp, string][] = [];
  for (const change of changes) {
    const op: DiffOp = change.added ? 'insert' : change.removed ? 'delete' : 'equal';
    for (const token of change.value) out.push([op, token]);
  }
  return out;
}

/** The compared text rebuilt from a diff (equal + insert); the baseline is equal + delete. */
export function sideOf(parts: readonly DiffPart[], side: 'baseline' | 'compared'): string {
  return parts
    .filter((p) => p.op === 'equal' || p.op === (side === 'baseline' ? 'delete' : 'insert'))
    .map((p) => p.text)
    .join('');
}
