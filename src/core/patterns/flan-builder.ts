import type { PatternTemplate } from './types';

/**
 * One FLAN-style task, described once; the zero-shot, few-shot and options templates are
 * derived from it so the exemplars are always formatted exactly like the query (the rule FLAN's
 * few-shot templates follow).
 */
export interface FlanTaskSpec {
  /** Text shown once, before any exemplar; may use the inputs of `globalSchema`. */
  preamble?: string;
  /** One instance with its question, written with the instance's own fields only. */
  query: string;
  /** The label that introduces an answer ("Answer", "Summary", "Translation"). */
  answerLabel: string;
  /** Picoschema of one instance's fields. */
  instanceSchema: Readonly<Record<string, unknown>>;
  /** Picoschema of inputs used only by the preamble. */
  globalSchema?: Readonly<Record<string, unknown>>;
  /**
   * Set for tasks with fixed answers. `shared`: one option list for every instance (labels such
   * as yes/no); `per-instance`: each instance has its own candidates (multiple choice).
   */
  options?: 'shared' | 'per-instance';
}

export const OPTIONS_HEADING = 'OPTIONS:';

const LABELS = {
  zeroShot: { en: 'Zero-shot instruction', 'zh-cn': '零样本指令' },
  fewShot: { en: 'Few-shot with exemplars', 'zh-cn': '少样本（带示例）' },
  options: { en: 'Options listed at the end', 'zh-cn': '选项列在末尾' },
} as const;

const OPTIONS_SCHEMA_KEY = 'options(array, The answers the model may choose from)';
const EXAMPLES_SCHEMA_KEY = 'examples(array, Solved exemplars shown before the question)';

/** The OPTIONS block for a list input; `listPath` is `options` or `@root.options`. */
function optionsBlock(listPath: string): string {
  return `${OPTIONS_HEADING}\n{{#each ${listPath}}}\n- {{this}}\n{{/each}}`;
}

function withPreamble(spec: FlanTaskSpec, body: string): string {
  return spec.preamble ? `${spec.preamble}\n\n${body}\n` : `${body}\n`;
}

export function flanTemplates(spec: FlanTaskSpec): PatternTemplate[] {
  const global = spec.globalSchema ?? {};
  const optionSchema = spec.options ? { [OPTIONS_SCHEMA_KEY]: 'string' } : {};
  const answerCue = `${spec.answerLabel}:`;

  const zeroShot: PatternTemplate = {
    id: 'zero-shot',
    form: 'zero-shot',
    label: LABELS.zeroShot,
    schema: { ...global, ...spec.instanceSchema },
    body: withPreamble(spec, `${spec.query}\n${answerCue}`),
  };

  // Exemplars with shared options list the query's options; per-instance ones list their own.
  const exemplarOptions =
    spec.options === 'shared'
      ? `\n\n${optionsBlock('@root.options')}`
      : spec.options === 'per-instance'
        ? `\n\n${optionsBlock('options')}`
        : '';
  const exemplarSchema: Record<string, unknown> = {
    ...spec.instanceSchema,
    ...(spec.options === 'per-instance' ? { 'options(array)': 'string' } : {}),
    answer: 'string',
  };
  const queryTail = spec.options ? `\n\n${optionsBlock('options')}` : `\n${answerCue}`;
  const fewShot: PatternTemplate = {
    id: 'few-shot',
    form: 'few-shot',
    label: LABELS.fewShot,
    schema: { ...global, ...spec.instanceSchema, ...optionSchema, [EXAMPLES_SCHEMA_KEY]: exemplarSchema },
    body: withPreamble(
      spec,
      `{{#each examples}}\n${spec.query}${exemplarOptions}\n${answerCue} {{answer}}\n\n{{/each}}\n${spec.query}${queryTail}`,
    ),
  };

  if (!spec.options) return [zeroShot, fewShot];
  const options: PatternTemplate = {
    id: 'options',
    form: 'options',
    label: LABELS.options,
    schema: { ...global, ...spec.instanceSchema, ...optionSchema },
    body: withPreamble(spec, `${spec.query}\n\n${optionsBlock('options')}`),
  };
  return [zeroShot, fewShot, options];
}
