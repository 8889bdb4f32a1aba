import { stringify } from 'yaml';
import type { PatternLanguage, PatternTemplate, PromptPattern } from './types';

/** The frontmatter key that names the pattern a file was made from (hover and hints read it). */
export const PATTERN_KEY = 'promptscope.pattern';
/** The frontmatter key that names the template of that pattern. */
export const TEMPLATE_KEY = 'promptscope.template';
/** Self-consistency: how many reasoning paths to sample (read by the comparison feature). */
export const SAMPLES_KEY = 'promptscope.samples';
/**
 * Set when a later prompt asks for the final answer (two-step zero-shot CoT, least-to-most), so
 * the reasoning step is not expected to state an answer format itself.
 */
export const ANSWER_STEP_KEY = 'promptscope.answer-step';

export interface ComposeOptions {
  /** Language of the `description` line. Defaults to English. */
  lang?: PatternLanguage;
  /** Whether to write the example inputs as `input.default` (default true). */
  withExample?: boolean;
}

/** The input name a Picoschema key declares: `examples?(array, …)` → `examples`. */
export function inputName(schemaKey: string): string {
  return schemaKey.replace(/[?(].*$/, '').trim();
}

export function templateInputNames(template: PatternTemplate): string[] {
  return Object.keys(template.schema).map(inputName);
}

/** The example values for the inputs this template declares, in schema order. */
export function exampleInputFor(pattern: PromptPattern, template: PatternTemplate): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const name of templateInputNames(template)) {
    if (name in pattern.example) values[name] = pattern.example[name];
  }
  return values;
}

export function findTemplate(pattern: PromptPattern, templateId?: string): PatternTemplate {
  const found = templateId ? pattern.templates.find((t) => t.id === templateId) : pattern.templates[0];
  if (!found) throw new Error(`Pattern "${pattern.id}" has no template "${templateId ?? ''}".`);
  return found;
}

/** A complete `.prompt` file for one template of a pattern. */
export function composePromptFile(pattern: PromptPattern, template: PatternTemplate, options: ComposeOptions = {}): string {
  const lang = options.lang ?? 'en';
  const input: Record<string, unknown> = { schema: template.schema };
  if (options.withExample ?? true) {
    const example = exampleInputFor(pattern, template);
    if (Object.keys(example).length > 0) input['default'] = example;
  }
  const frontmatter: Record<string, unknown> = {
    [PATTERN_KEY]: pattern.id,
    [TEMPLATE_KEY]: template.id,
    description: pattern.title[lang],
    ...(template.extensions ?? {}),
    ...(template.config ? { config: template.config } : {}),
    input,
    ...(template.output ? { output: template.output } : {}),
  };
  // lineWidth 0: long example texts stay on one line instead of being folded. YAML 1.1 rules
  // quote values such as yes/no, which 1.1 parsers (other Dotprompt implementations) read as booleans.
  const yaml = stringify(frontmatter, { lineWidth: 0, version: '1.1' });
  return `---\n${yaml}---\n${template.body}`;
}
