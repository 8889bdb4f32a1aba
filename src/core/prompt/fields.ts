/**
 * The frontmatter fields Dotprompt reserves, with their expected shapes and documentation.
 * One table feeds diagnostics, completion and hover.
 */
export type ValueKind = 'string' | 'number' | 'integer' | 'boolean' | 'string[]' | 'object' | 'array' | 'any' | 'stringOrNumber';

export interface FieldSpec {
  kind: ValueKind;
  doc: string;
  values?: readonly string[];
  /** Known sub-keys of an object field. */
  children?: Readonly<Record<string, FieldSpec>>;
  /** Whether keys other than `children` are accepted without a warning. */
  openChildren?: boolean;
  min?: number;
  max?: number;
}

export const CONFIG_FIELDS: Readonly<Record<string, FieldSpec>> = {
  temperature: {
    kind: 'number',
    min: 0,
    max: 2,
    doc: 'Sampling temperature. 0 is (nearly) greedy; higher values give more varied output.',
  },
  topK: { kind: 'integer', min: 0, doc: 'Sample only from the K most likely next tokens (Ollama `top_k`).' },
  topP: {
    kind: 'number',
    min: 0,
    max: 1,
    doc: 'Nucleus sampling: sample from the smallest set of tokens whose probabilities add up to P (Ollama `top_p`).',
  },
  maxOutputTokens: { kind: 'integer', min: 1, doc: 'The most tokens the model may generate (Ollama `num_predict`, OpenAI `max_tokens`).' },
  stopSequences: { kind: 'string[]', doc: 'Generation stops when the model produces any of these strings (Ollama `stop`, OpenAI `stop`).' },
  seed: { kind: 'integer', doc: 'Random seed, for repeatable sampling on servers that honour it.' },
  minP: {
    kind: 'number',
    min: 0,
    max: 1,
    doc: 'Drop tokens whose probability is below P times that of the most likely token (Ollama `min_p`).',
  },
  repeatPenalty: { kind: 'number', min: 0, doc: 'Penalty for repeating recent tokens (Ollama `repeat_penalty`).' },
  presencePenalty: { kind: 'number', doc: 'Penalty for tokens that already appeared (OpenAI `presence_penalty`).' },
  frequencyPenalty: { kind: 'number', doc: 'Penalty proportional to how often a token appeared (OpenAI `frequency_penalty`).' },
  numCtx: { kind: 'integer', min: 1, doc: 'Context window size in tokens (Ollama `num_ctx`).' },
};

export const OUTPUT_FORMATS = ['text', 'json', 'jsonl', 'array', 'enum', 'media'] as const;

export const FRONTMATTER_FIELDS: Readonly<Record<string, FieldSpec>> = {
  model: {
    kind: 'string',
    doc: 'The model to run, as `endpoint/model` (for example `ollama/llama3.2`). Only endpoints configured in settings can be named.',
  },
  name: { kind: 'string', doc: "The prompt's name. Defaults to the file name." },
  variant: { kind: 'string', doc: 'The variant name. Dotprompt takes it from `name.variant.prompt` file names.' },
  version: { kind: 'stringOrNumber', doc: 'A version label for the prompt.' },
  description: { kind: 'string', doc: 'A human description of what the prompt does.' },
  config: {
    kind: 'object',
    doc: 'Model configuration passed to the model (temperature, topK, topP, maxOutputTokens, stopSequences, …). Keys the server does not know are passed through.',
    children: CONFIG_FIELDS,
    openChildren: true,
  },
  input: {
    kind: 'object',
    doc: "The prompt's inputs: `schema` (Picoschema or JSON Schema) and `default` values used when an input is not given.",
    children: {
      schema: { kind: 'any', doc: 'Input schema, in Picoschema (`name: string, description`) or JSON Schema.' },
      default: { kind: 'object', doc: 'Default input values, applied when an input is not given.', openChildren: true },
      jsonSchema: { kind: 'object', doc: 'Input schema as plain JSON Schema.', openChildren: true },
    },
  },
  output: {
    kind: 'object',
    doc: 'What the model should return: `format` (text, json, …) and `schema` (Picoschema or JSON Schema).',
    children: {
      format: { kind: 'string', values: OUTPUT_FORMATS, doc: 'Output format: `text`, `json`, `jsonl`, `array`, `enum` or `media`.' },
      schema: { kind: 'any', doc: 'Output schema, in Picoschema or JSON Schema.' },
      jsonSchema: { kind: 'object', doc: 'Output schema as plain JSON Schema.', openChildren: true },
      instructions: { kind: 'any', doc: 'Genkit: format instructions added to the prompt (`true`, `false` or your own text).' },
      constrained: { kind: 'boolean', doc: 'Genkit: ask the model for constrained (schema-guided) generation when it supports it.' },
      contentType: { kind: 'string', doc: 'Genkit: the content type of the output, for formats that have several.' },
    },
  },
  toolChoice: {
    kind: 'string',
    values: ['auto', 'required', 'none'],
    doc: 'Genkit: whether the model may (`auto`), must (`required`) or must not (`none`) call tools.',
  },
  maxTurns: { kind: 'integer', min: 1, doc: 'Genkit: the most tool-call round trips before generation stops.' },
  returnToolRequests: { kind: 'boolean', doc: 'Genkit: return tool requests to the caller instead of running the tools.' },
  metadata: { kind: 'object', doc: 'Free-form metadata about the prompt, kept with it.', openChildren: true },
  use: { kind: 'array', doc: 'Genkit: middleware to run around the model call, by name.' },
  tools: { kind: 'string[]', doc: 'Names of tools the model may call. Tools are defined by the application that runs the prompt.' },
  toolDefs: { kind: 'array', doc: 'Inline tool definitions (`name`, `description`, `inputSchema`, `outputSchema`).' },
  ext: {
    kind: 'object',
    doc: 'Extension fields, by namespace. Usually written as namespaced keys such as `myapp.flag: true`.',
    openChildren: true,
  },
  raw: { kind: 'object', doc: 'Reserved: Dotprompt fills it with the full parsed frontmatter.', openChildren: true },
};

export interface HelperSpec {
  block: boolean;
  doc: string;
  signature: string;
  /** Provided by Dotprompt (as opposed to Handlebars itself). */
  dotprompt: boolean;
}

export const HELPERS: Readonly<Record<string, HelperSpec>> = {
  role: {
    block: false,
    dotprompt: true,
    signature: '{{role "system"}}',
    doc: 'Starts a new message with the given role: `system`, `user`, `model` or `tool`.',
  },
  history: {
    block: false,
    dotprompt: true,
    signature: '{{history}}',
    doc: 'Inserts the conversation history passed with the render call. Without it, history goes before the last user message.',
  },
  section: {
    block: false,
    dotprompt: true,
    signature: '{{section "name"}}',
    doc: 'Marks a named section of the message, so an application can fill or replace it (a pending part with `metadata.purpose`).',
  },
  media: {
    block: false,
    dotprompt: true,
    signature: '{{media url=imageUrl contentType="image/png"}}',
    doc: 'Inserts a media part (image, audio, …) from a URL or a data: URL.',
  },
  json: {
    block: false,
    dotprompt: true,
    signature: '{{json value indent=2}}',
    doc: 'Inserts a value as JSON (`JSON.stringify`), optionally indented.',
  },
  ifEquals: {
    block: true,
    dotprompt: true,
    signature: '{{#ifEquals a b}}…{{else}}…{{/ifEquals}}',
    doc: 'Renders its block when both arguments are strictly equal (`===`), else the `{{else}}` part.',
  },
  unlessEquals: {
    block: true,
    dotprompt: true,
    signature: '{{#unlessEquals a b}}…{{/unlessEquals}}',
    doc: 'Renders its block when the arguments differ (`!==`).',
  },
  if: {
    block: true,
    dotprompt: false,
    signature: '{{#if value}}…{{else}}…{{/if}}',
    doc: 'Renders its block when the value is truthy (empty arrays count as false).',
  },
  unless: { block: true, dotprompt: false, signature: '{{#unless value}}…{{/unless}}', doc: 'Renders its block when the value is falsy.' },
  each: {
    block: true,
    dotprompt: false,
    signature: '{{#each items}}{{this}}{{/each}}',
    doc: 'Repeats its block for each item of an array or each key of an object. Inside: `this`, `@index`, `@key`, `@first`, `@last`.',
  },
  with: {
    block: true,
    dotprompt: false,
    signature: '{{#with object}}{{field}}{{/with}}',
    doc: 'Renders its block with the given value as the context.',
  },
  lookup: { block: false, dotprompt: false, signature: '{{lookup object key}}', doc: 'Looks up a property by a dynamic key.' },
  log: { block: false, dotprompt: false, signature: '{{log value}}', doc: 'Logs a value while rendering; renders nothing.' },
};

export const ROLES = ['system', 'user', 'model', 'tool'] as const;
