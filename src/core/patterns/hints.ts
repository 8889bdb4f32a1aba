/**
 * Pattern hints: information-level findings about how a prompt uses the catalogue's patterns,
 * each with a quick fix. Pure: they read an analysis and return diagnostics with edits.
 */
import type { PromptAnalysis } from '../prompt/analyze';
import type { PromptDiagnostic } from '../prompt/diagnostic';
import type { Range } from '../text/positions';
import { ANSWER_STEP_KEY, SAMPLES_KEY } from './compose';
import { ANSWER_PHRASE } from './reasoning-cot';

export interface TextEdit {
  range: Range;
  newText: string;
}

export type PatternFixId =
  'add-answer-line' | 'add-labels-to-options' | 'move-options-to-end' | 'render-input' | 'remove-default' | 'raise-temperature';

export interface PatternFix {
  id: PatternFixId;
  /** English title; the editor shows a translation chosen by `id`, filled with `args`. */
  title: string;
  args: string[];
  edits: TextEdit[];
}

export interface PatternHint extends PromptDiagnostic {
  fixes: PatternFix[];
}

export const HINT_CODES = {
  cotWithoutAnswer: 'cot-without-answer-format',
  exemplarLabel: 'exemplar-label-not-an-option',
  optionsNotLast: 'options-not-at-end',
  defaultNeverRendered: 'default-never-rendered',
  samplesAtZero: 'samples-at-temperature-zero',
} as const;

/**
 * Reasoning triggers: "think step by step" and its variations, in English and Chinese. A verb of
 * reasoning must come with the phrase — "a step-by-step plan", "trace it step by step" or 逐步了解
 * describe a task, not a request to reason before answering.
 */
export const COT_TRIGGER =
  /\b(?:think|reason|work|solve|go|explain|walk)\w*\b[^.\n]{0,40}?(?:step[- ]by[- ]step|one step at a time)|step[- ]by[- ]step (?:reasoning|thinking|solution|explanation)|\bthink (?:it |this )?through\b|(?:一步一步|一步步|逐步)地?(?:思考|推理|分析|推导|计算|求解|解答|来)/i;
/** A line that fixes the answer's format: "the answer is", "final answer", "答案是" … */
const ANSWER_FORMAT = /\\boxed\b|\b(?:the|final|my) answer\b|\banswer\s*(?:is|:)|答案(?:是|为|[:：])|最终答案/i;
/** A label that introduces a reply ("A:", "Answer:", "答案："), not a format for it. */
const ANSWER_LABEL = /^\s*(?:a|answer|答|答案|回答)\s*[:：]/i;
/** FLAN's heading for the answer choices. */
export const OPTIONS_HEADING_LINE = /^[ \t]*(?:options|选项)[ \t]*[:：][ \t]*$/im;
/** Fields exemplars commonly keep their answer in. */
const LABEL_FIELDS = ['answer', 'label', 'output', 'target'] as const;

export function patternHints(analysis: PromptAnalysis): PatternHint[] {
  if (analysis.template.error || analysis.diagnostics.some((d) => d.severity === 'error')) return [];
  return [
    ...answerFormatHints(analysis),
    ...exemplarLabelHints(analysis),
    ...optionsPlacementHints(analysis),
    ...unrenderedDefaultHints(analysis),
    ...samplingHints(analysis),
  ];
}

interface BodyLine {
  text: string;
  start: number;
  end: number;
}

function bodyLines(analysis: PromptAnalysis): BodyLine[] {
  const { layout } = analysis;
  const first = layout.lines.positionAt(layout.bodyStart).line;
  const lines: BodyLine[] = [];
  for (let line = first; line < layout.lines.lineCount; line++) {
    const start = Math.max(layout.lines.lineStart(line), layout.bodyStart);
    const end = layout.lines.lineEnd(line);
    lines.push({ text: layout.text.slice(start, end), start, end });
  }
  return lines;
}

/** An edit that appends lines at the end of the template, on a line of their own. */
function appendToBody(analysis: PromptAnalysis, text: string): TextEdit {
  const { layout } = analysis;
  const end = layout.text.length;
  const needsBreak = end > layout.bodyStart && !/\n$/.test(layout.text);
  return { range: layout.lines.range(end, end), newText: `${needsBreak ? '\n' : ''}${text}\n` };
}

function answerFormatHints(analysis: PromptAnalysis): PatternHint[] {
  if (analysis.frontmatter.data?.[ANSWER_STEP_KEY] !== undefined) return [];
  const lines = bodyLines(analysis);
  const triggerLine = lines.find((l) => COT_TRIGGER.test(l.text));
  if (!triggerLine) return [];
  const match = COT_TRIGGER.exec(triggerLine.text)!;
  // On the trigger's own line, an "Answer:" label before the trigger fixes no format.
  const restOfTriggerLine = (triggerLine.text.slice(0, match.index) + triggerLine.text.slice(match.index + match[0].length)).replace(
    ANSWER_LABEL,
    '',
  );
  if (ANSWER_FORMAT.test(restOfTriggerLine) || lines.some((l) => l !== triggerLine && ANSWER_FORMAT.test(l.text))) return [];
  const start = triggerLine.start + match.index;
  const line = `Finish with a line of the form "${ANSWER_PHRASE} <answer>."`;
  return [
    {
      range: analysis.layout.lines.range(start, start + match[0].length),
      severity: 'information',
      code: HINT_CODES.cotWithoutAnswer,
      message: `This asks for step-by-step reasoning but never says how to state the final answer, so the answer is hard to extract from the reasoning. End with a fixed answer line such as "${ANSWER_PHRASE} …" (or set ${ANSWER_STEP_KEY} when a second prompt extracts the answer).`,
      fixes: [{ id: 'add-answer-line', title: 'Add an answer-format line', args: [], edits: [appendToBody(analysis, line)] }],
    },
  ];
}

/**
 * A frontmatter value range without the line breaks a block value's range ends with, so an edit
 * replaces the value and keeps the line that follows.
 */
function valueRange(analysis: PromptAnalysis, range: Range): Range {
  const { lines, text } = analysis.layout;
  const start = lines.offsetAt(range.start);
  let end = lines.offsetAt(range.end);
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return lines.range(start, end);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    ? value.map(String)
    : undefined;
}

function defaults(analysis: PromptAnalysis): Record<string, unknown> {
  const input = analysis.frontmatter.data?.['input'];
  const value = isRecord(input) ? input['default'] : undefined;
  return isRecord(value) ? value : {};
}

function exemplarLabelHints(analysis: PromptAnalysis): PatternHint[] {
  const values = defaults(analysis);
  const sharedOptions = stringList(values['options']);
  const hints: PatternHint[] = [];
  const looped = new Set(analysis.template.blocks.filter((b) => b.name === 'each').map((b) => b.params[0] ?? ''));
  for (const [name, list] of Object.entries(values)) {
    if (!looped.has(name) || !Array.isArray(list)) continue;
    const where = analysis.frontmatter.keys.get(`input.default.${name}`);
    if (!where) continue;
    const missing = new Set<string>();
    const sharedHints: PatternHint[] = [];
    list.forEach((exemplar, index) => {
      if (!isRecord(exemplar)) return;
      const field = LABEL_FIELDS.find((f) => typeof exemplar[f] === 'string');
      if (!field) return;
      const label = String(exemplar[field]);
      const own = stringList(exemplar['options']);
      const options = own ?? sharedOptions;
      if (!options || options.includes(label)) return;
      const hint: PatternHint = {
        range: where.key,
        severity: 'information',
        code: HINT_CODES.exemplarLabel,
        message: `Exemplar ${index + 1} of "${name}" answers "${label}", which is not one of its options (${options.join(', ')}). Models copy the exemplars' labels, so answers drift off the option list.`,
        fixes: [],
      };
      hints.push(hint);
      if (!own) {
        missing.add(label);
        sharedHints.push(hint);
      }
    });
    // Exemplars answering from the shared list share one fix: add the missing labels to it.
    const optionsWhere = analysis.frontmatter.keys.get('input.default.options');
    if (missing.size > 0 && sharedOptions && optionsWhere?.value) {
      const labels = [...missing];
      const fix: PatternFix = {
        id: 'add-labels-to-options',
        title: `Add ${labels.map((l) => `"${l}"`).join(', ')} to the options`,
        args: [labels.join(', ')],
        edits: [{ range: valueRange(analysis, optionsWhere.value), newText: JSON.stringify([...sharedOptions, ...labels]) }],
      };
      for (const hint of sharedHints) hint.fixes.push(fix);
    }
  }
  return hints;
}

function insideBlock(analysis: PromptAnalysis, offset: number): boolean {
  const pos = analysis.layout.lines.positionAt(offset);
  return analysis.template.blocks.some((b) => {
    const { start, end } = b.range;
    const after = pos.line > start.line || (pos.line === start.line && pos.character >= start.character);
    const before = pos.line < end.line || (pos.line === end.line && pos.character < end.character);
    return after && before;
  });
}

/** Lines that belong to an options list: items, and the `each` loop that prints them. */
const OPTION_LIST_LINE = /^[ \t]*(?:[-*•][ \t]+.*|\{\{~?[#/]each\b[^}]*~?\}\}|\{\{~?\/each~?\}\})[ \t]*$/;

function optionsPlacementHints(analysis: PromptAnalysis): PatternHint[] {
  const lines = bodyLines(analysis);
  const headingIndex = lines.findIndex((l) => OPTIONS_HEADING_LINE.test(l.text) && !insideBlock(analysis, l.start));
  if (headingIndex < 0) return [];
  let last = headingIndex;
  while (last + 1 < lines.length && OPTION_LIST_LINE.test(lines[last + 1]!.text)) last++;
  const trailing = lines.slice(last + 1).filter((l) => l.text.trim().length > 0);
  if (trailing.length === 0) return [];
  const heading = lines[headingIndex]!;
  const { layout } = analysis;
  const sectionEnd = lines[last]!.end;
  const section = layout.text.slice(heading.start, sectionEnd);
  const rest = layout.text
    .slice(sectionEnd)
    .replace(/^\s*\n/, '')
    .replace(/\s+$/, '');
  return [
    {
      range: layout.lines.range(heading.start, heading.end),
      severity: 'information',
      code: HINT_CODES.optionsNotLast,
      message:
        'FLAN-style prompts list the answer options at the very end, right before the model answers; text after the list makes the model less likely to answer with one of the options.',
      fixes: [
        {
          id: 'move-options-to-end',
          title: 'Move the options to the end',
          args: [],
          edits: [{ range: layout.lines.range(heading.start, layout.text.length), newText: `${rest}\n\n${section}\n` }],
        },
      ],
    },
  ];
}

function unrenderedDefaultHints(analysis: PromptAnalysis): PatternHint[] {
  const { template, inputs, frontmatter, layout } = analysis;
  // Partials may render any input, and `{{this}}` at the top renders all of them.
  if (template.partials.length > 0) return [];
  const used = new Set<string>();
  for (const v of template.variables) {
    if (v.data || v.scoped) continue;
    if (v.head === '') return [];
    used.add(v.head);
  }
  const hints: PatternHint[] = [];
  for (const name of Object.keys(defaults(analysis))) {
    // Declared inputs are already reported by the analyzer's unused-input warning.
    if (used.has(name) || inputs.declared?.has(name)) continue;
    const where = frontmatter.keys.get(`input.default.${name}`);
    if (!where) continue;
    const keyLine = where.key.start.line;
    const valueEndLine = (where.value ? valueRange(analysis, where.value) : where.key).end.line;
    const removeStart = layout.lines.lineStart(keyLine);
    const removeEnd = layout.lines.lineStart(valueEndLine + 1);
    hints.push({
      range: where.key,
      severity: 'information',
      code: HINT_CODES.defaultNeverRendered,
      message: `The input "${name}" has a default value but the template never renders it, so the model never sees it.`,
      fixes: [
        {
          id: 'render-input',
          title: `Render {{${name}}} at the end of the template`,
          args: [name],
          edits: [appendToBody(analysis, `{{${name}}}`)],
        },
        {
          id: 'remove-default',
          title: `Remove the default for "${name}"`,
          args: [name],
          edits: [{ range: layout.lines.range(removeStart, removeEnd), newText: '' }],
        },
      ],
    });
  }
  return hints;
}

function samplingHints(analysis: PromptAnalysis): PatternHint[] {
  const data = analysis.frontmatter.data;
  const samples = data?.[SAMPLES_KEY];
  const config = data?.['config'];
  const temperature = isRecord(config) ? config['temperature'] : undefined;
  if (typeof samples !== 'number' || samples < 2 || temperature !== 0) return [];
  const samplesWhere = analysis.frontmatter.keys.get(SAMPLES_KEY);
  const temperatureWhere = analysis.frontmatter.keys.get('config.temperature');
  if (!samplesWhere || !temperatureWhere?.value) return [];
  return [
    {
      range: samplesWhere.key,
      severity: 'information',
      code: HINT_CODES.samplesAtZero,
      message: `${SAMPLES_KEY} asks for ${samples} samples, but at temperature 0 every sample follows the same reasoning, so the vote learns nothing. Self-consistency samples at a temperature such as 0.7.`,
      fixes: [
        {
          id: 'raise-temperature',
          title: 'Set the temperature to 0.7',
          args: ['0.7'],
          edits: [{ range: valueRange(analysis, temperatureWhere.value), newText: '0.7' }],
        },
      ],
    },
  ];
}
