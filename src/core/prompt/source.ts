import { LineIndex } from '../text/positions';

/**
 * Where the parts of a `.prompt` file sit, as offsets into the original text.
 *
 * Current Dotprompt tooling accepts blank lines and `#` comment lines (licence headers) before
 * the opening `---`; the npm library (1.1.2) does not, so we locate that header ourselves and
 * hand the library the text from the opening fence on.
 */
export interface PromptLayout {
  text: string;
  lines: LineIndex;
  /** End offset of the leading header of `#` comments and blank lines (0 when none). */
  headerEnd: number;
  frontmatter?: FrontmatterLayout;
  /** Offset where the Handlebars template starts. */
  bodyStart: number;
}

export interface FrontmatterLayout {
  /** Offset of the opening `---`. */
  openStart: number;
  /** Offset of the YAML text (the line after the opening fence). */
  yamlStart: number;
  /** End offset of the YAML text (the line break before the closing fence). */
  yamlEnd: number;
  /** Offset of the closing `---`. */
  closeStart: number;
  /** End offset of the closing fence line, including its line break. */
  closeEnd: number;
  yaml: string;
}

const HEADER_LINE = /^(?:[ \t]*|#.*)$/;
const FENCE = /^---[ \t]*$/;

export function layoutPrompt(text: string): PromptLayout {
  const lines = new LineIndex(text);
  let line = 0;
  while (line < lines.lineCount && HEADER_LINE.test(lines.lineText(line)) && !FENCE.test(lines.lineText(line))) line++;
  const fenceLine = line;
  if (fenceLine >= lines.lineCount || !FENCE.test(lines.lineText(fenceLine)) || !lineHasBreak(lines, fenceLine)) {
    return { text, lines, headerEnd: 0, bodyStart: 0 };
  }
  for (let close = fenceLine + 1; close < lines.lineCount; close++) {
    if (!FENCE.test(lines.lineText(close))) continue;
    // The library needs a line break after the closing fence (its regex ends in a newline).
    if (!lineHasBreak(lines, close)) break;
    const yamlStart = lines.lineStart(fenceLine + 1);
    const yamlEnd = close === fenceLine + 1 ? yamlStart : lines.lineEnd(close - 1);
    const closeEnd = lines.lineStart(close + 1);
    return {
      text,
      lines,
      headerEnd: lines.lineStart(fenceLine),
      frontmatter: {
        openStart: lines.lineStart(fenceLine),
        yamlStart,
        yamlEnd,
        closeStart: lines.lineStart(close),
        closeEnd,
        yaml: text.slice(yamlStart, yamlEnd),
      },
      bodyStart: closeEnd,
    };
  }
  return { text, lines, headerEnd: 0, bodyStart: 0 };
}

function lineHasBreak(lines: LineIndex, line: number): boolean {
  return line + 1 < lines.lineCount;
}

/** The source to give the `dotprompt` library: the file without its leading comment header. */
export function librarySource(layout: PromptLayout): string {
  return layout.headerEnd > 0 ? layout.text.slice(layout.headerEnd) : layout.text;
}

/**
 * Handlebars' parser costs about 20 µs per mustache, and its time grows with the square of the
 * nesting depth (it overflows the stack a little past 2,000 levels), so a template beyond these
 * limits would block the editor for seconds or crash; such files are not parsed.
 */
export const TEMPLATE_LIMITS = { chars: 2_000_000, mustaches: 25_000, depth: 1_000 } as const;

/** Why a template is too large to parse, or undefined when it is not. */
export function templateTooLarge(layout: PromptLayout): string | undefined {
  const length = layout.text.length - layout.bodyStart;
  if (length > TEMPLATE_LIMITS.chars) return `The template is ${(length / 1e6).toFixed(1)} MB (limit ${TEMPLATE_LIMITS.chars / 1e6} MB).`;
  return templateTooComplex(layout);
}

/**
 * Why Handlebars itself cannot compile a template in reasonable time and memory (too many
 * mustaches, or nested too deeply), or undefined. Rendering checks this too: the library would
 * hang or run out of memory on such a template.
 */
export function templateTooComplex(layout: PromptLayout): string | undefined {
  let count = 0;
  for (let at = layout.text.indexOf('{{', layout.bodyStart); at >= 0; at = layout.text.indexOf('{{', at + 2)) {
    if (++count > TEMPLATE_LIMITS.mustaches) return `The template has over ${TEMPLATE_LIMITS.mustaches.toLocaleString('en-US')} mustaches.`;
  }
  const depth = nestingDepth(layout.text.slice(layout.bodyStart));
  if (depth > TEMPLATE_LIMITS.depth)
    return `The template nests blocks or subexpressions ${depth.toLocaleString('en-US')} deep (limit ${TEMPLATE_LIMITS.depth.toLocaleString('en-US')}).`;
  return undefined;
}

/**
 * The deepest nesting of a template as Handlebars builds it: open blocks (each `{{else …}}` of a
 * chain adds a level) plus parenthesised subexpressions. One linear pass; an unterminated comment
 * or mustache ends it.
 */
export function nestingDepth(body: string): number {
  const levels: number[] = []; // per open block: 1 + its else-chain
  let depth = 0;
  let max = 0;
  for (let at = body.indexOf('{{'); at >= 0;) {
    const longComment = body.startsWith('{{!--', at) || body.startsWith('{{~!--', at);
    const end = longComment ? body.indexOf('--', at + 5) : body.indexOf('}}', at + 2);
    const close = end < 0 ? -1 : body.indexOf('}}', end);
    if (close < 0) break;
    const inner = body.slice(at + 2, close).replace(/^[{~]?\s*/, '');
    if (/^[#^]\s*\S/.test(inner)) {
      levels.push(1);
      depth++;
    } else if (inner.startsWith('/')) {
      depth -= levels.pop() ?? 0;
    } else if (/^else\s+\S/.test(inner) && levels.length > 0) {
      levels[levels.length - 1]!++;
      depth++;
    }
    let parens = 0;
    for (let i = 0; i < inner.length && !inner.startsWith('!'); i++) {
      const ch = inner.charCodeAt(i);
      if (ch === 40 /* ( */) max = Math.max(max, depth + ++parens);
      else if (ch === 41 /* ) */) parens--;
    }
    max = Math.max(max, depth);
    at = body.indexOf('{{', close + 2);
  }
  return max;
}
