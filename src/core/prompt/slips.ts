import type { Range } from '../text/positions';
import type { PromptDiagnostic } from './diagnostic';
import type { InputSchemaFacts } from './schema';
import type { PromptLayout } from './source';
import type { TemplateFacts } from './template';

/**
 * Mistakes the `dotprompt` library renders without complaint, so the user only notices them in
 * the model's answers: template syntax from other engines (printed as text), the block form of
 * `role`/`section` (its content is dropped), and a closing fence without a line break (the whole
 * file, frontmatter included, becomes the template).
 */
export function findSlips(layout: PromptLayout, template: TemplateFacts, inputs: InputSchemaFacts): PromptDiagnostic[] {
  const out: PromptDiagnostic[] = [];
  fenceWithoutBreak(layout, out);
  headerBeforeFrontmatter(layout, out);
  const body = layout.text.slice(layout.bodyStart);
  const range = (start: number, end: number): Range => layout.lines.range(layout.bodyStart + start, layout.bodyStart + end);
  const skipped = mustacheSpans(body);
  const outside = (at: number): boolean => !insideSpan(skipped, at);
  jinjaTags(body, range, outside, out);
  goTemplate(body, range, out);
  singleBraces(body, range, outside, inputs, out);
  roleBlocks(layout, template, out);
  return out;
}

function fenceWithoutBreak(layout: PromptLayout, out: PromptDiagnostic[]): void {
  if (layout.frontmatter) return;
  const { lines } = layout;
  const last = lines.lineCount - 1;
  if (last < 1 || !/^---[ \t]*$/.test(lines.lineText(last))) return;
  let open = 0;
  while (open < last && /^(?:[ \t]*|#.*)$/.test(lines.lineText(open)) && !/^---[ \t]*$/.test(lines.lineText(open))) open++;
  if (open >= last || !/^---[ \t]*$/.test(lines.lineText(open))) return;
  const end = layout.text.length;
  out.push({
    range: lines.range(lines.lineStart(last), end),
    severity: 'warning',
    code: 'frontmatter-fence-at-end',
    message:
      'The closing "---" has no line break after it, so Dotprompt does not see a frontmatter: the whole file, YAML included, is sent as the prompt text. Add a line break (and the template after it).',
    fix: { title: 'Add a line break after the closing ---', edits: [{ range: lines.range(end, end), newText: '\n' }] },
  });
}

/**
 * Comment lines or blank lines before the opening `---`: Dotprompt's newer sources (and Genkit Go)
 * skip them, but the npm release this extension and Genkit JS use (dotprompt 1.1.2) only sees a
 * frontmatter at the very start, and otherwise sends the whole file as the prompt text.
 */
function headerBeforeFrontmatter(layout: PromptLayout, out: PromptDiagnostic[]): void {
  if (!layout.frontmatter || layout.headerEnd === 0) return;
  const { lines } = layout;
  const lastHeaderLine = lines.positionAt(layout.headerEnd).line - 1;
  out.push({
    range: lines.range(0, lines.lineEnd(Math.max(0, lastHeaderLine))),
    severity: 'information',
    code: 'header-before-frontmatter',
    message:
      'Lines before the opening "---": newer Dotprompt (and Genkit Go) skip them, but the npm release dotprompt 1.1.2, which Genkit JS uses, then sees no frontmatter and sends the whole file, YAML included, as the prompt. Move them below the frontmatter as a Handlebars comment ({{! … }}) if the prompt runs in JS.',
  });
}

/** Binary search over sorted, disjoint spans, so hostile files with many braces stay linear-ish. */
function insideSpan(spans: readonly [number, number][], at: number): boolean {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const [s, e] = spans[mid]!;
    if (at < s) high = mid - 1;
    else if (at >= e) low = mid + 1;
    else return true;
  }
  return false;
}

/** `[start, end)` of every mustache and comment, where braces and `{%` mean something else. */
function mustacheSpans(body: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let at = body.indexOf('{{'); at >= 0;) {
    const longComment = body.startsWith('{{!--', at) || body.startsWith('{{~!--', at);
    const stop = longComment ? body.indexOf('--}}', at + 5) : body.indexOf('}}', at + 2);
    const end = stop < 0 ? body.length : stop + (longComment ? 4 : 2);
    spans.push([at, end]);
    at = body.indexOf('{{', end);
  }
  return spans;
}

/**
 * Go's text/template (a field after a dot, optionally after a Go action): `{{.Query}}`,
 * `{{range .Items}}`, `{{- .X -}}`. Handlebars reads none of it as meant; Go apps with their own
 * loader keep such files next to real Dotprompt ones.
 */
const GO_ACTION = /\{\{-?\s*(?:(?:if|with|range|len|index|printf|not)\s+)?\$?\.[A-Za-z_]/g;

/** The code of the Go-template finding; analysis skips variable checks on such a file. */
export const GO_TEMPLATE_CODE = 'go-template-syntax';

function goTemplate(body: string, range: (s: number, e: number) => Range, out: PromptDiagnostic[]): void {
  const found = [...body.matchAll(GO_ACTION)];
  const first = found[0];
  if (!first) return;
  const end = body.indexOf('}}', first.index);
  out.push({
    range: range(first.index, end < 0 ? first.index + first[0].length : end + 2),
    severity: 'warning',
    code: GO_TEMPLATE_CODE,
    message: `This is Go text/template syntax (${found.length === 1 ? 'here' : `here and in ${found.length - 1} more ${found.length === 2 ? 'place' : 'places'}`}): Dotprompt templates are Handlebars, where a field has no leading dot and blocks open with # and close with / — {{query}}, {{#each items}}…{{/each}}, {{#if x}}…{{/if}}, never {{end}}.`,
  });
}

const JINJA_TAG = /\{%-?\s*(\w+)([^%]*?)-?%\}/g;

function jinjaTags(body: string, range: (s: number, e: number) => Range, outside: (at: number) => boolean, out: PromptDiagnostic[]): void {
  for (const m of body.matchAll(JINJA_TAG)) {
    if (!outside(m.index)) continue;
    const tag = m[1]!;
    const args = m[2]!.trim();
    const r = range(m.index, m.index + m[0].length);
    const replacement = handlebarsFor(tag, args);
    out.push({
      range: r,
      severity: 'warning',
      code: 'foreign-syntax',
      message: `"${m[0]}" is Jinja/Django syntax: Dotprompt templates are Handlebars, so this is sent to the model as literal text.${replacement ? ` Write ${replacement}.` : ''}`,
      ...(replacement ? { fix: { title: `Replace with ${replacement}`, edits: [{ range: r, newText: replacement }] } } : {}),
    });
  }
}

function handlebarsFor(tag: string, args: string): string | undefined {
  const forLoop = /^(\w+)\s+in\s+([\w.]+)$/.exec(args);
  switch (tag) {
    case 'if':
      return /^[\w.]+$/.test(args) ? `{{#if ${args}}}` : undefined;
    case 'else':
      return '{{else}}';
    case 'endif':
      return '{{/if}}';
    case 'for':
      return forLoop ? `{{#each ${forLoop[2]} as |${forLoop[1]}|}}` : undefined;
    case 'endfor':
      return '{{/each}}';
    default:
      return undefined;
  }
}

function singleBraces(
  body: string,
  range: (s: number, e: number) => Range,
  outside: (at: number) => boolean,
  inputs: InputSchemaFacts,
  out: PromptDiagnostic[],
): void {
  const declared = inputs.declared;
  if (!declared || declared.size === 0) return;
  for (const m of body.matchAll(/(?<!\{)\{\s*([A-Za-z_]\w*)\s*\}(?!\})/g)) {
    const name = m[1]!;
    if (!declared.has(name) || !outside(m.index)) continue;
    const r = range(m.index, m.index + m[0].length);
    out.push({
      range: r,
      severity: 'warning',
      code: 'single-brace',
      message: `"${m[0]}" is sent as literal text: Handlebars only substitutes double braces. Write {{${name}}} to insert the input "${name}".`,
      fix: { title: `Replace with {{${name}}}`, edits: [{ range: r, newText: `{{${name}}}` }] },
    });
  }
}

/** `{{#role "system"}}…{{/role}}`: the helper ignores its block, so the text inside is lost. */
function roleBlocks(layout: PromptLayout, template: TemplateFacts, out: PromptDiagnostic[]): void {
  for (const block of template.blocks) {
    if (block.name !== 'role' && block.name !== 'section') continue;
    const start = layout.lines.offsetAt(block.range.start);
    const end = layout.lines.offsetAt(block.range.end);
    const openEnd = layout.lines.offsetAt(block.openRange.end);
    const source = layout.text.slice(start, end);
    const closer = /\{\{~?\s*\/\s*(?:role|section)\s*~?\}\}$/.exec(source);
    const opener = layout.text.slice(start, openEnd);
    const edits = closer
      ? [
          { range: layout.lines.range(start, openEnd), newText: opener.replace(/^\{\{(~?)\s*#/, '{{$1') },
          { range: layout.lines.range(start + closer.index, end), newText: '' },
        ]
      : undefined;
    out.push({
      range: block.openRange,
      severity: 'warning',
      code: 'role-block',
      message: `{{#${block.name} …}} is not a block helper: Dotprompt drops everything between it and {{/${block.name}}}, so that text never reaches the model. Write {{${block.name} "…"}} on its own; the text after it belongs to that ${block.name === 'role' ? 'message' : 'section'}.`,
      ...(edits ? { fix: { title: `Use {{${block.name} …}} without a closing tag`, edits } } : {}),
    });
  }
}
