import Handlebars from 'handlebars';
import { parse as parseYaml } from 'yaml';
import { layoutPrompt, librarySource, templateTooLarge } from '../prompt/source';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * Formatting that never changes what a file renders to: tidy mustache spacing (`{{ name }}` →
 * `{{name}}`), remove trailing whitespace, end with one newline. Every candidate edit is checked
 * against the meaning of the file (the YAML value and the Handlebars AST after whitespace
 * control); an edit that would change it is dropped.
 */
export function formatPrompt(text: string): TextEdit[] {
  if (templateTooLarge(layoutPrompt(text))) return [];
  const baseline = meaning(text);
  if (baseline === undefined) return []; // a file that does not parse is left alone
  const keeps = (edits: readonly TextEdit[]): boolean => meaning(applyEdits(text, edits)) === baseline;
  const groups = [mustacheEdits(text), trailingWhitespaceEdits(text), finalNewlineEdits(text)].filter((g) => g.length > 0);
  const all = groups.flat();
  if (all.length === 0 || keeps(all)) return sorted(all);
  // Some edit matters (e.g. trailing spaces inside rendered text): keep the groups that are
  // safe, and within a failing group the single edits that are, up to a bounded number of checks.
  const safe: TextEdit[] = [];
  for (const group of groups) {
    if (keeps([...safe, ...group])) {
      safe.push(...group);
      continue;
    }
    if (group.length > MAX_SINGLE_CHECKS) continue;
    for (const edit of group) if (keeps([...safe, edit])) safe.push(edit);
  }
  return sorted(safe);
}

const MAX_SINGLE_CHECKS = 200;

function sorted(edits: TextEdit[]): TextEdit[] {
  return [...edits].sort((a, b) => a.start - b.start);
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/**
 * What the library will see, as one string: the parsed frontmatter and the processed template
 * AST without source locations. Undefined when the file does not parse.
 */
function meaning(text: string): string | undefined {
  const layout = layoutPrompt(text);
  const source = librarySource(layout);
  let frontmatter: unknown = null;
  let template = source;
  // Split the source exactly as the library does: an empty frontmatter (`---` twice) leaves the
  // whole file, fences included and untrimmed, as the template. (Only with a closing fence: the
  // library's regex is quadratic on a `---` line followed by many blank lines and no closer.)
  const match = layout.frontmatter ? LIBRARY_FRONTMATTER.exec(source) : null;
  if (match?.[1]) {
    try {
      frontmatter = parseYaml(match[1]);
    } catch {
      return undefined;
    }
    template = match[2]!.trim();
  }
  let ast: unknown;
  try {
    ast = Handlebars.parse(template);
  } catch {
    return undefined;
  }
  const parts: string[] = [JSON.stringify(frontmatter)];
  fingerprint(ast, parts);
  return parts.join('\u0000');
}

/** Appends every field of an AST except locations, in a fixed order, to `out`. */
function fingerprint(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    out.push(`[${node.length}`);
    for (const item of node) fingerprint(item, out);
    return;
  }
  if (node && typeof node === 'object') {
    for (const key of Object.keys(node)) {
      if (key === 'loc') continue;
      out.push(key);
      fingerprint((node as Record<string, unknown>)[key], out);
    }
    out.push('}');
    return;
  }
  out.push(typeof node === 'string' ? `s${node}` : String(node));
}

/** The `dotprompt` library's (1.1.2) FRONTMATTER_AND_BODY_REGEX. */
const LIBRARY_FRONTMATTER = /^---\s*(?:\r\n|\r|\n)([\s\S]*?)(?:\r\n|\r|\n)---\s*(?:\r\n|\r|\n)([\s\S]*)$/;

const MUSTACHE = /\{\{[^{}\n]*\}\}/g;

function mustacheEdits(text: string): TextEdit[] {
  const layout = layoutPrompt(text);
  const body = text.slice(layout.bodyStart);
  const edits: TextEdit[] = [];
  for (const m of body.matchAll(MUSTACHE)) {
    const full = m[0];
    const inner = full.slice(2, -2);
    const tildeOpen = inner.startsWith('~') ? '~' : '';
    const tildeClose = inner.length > 1 && inner.endsWith('~') ? '~' : '';
    let core = inner.slice(tildeOpen.length, inner.length - tildeClose.length).trim();
    if (!core || core.startsWith('!')) continue;
    core = core
      .replace(/^([#/^&])\s+/, '$1')
      .replace(/^>\s*/, '> ')
      .replace(/^#>\s*/, '#> ');
    const tidy = `{{${tildeOpen}${core}${tildeClose}}}`;
    if (tidy !== full) edits.push({ start: layout.bodyStart + m.index!, end: layout.bodyStart + m.index! + full.length, newText: tidy });
  }
  return edits;
}

/** Where the text's trailing whitespace (spaces, blank lines) begins. */
function contentEnd(text: string): number {
  // A loop, not /\s+$/: that regex is quadratic on a long whitespace run inside the text.
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return end;
}

function trailingWhitespaceEdits(text: string): TextEdit[] {
  const end = contentEnd(text);
  const edits: TextEdit[] = [];
  // Matches start only where a blank run starts, so a long run that ends in text stays linear.
  for (const m of text.matchAll(/(?<![ \t])[ \t]+(?=\r?\n)/g)) {
    if (m.index! < end) edits.push({ start: m.index!, end: m.index! + m[0].length, newText: '' });
  }
  return edits;
}

function finalNewlineEdits(text: string): TextEdit[] {
  if (text.trim().length === 0) return [];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const end = contentEnd(text);
  if (text.slice(end) === eol) return [];
  return [{ start: end, end: text.length, newText: eol }];
}
