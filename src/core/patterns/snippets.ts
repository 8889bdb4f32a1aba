/**
 * VS Code snippets generated from the catalogue: one per template, whose body is the template's
 * complete `.prompt` file with tab stops on the description and example values and choice
 * placeholders on sampling settings. Built into `snippets/dotprompt.generated.code-snippets`.
 */
import { PATTERNS } from './catalogue';
import { composePromptFile, SAMPLES_KEY } from './compose';
import type { PatternTemplate, PromptPattern } from './types';

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

/** The whole snippets file, keyed by a readable name. */
export function buildSnippetFile(): Record<string, VsCodeSnippet> {
  const snippets: Record<string, VsCodeSnippet> = {};
  for (const pattern of PATTERNS) {
    for (const template of pattern.templates) {
      snippets[`${pattern.title.en}: ${template.label.en}`] = {
        prefix: snippetPrefix(pattern, template),
        body: snippetBodyFor(composePromptFile(pattern, template)),
        description: `${pattern.title.en} (${template.label.en}) — ${pattern.explanation.what.en}`,
      };
    }
  }
  return snippets;
}
