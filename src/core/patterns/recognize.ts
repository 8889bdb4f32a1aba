/**
 * Finds the catalogue pattern a position in a `.prompt` belongs to, for hovers: the
 * `promptscope.pattern` field, or a structure the catalogue teaches (a reasoning trigger, an
 * OPTIONS heading, Thought/Action/Observation lines, a sample count, an output schema, a system
 * role, a tagged input).
 */
import type { PromptAnalysis } from '../prompt/analyze';
import { containsPosition, type Position, type Range } from '../text/positions';
import { findPattern } from './catalogue';
import { PATTERN_KEY, SAMPLES_KEY } from './compose';
import { COT_TRIGGER, OPTIONS_HEADING_LINE } from './hints';
import type { PromptPattern } from './types';

export interface RecognizedPattern {
  pattern: PromptPattern;
  range: Range;
}

const REACT_LINE = /^[ \t]*(?:Thought|Action|Observation)[ \t]*:/;
const TAG_LINE = /^[ \t]*<\/?[A-Za-z][\w-]*>[ \t]*$/;
const FEW_SHOT_LOOP = /\{\{#each\s+(?:examples|exemplars|shots|demonstrations)\b/;

export function recognizePatternAt(analysis: PromptAnalysis, position: Position): RecognizedPattern | undefined {
  const { layout, frontmatter } = analysis;
  const declared = declaredPattern(analysis);
  for (const [key, pattern] of [
    [PATTERN_KEY, declared],
    [SAMPLES_KEY, findPattern('self-consistency')],
    ['output.schema', findPattern('structured-output')],
  ] as const) {
    const where = frontmatter.keys.get(key);
    if (!where || !pattern) continue;
    const range: Range = where.value ? { start: where.key.start, end: where.value.end } : where.key;
    if (containsPosition(range, position)) return { pattern, range };
  }
  const offset = layout.lines.offsetAt(position);
  if (offset < layout.bodyStart) return undefined;
  const line = layout.lines.lineText(position.line);
  const lineRange: Range = { start: { line: position.line, character: 0 }, end: { line: position.line, character: line.length } };
  const at = (id: string): RecognizedPattern | undefined => {
    const pattern = findPattern(id);
    return pattern ? { pattern, range: lineRange } : undefined;
  };
  if (COT_TRIGGER.test(line)) return declared?.family === 'reasoning' ? { pattern: declared, range: lineRange } : at('zero-shot-cot');
  if (OPTIONS_HEADING_LINE.test(line)) return declared?.family === 'flan' ? { pattern: declared, range: lineRange } : at('flan-nli');
  if (FEW_SHOT_LOOP.test(line)) return declared ? { pattern: declared, range: lineRange } : at('few-shot-cot');
  if (REACT_LINE.test(line)) return at('react');
  if (/\{\{\s*role\s+["']system["']\s*\}\}/.test(line)) return at('role-system');
  if (TAG_LINE.test(line)) return at('delimiters');
  return undefined;
}

/** The pattern named by `promptscope.pattern`, when it is in the catalogue. */
export function declaredPattern(analysis: PromptAnalysis): PromptPattern | undefined {
  const id = analysis.frontmatter.data?.[PATTERN_KEY];
  return typeof id === 'string' ? findPattern(id) : undefined;
}
