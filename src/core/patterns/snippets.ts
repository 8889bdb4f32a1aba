/**
 * Pattern snippets: one per template, whose body is the template's complete `.prompt` file with
 * tab stops on the description and example values and choice placeholders on sampling settings.
 * A whole file only makes sense in an empty file, so the editor offers them there alone (see
 * wholeFileSnippetSpan) through a completion provider rather than as always-on static snippets.
 */
import { PATTERNS } from './catalogue';
import { composePromptFile, SAMPLES_KEY } from './compose';
import type { PatternLanguage, PatternTemplate, PromptPattern } from './types';

export interface VsCodeSnippet {
  prefix: string;
  body: string[];
  description: string;
}

/** Escapes text outside placeholders: `$` and `\` are snippet syntax. */
function escapeText(text: string): string {
  return text.replace(/[\\$]/g, '\\$&');
}

/** Escapes a placeholder's default value, where `}` would also end the placeholder. */
function escapePlaceholder(text: string): string {
  return text.replace(/[\\$}]/g, '\\$&');
}

/** Choices for settings worth switching between while experimenting; the current value first. */
const CHOICES: ReadonlyArray<{ line: RegExp; values: readonly string[] }> = [
  { line: /^(\s+temperature: )(\S+)$/, values: ['0', '0.3', '0.7', '1'] },
  { line: new RegExp(`^(${SAMPLES_KEY.replace('.', '\\.')}: )(\\d+)$`), values: ['3', '5', '10', '20'] },
];

/** Converts a `.prompt` file to snippet body lines. */
export function snippetBodyFor(file: string): string[] {
  const lines = file.replace(/\n$/, '').split('\n');
  let stop = 1;
  let inDefaults = false;
  let inFrontmatter = false;
  const out: string[] = [];
  for (const [index, line] of lines.entries()) {
    if (line === '---') {
      inFrontmatter = index === 0;
      inDefaults = false;
      out.push(line);
      continue;
    }
    if (!inFrontmatter) {
      out.push(escapeText(line));
      continue;
    }
    const description = /^(description: )(.+)$/.exec(line);
    const choice = CHOICES.map((c) => ({ c, m: c.line.exec(line) })).find((x) => x.m);
    if (/^ {2}default:$/.test(line)) inDefaults = true;
    else if (/^ {0,2}\S/.test(line)) inDefaults = false;
    // Example values in `input.default`: top-level scalars and scalar list items (an option list);
    // exemplar objects stay plain text, or each would be a tab stop.
    const defaultValue = inDefaults ? /^( {4}[\w-]+: | {6}- )(?![\w-]+: )([^|>\s].*)$/.exec(line) : null;
    if (description) {
      out.push(`${escapeText(description[1]!)}\${${stop++}:${escapePlaceholder(description[2]!)}}`);
    } else if (choice?.m) {
      const current = choice.m[2]!;
      const values = [current, ...choice.c.values.filter((v) => v !== current)];
      out.push(`${escapeText(choice.m[1]!)}\${${stop++}|${values.join(',')}|}`);
    } else if (defaultValue) {
      out.push(`${escapeText(defaultValue[1]!)}\${${stop++}:${escapePlaceholder(defaultValue[2]!)}}`);
    } else {
      out.push(escapeText(line));
    }
  }
  out.push('$0');
  return out;
}

export function snippetPrefix(pattern: PromptPattern, template: PatternTemplate): string {
  return `${pattern.id}-${template.id}`;
}

export interface PatternSnippet {
  prefix: string;
  /** Snippet syntax, lines joined with `\n`. */
  body: string;
  /** "Pattern title (template label)" in the language asked for. */
  title: string;
  /** What the pattern is for, in the language asked for. */
  description: string;
}

/** Every template of every pattern as a snippet, titles and descriptions in `lang`. */
export function patternSnippets(lang: PatternLanguage = 'en'): PatternSnippet[] {
  return PATTERNS.flatMap((pattern) =>
    pattern.templates.map((template) => ({
      prefix: snippetPrefix(pattern, template),
      body: snippetBodyFor(composePromptFile(pattern, template, { lang })).join('\n'),
      title: `${pattern.title[lang]} (${template.label[lang]})`,
      description: pattern.explanation.what[lang],
    })),
  );
}

/**
 * Where a whole-file snippet may be offered at `offset`: only when the document holds nothing but
 * the word being typed there (and white space). Returns the span the snippet replaces (the whole
 * document), or undefined anywhere else: inside frontmatter, a template, or a file with text.
 */
export function wholeFileSnippetSpan(text: string, offset: number): { start: number; end: number } | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && /[\w-]/.test(text[start - 1]!)) start -= 1;
  while (end < text.length && /[\w-]/.test(text[end]!)) end += 1;
  if (text.slice(0, start).trim() !== '' || text.slice(end).trim() !== '') return undefined;
  return { start: 0, end: text.length };
}
