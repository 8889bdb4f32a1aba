import { findPattern } from './catalogue';
import type { AnswerRule } from './types';

/** Labels a model may put before a one-line answer ("Answer: yes"), removed by `first-line`. */
const ANSWER_LABEL = /^(?:answer|a|label|答案|回答)\s*[:：]\s*/i;

/**
 * Pulls the final answer out of a model reply by a pattern's rule (given by pattern id or as the
 * rule itself). Returns undefined when the rule finds nothing — a reply without the answer
 * phrase is a miss, not an empty answer, so votes and comparisons can count it separately.
 */
export function extractAnswer(patternOrRule: string | AnswerRule, text: string): string | undefined {
  const rule = typeof patternOrRule === 'string' ? findPattern(patternOrRule)?.answer : patternOrRule;
  if (!rule)
    throw new Error(typeof patternOrRule === 'string' ? `No answer rule for pattern "${patternOrRule}".` : 'No answer rule given.');
  switch (rule.kind) {
    case 'after-phrase': {
      // Math-tuned models (Qwen2.5-Math, DeepSeek-R1 and the like) box the result in LaTeX,
      // "The answer is $\boxed{19}$" or a bare "\boxed{19}" on its own line: the last box holds
      // the final answer wherever the phrase is.
      return lastBoxed(text) ?? afterLastPhrase(text, rule.phrases);
    }
    case 'first-line': {
      const line = text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .find((l) => l.length > 0);
      return line === undefined ? undefined : tidy(line.replace(/^[-*]\s+/, '').replace(ANSWER_LABEL, ''));
    }
    case 'json-field': {
      const value = jsonObjectIn(text)?.[rule.field];
      if (value === undefined || value === null) return undefined;
      return typeof value === 'string' ? value.trim() : JSON.stringify(value);
    }
    case 'whole-text': {
      const trimmed = text.trim();
      return trimmed.length > 0 ? trimmed : undefined;
    }
  }
}

function afterLastPhrase(text: string, phrases: readonly string[]): string | undefined {
  const lower = text.toLowerCase();
  let best: { at: number; length: number } | undefined;
  for (const phrase of phrases) {
    const at = lower.lastIndexOf(phrase.toLowerCase());
    if (at >= 0 && (!best || at > best.at)) best = { at, length: phrase.length };
  }
  if (!best) return undefined;
  const rest = text.slice(best.at + best.length);
  const line = rest.split(/\r?\n/)[0] ?? '';
  // The phrase may sit inside emphasis ("**Answer:** 42"): its closing marker is not part of the answer.
  const answer = tidy(line.replace(/^\s*[:：]/, '').replace(/^[*_]{1,2}(?=\s)/, ''));
  return answer.length > 0 ? answer : undefined;
}

/** LaTeX's box, in which maths-tuned models put a final answer. */
export const BOX_OPENER = '\\boxed{';

/** The contents of the last `\boxed{…}` (braces nested inside it are kept); undefined without one. */
function lastBoxed(text: string): string | undefined {
  const at = text.lastIndexOf(BOX_OPENER);
  if (at < 0) return undefined;
  let depth = 1;
  const from = at + BOX_OPENER.length;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      const inside = tidy(text.slice(from, i));
      return inside.length > 0 ? inside : undefined;
    }
  }
  return undefined; // an unclosed box (a reply cut off mid-answer) holds no answer yet
}

/** Removes the decoration models put around a short answer: bold, quotes, maths delimiters, a closing full stop. */
function tidy(answer: string): string {
  let s = answer.trim();
  // Repeat: decorations nest in any order ("**19**." or "\"suitcase\".").
  for (let previous = ''; previous !== s;) {
    previous = s;
    s = s.replace(/^\*\*(.*)\*\*$/, '$1').trim();
    s = s.replace(/^["'“‘「](.*)["'”’」]$/, '$1').trim();
    // Inline maths "$19$", "\(19\)", "\[19\]"; a lone "$5" is money and keeps its sign.
    s = s
      .replace(/^\$(.+)\$$/, '$1')
      .replace(/^\\\((.*)\\\)$/, '$1')
      .replace(/^\\\[(.*)\\\]$/, '$1')
      .trim();
    // A final full stop is punctuation, but the dot in "3.5" is not.
    s = s.replace(/[.。!！]+$/, '').trim();
  }
  return s;
}

/** The first JSON object in the text, also when it sits inside a ```json fence or prose. */
function jsonObjectIn(text: string): Record<string, unknown> | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    const parsed: unknown = JSON.parse(text.slice(start, end + 1));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
