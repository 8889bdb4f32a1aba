import { parseDocument, stringify } from 'yaml';
import { layoutPrompt } from '../prompt/source';

/**
 * Which model a run uses when the `.prompt` file does not say, and how a choice is written back.
 * Pure functions: the editor asks the user and remembers; the CLI only reads.
 */

/** The `model:` a prompt's frontmatter names, or undefined when it names none (or the YAML is broken). */
export function frontmatterModel(text: string): string | undefined {
  const layout = layoutPrompt(text);
  if (!layout.frontmatter) return undefined;
  const doc = parseDocument(layout.frontmatter.yaml);
  if (doc.errors.length > 0) return undefined;
  const value: unknown = doc.get('model');
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A replacement of `length` characters at `offset` by `text` (what an editor applies as one edit). */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

// `model: value   # comment`: group 1 is the value, group 2 what follows it on the line.
const MODEL_LINE = /^(model[ \t]*:)[ \t]*(.*?)((?:[ \t]+#.*)?[ \t]*)$/;

/**
 * The edit that makes the frontmatter say `model: <ref>`: the value of a top-level `model:` line
 * is replaced, a frontmatter without one gets the line first, a file without frontmatter gets one.
 * The value is quoted only when YAML needs it.
 */
export function frontmatterModelChange(text: string, ref: string): TextChange {
  const value = stringify(ref, { lineWidth: 0 }).trimEnd();
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const layout = layoutPrompt(text);
  const fm = layout.frontmatter;
  if (!fm) {
    // The leading `#` comment header stays on top; the new frontmatter follows it.
    const at = leadingCommentEnd(text);
    return { offset: at, length: 0, text: `---${eol}model: ${value}${eol}---${eol}` };
  }
  let offset = fm.yamlStart;
  for (const line of fm.yaml.split('\n')) {
    const bare = line.replace(/\r$/, '');
    const match = MODEL_LINE.exec(bare);
    if (match) {
      const old = match[2] ?? '';
      const valueEnd = offset + bare.length - (match[3] ?? '').length;
      // `model:` with nothing after it needs the space YAML wants between key and value.
      return old === ''
        ? { offset: offset + (match[1] ?? '').length, length: valueEnd - offset - (match[1] ?? '').length, text: ` ${value}` }
        : { offset: valueEnd - old.length, length: old.length, text: value };
    }
    offset += line.length + 1;
  }
  return { offset: fm.yamlStart, length: 0, text: `model: ${value}${eol}` };
}

function leadingCommentEnd(text: string): number {
  let at = 0;
  while (at < text.length && text[at] === '#') {
    const next = text.indexOf('\n', at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at;
}

/** A model worth pulling for a first run, with its download size as Ollama's library lists it. */
export interface RecommendedModel {
  name: string;
  /** Download size in bytes (approximate, from the Ollama library page). */
  sizeBytes: number;
  /** What it is good for; the editor and the CLI turn this into words in the user's language. */
  strength: 'tiny' | 'small' | 'bilingual' | 'laptop' | 'strong';
}

const GB = 1e9;

/** Small instruction-tuned models from Ollama's library, smallest first. */
export const FIRST_RUN_MODELS: readonly RecommendedModel[] = [
  { name: 'qwen2.5:0.5b', sizeBytes: 0.398 * GB, strength: 'tiny' },
  { name: 'llama3.2:1b', sizeBytes: 1.3 * GB, strength: 'small' },
  { name: 'qwen2.5:1.5b', sizeBytes: 0.986 * GB, strength: 'bilingual' },
  { name: 'llama3.2:3b', sizeBytes: 2.0 * GB, strength: 'laptop' },
  { name: 'qwen2.5:7b', sizeBytes: 4.7 * GB, strength: 'strong' },
  { name: 'llama3.1:8b', sizeBytes: 4.9 * GB, strength: 'strong' },
];

/**
 * The first-run models that fit a machine: a model needs about twice its download size in free
 * memory (weights plus context) — GPU memory when there is a GPU, else system memory — and the
 * suggestion is the largest one that fits with room to spare.
 */
export function modelsThatFit(
  memoryBytes: number,
  models: readonly RecommendedModel[] = FIRST_RUN_MODELS,
): { fits: RecommendedModel[]; suggested: RecommendedModel | undefined } {
  const fits = models.filter((m) => m.sizeBytes * 2 <= memoryBytes);
  const comfortable = fits.filter((m) => m.sizeBytes * 4 <= memoryBytes);
  const bySize = (list: RecommendedModel[]): RecommendedModel | undefined => [...list].sort((a, b) => b.sizeBytes - a.sizeBytes)[0];
  return { fits, suggested: bySize(comfortable) ?? bySize(fits) };
}
