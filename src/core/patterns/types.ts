/**
 * The shape of the prompt-pattern catalogue. Every surface (snippets, the Patterns view, hovers,
 * hints, the CLI, the walkthrough samples) reads these records, so a pattern is written once.
 */

/** The languages every explanation and title is written in. */
export const PATTERN_LANGUAGES = ['en', 'zh-cn'] as const;
export type PatternLanguage = (typeof PATTERN_LANGUAGES)[number];

/** A text in every catalogue language. */
export type Localized = Readonly<Record<PatternLanguage, string>>;

export type PatternFamily = 'flan' | 'reasoning' | 'structure';

/** The 12 task clusters FLAN groups its training datasets into. */
export const FLAN_CLUSTERS = [
  'natural-language-inference',
  'commonsense',
  'sentiment',
  'paraphrase',
  'closed-book-qa',
  'struct-to-text',
  'translation',
  'reading-comprehension',
  'reading-comprehension-commonsense',
  'coreference',
  'miscellaneous',
  'summarization',
] as const;
export type FlanCluster = (typeof FLAN_CLUSTERS)[number];

/**
 * How a template asks for the task:
 * - `zero-shot`: instruction and input only;
 * - `few-shot`: solved exemplars (an `examples` input) before the query;
 * - `options`: the fixed answer choices listed after the input under an OPTIONS heading;
 * - `scaffold`: a reasoning or structure scaffold that is neither of the above.
 */
export type TemplateForm = 'zero-shot' | 'few-shot' | 'options' | 'scaffold';

export interface PatternTemplate {
  /** Unique within its pattern; the snippet prefix is `<pattern id>-<template id>`. */
  id: string;
  form: TemplateForm;
  label: Localized;
  /** Picoschema for `input.schema`, key by key, in the order they should appear. */
  schema: Readonly<Record<string, unknown>>;
  /** The Handlebars body of the `.prompt` file. */
  body: string;
  /** `config` in the frontmatter, when the pattern needs particular sampling settings. */
  config?: Readonly<Record<string, unknown>>;
  /** `output` in the frontmatter (format and schema), for structured answers. */
  output?: Readonly<Record<string, unknown>>;
  /** Namespaced extension fields (e.g. `promptscope.samples`) beyond `promptscope.pattern`. */
  extensions?: Readonly<Record<string, unknown>>;
}

export interface PatternExplanation {
  /** What the pattern is. */
  what: Localized;
  /** When it helps. */
  when: Localized;
  /** Mistakes people make with it. */
  mistakes: Localized;
}

export interface PatternReference {
  title: string;
  authors: string;
  year: number;
  venue?: string;
}

/**
 * How a final answer is pulled out of a model's reply, so replies can be compared and
 * self-consistency can vote:
 * - `after-phrase`: the text after the last occurrence of one of the phrases, to the end of
 *   that line;
 * - `first-line`: the first non-empty line (classification answers that should be one option);
 * - `json-field`: a field of the JSON object the reply contains;
 * - `whole-text`: the trimmed reply (free-form generation).
 */
export type AnswerRule =
  | { kind: 'after-phrase'; phrases: readonly string[] }
  | { kind: 'first-line' }
  | { kind: 'json-field'; field: string }
  | { kind: 'whole-text' };

export interface PromptPattern {
  id: string;
  family: PatternFamily;
  /** Only FLAN patterns belong to a cluster. */
  cluster?: FlanCluster;
  title: Localized;
  explanation: PatternExplanation;
  references: readonly PatternReference[];
  /** Dataset names as FLAN lists them (FLAN patterns) or as the papers evaluate on. */
  datasets: readonly string[];
  templates: readonly PatternTemplate[];
  /**
   * One worked example: values for every input any of the templates declares. Each template's
   * file takes the values its own schema names as `input.default`.
   */
  example: Readonly<Record<string, unknown>>;
  answer?: AnswerRule;
}
