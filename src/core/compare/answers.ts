/**
 * Final answers: which rule extracts them from a prompt's replies, where in the reply the answer
 * sits (so its tokens' probabilities can be read), and when two answers are the same vote.
 *
 * The extraction itself is the pattern catalogue's `extractAnswer`. The rule comes from, in
 * order: the frontmatter's `promptscope.answer` (a rule), the answer rule of the pattern named by
 * `promptscope.pattern`, else the default: the text after "The answer is" / "Answer:", falling
 * back to the whole reply when neither phrase appears (a bare reply such as "42" or "positive").
 * Phrase rules take the last LaTeX `\boxed{…}` first, where maths-tuned models put the result.
 */
import { BOX_OPENER, extractAnswer } from '../patterns/answer';
import { findPattern } from '../patterns/catalogue';
import type { AnswerRule } from '../patterns/types';

/** "answer is" also finds "The final answer is", "My answer is"; "answer:" also "Final answer:" and "**Answer:**". */
export const DEFAULT_ANSWER_PHRASES = ['answer is', 'answer:'] as const;

export interface AnswerSpec {
  rule: AnswerRule;
  /** Whether a reply the rule finds nothing in counts as its whole text (the default rule only). */
  fallbackToWholeText: boolean;
  /** Where the rule came from, for a person. */
  source: string;
}

export class AnswerRuleError extends Error {
  override name = 'AnswerRuleError';
}

/**
 * The answer rule for a prompt from its extension fields (`rendered.ext.promptscope`).
 * `promptscope.answer` may be `first-line`, `whole-text`, `json:<field>`, `after:<phrase>` (or a
 * list of phrases), or a rule object `{kind, …}` as the pattern catalogue writes them.
 */
export function answerSpecFor(ext: Record<string, unknown> | undefined): AnswerSpec {
  const declared = ext?.['answer'];
  if (declared !== undefined) return { rule: ruleFrom(declared), fallbackToWholeText: false, source: 'promptscope.answer' };
  const patternId = ext?.['pattern'];
  if (typeof patternId === 'string') {
    const rule = findPattern(patternId)?.answer;
    if (rule !== undefined) return { rule, fallbackToWholeText: false, source: `pattern ${patternId}` };
  }
  return { rule: { kind: 'after-phrase', phrases: DEFAULT_ANSWER_PHRASES }, fallbackToWholeText: true, source: 'default' };
}

function ruleFrom(value: unknown): AnswerRule {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string') && value.length > 0)
    return { kind: 'after-phrase', phrases: value as string[] };
  if (typeof value === 'string') {
    const v = value.trim();
    if (v === 'first-line' || v === 'whole-text') return { kind: v };
    if (v.startsWith('json:') && v.length > 5) return { kind: 'json-field', field: v.slice(5).trim() };
    if (v.startsWith('after:') && v.length > 6) return { kind: 'after-phrase', phrases: [v.slice(6).trim()] };
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (o['kind'] === 'first-line' || o['kind'] === 'whole-text') return { kind: o['kind'] };
    if (o['kind'] === 'json-field' && typeof o['field'] === 'string') return { kind: 'json-field', field: o['field'] };
    if (o['kind'] === 'after-phrase' && Array.isArray(o['phrases']) && o['phrases'].every((p) => typeof p === 'string')) {
      return { kind: 'after-phrase', phrases: o['phrases'] as string[] };
    }
  }
  throw new AnswerRuleError(
    `promptscope.answer must be first-line, whole-text, json:<field>, after:<phrase> or a list of phrases, not ${JSON.stringify(value)}`,
  );
}

export interface ExtractedAnswer {
  answer: string;
  /** The answer's span in the reply, when it appears there verbatim. */
  start?: number;
  end?: number;
}

/** The final answer of a reply and where it is; undefined when the rule finds none. */
export function findAnswer(spec: AnswerSpec, text: string): ExtractedAnswer | undefined {
  let answer = extractAnswer(spec.rule, text);
  let rule = spec.rule;
  if (answer === undefined && spec.fallbackToWholeText) {
    rule = { kind: 'whole-text' };
    answer = extractAnswer(rule, text);
  }
  if (answer === undefined) return undefined;
  const at = locate(text, answer, anchor(rule, text));
  return at < 0 ? { answer } : { answer, start: at, end: at + answer.length };
}

/** Where to start looking for the answer's text: after the last phrase, after the JSON key. */
function anchor(rule: AnswerRule, text: string): number {
  if (rule.kind === 'after-phrase') {
    // The rule prefers the last box (see extractAnswer): its answer is inside it.
    const box = text.lastIndexOf(BOX_OPENER);
    if (box >= 0) return box + BOX_OPENER.length;
    const lower = text.toLowerCase();
    let best = -1;
    for (const phrase of rule.phrases) {
      const at = lower.lastIndexOf(phrase.toLowerCase());
      if (at >= 0 && at + phrase.length > best) best = at + phrase.length;
    }
    return Math.max(0, best);
  }
  if (rule.kind === 'json-field') {
    const key = text.indexOf(JSON.stringify(rule.field));
    return key < 0 ? 0 : key + rule.field.length + 2;
  }
  return 0;
}

function locate(text: string, answer: string, from: number): number {
  if (answer === '') return -1;
  const after = text.indexOf(answer, from);
  return after >= 0 ? after : text.indexOf(answer);
}

/**
 * The form answers are compared and voted in: Unicode-normalized, trimmed, lower-case, single
 * spaces, no closing full stop; numbers in their plain form ("1,000.0" and "1000" are one vote).
 */
export function normalizeAnswer(answer: string): string {
  let s = answer.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  s = s.replace(/[.。]+$/, '').trim();
  const numeric = s.replace(/^\$/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(numeric)) {
    const n = Number(numeric);
    if (Number.isFinite(n)) return String(n);
  }
  return s;
}
