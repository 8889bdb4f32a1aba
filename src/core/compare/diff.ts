/**
 * Word-level diff of a column's reply against a baseline reply: a longest common subsequence of
 * word tokens (words, runs of whitespace, single punctuation marks; each CJK character is a
 * word), computed with Myers' O((N+M)·D) algorithm after trimming the common prefix and suffix.
 * Very different long texts (more than `maxEdits` edits) get a coarse diff instead, flagged
 * `approximate`, so a grid of long replies never stalls the UI.
 */

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

/** The shortest edit script from a to b, or undefined past `maxEdits` edits. */
function myers(a: readonly string[], b: readonly string[], maxEdits: number): [DiffOp, string][] | undefined {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((t) => ['insert', t]);
  if (m === 0) return a.map((t) => ['delete', t]);
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3).fill(-1);
  v[offset + 1] = 0;
  // trace[d] holds v for k in [-d-1, d+1] as it was before step d.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, maxEdits); d += 1) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b);
    }
  }
  return undefined;
}

function backtrack(trace: readonly Int32Array[], a: readonly string[], b: readonly string[]): [DiffOp, string][] {
  const out: [DiffOp, string][] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d -= 1) {
    const v = trace[d]!;
    const at = (k: number): number => v[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push(['equal', a[x - 1]!]);
      x -= 1;
      y -= 1;
    }
    if (d > 0) {
      if (x === prevX) out.push(['insert', b[prevY]!]);
      else out.push(['delete', a[prevX]!]);
    }
    x = prevX;
    y = prevY;
  }
  return out.reverse();
}

/** The compared text rebuilt from a diff (equal + insert); the baseline is equal + delete. */
export function sideOf(parts: readonly DiffPart[], side: 'baseline' | 'compared'): string {
  return parts.filter((p) => p.op === 'equal' || p.op === (side === 'baseline' ? 'delete' : 'insert')).map((p) => p.text).join('');
}
