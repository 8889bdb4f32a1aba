/**
 * Template syntax errors: turns what Handlebars' parser throws into one readable message with the
 * range to mark (the stray closer, the unclosed opener, the offending token).
 */
import Handlebars from 'handlebars';
import type { LineIndex, Range } from '../text/positions';
import type { PromptLayout } from './source';

export interface TemplateSyntaxError {
  message: string;
  range: Range;
  code: 'unclosed-block' | 'mismatched-block' | 'handlebars-syntax';
  /** For a mismatched closer: the opener it fails to close. */
  related?: { range: Range; message: string }[];
}

interface HandlebarsLocatedError {
  message: string;
  lineNumber?: number;
  column?: number;
  endLineNumber?: number;
  endColumn?: number;
}

export function describeSyntaxError(err: unknown, body: string, bodyLines: LineIndex, layout: PromptLayout): TemplateSyntaxError {
  const e = err as HandlebarsLocatedError;
  const message = err instanceof Error ? err.message : String(err);
  const toDoc = (line0: number, column: number): number => layout.bodyStart + bodyLines.offsetAt({ line: line0, character: column });
  // Block mismatches carry their own location ("if doesn't match each - 1:3").
  if (typeof e.lineNumber === 'number' && typeof e.column === 'number') {
    const start = toDoc(e.lineNumber - 1, e.column);
    const end =
      typeof e.endLineNumber === 'number' && typeof e.endColumn === 'number' ? toDoc(e.endLineNumber - 1, e.endColumn) : start + 1;
    const names = /^(\S+) doesn't match (\S+)/.exec(message);
    const text = names
      ? `{{/${names[2]}}} does not close the open {{#${names[1]}}} block.${names[2] === 'section' || names[2] === 'role' ? ` "${names[2]}" is not a block helper: write {{${names[2]} "name"}} on its own.` : ''}`
      : message.replace(/ - \d+:\d+$/, '');
    // Mark the stray closer itself, and point at the opener it fails to close.
    const pair = findMismatch(body);
    if (names && pair) {
      const at = (tag: BlockTag): Range => layout.lines.range(layout.bodyStart + tag.offset, layout.bodyStart + tag.offset + tag.length);
      return {
        message: text,
        range: at(pair.closer),
        code: 'mismatched-block',
        related: [{ range: at(pair.opener), message: `The open {{#${pair.opener.name}}} block.` }],
      };
    }
    return { message: text, range: layout.lines.range(start, Math.max(end, start + 1)), code: 'mismatched-block' };
  }
  if (/got 'EOF'/.test(message)) {
    const open = findUnclosedBlock(body);
    if (open) {
      const start = layout.bodyStart + open.offset;
      return {
        message: `Unclosed block: {{#${open.name}}} has no matching {{/${open.name}}}.`,
        range: layout.lines.range(start, start + open.length),
        code: 'unclosed-block',
      };
    }
    // A mustache left open at the end: mark its `{{`, not the end of the file.
    const lastOpen = body.lastIndexOf('{{');
    if (lastOpen >= 0 && body.indexOf('}}', lastOpen) < 0) {
      const start = layout.bodyStart + lastOpen;
      return { message: summarizeParseError(message), range: layout.lines.range(start, start + 2), code: 'handlebars-syntax' };
    }
  }
  if (/got 'OPEN_ENDBLOCK'/.test(message)) {
    const stray = findStrayCloser(body);
    if (stray) {
      const start = layout.bodyStart + stray.offset;
      const hint =
        stray.name === 'section' || stray.name === 'role'
          ? ` "${stray.name}" is not a block helper: write {{${stray.name} "name"}} on its own.`
          : '';
      return {
        message: `{{/${stray.name}}} closes a block that was never opened.${hint}`,
        range: layout.lines.range(start, start + stray.length),
        code: 'mismatched-block',
      };
    }
  }
  // Parse and lexical errors: the lexer still holds the offending token's location.
  const lexer = (
    Handlebars as unknown as {
      Parser: { lexer: { yylloc?: { first_line: number; first_column: number; last_line: number; last_column: number } } };
    }
  ).Parser.lexer;
  const loc = lexer.yylloc;
  const summary = summarizeParseError(message);
  if (loc) {
    const start = toDoc(loc.first_line - 1, loc.first_column);
    const end = toDoc(loc.last_line - 1, loc.last_column);
    return { message: summary, range: layout.lines.range(start, Math.max(end, start + 1)), code: 'handlebars-syntax' };
  }
  return { message: summary, range: layout.lines.range(layout.bodyStart, layout.bodyStart), code: 'handlebars-syntax' };
}

/** Turns jison's multi-line "Parse error on line N: … Expecting …" into one readable sentence. */
function summarizeParseError(message: string): string {
  const got = /got '([^']+)'/.exec(message);
  const expecting = /Expecting (.*), got/.exec(message);
  if (got && expecting) {
    const wanted = expecting[1]!
      .split(', ')
      .map((t) => TOKEN_NAMES[t.replace(/'/g, '')] ?? t.replace(/'/g, ''))
      .filter((v, i, a) => a.indexOf(v) === i);
    const found = TOKEN_NAMES[got[1]!] ?? got[1]!;
    if (/\{\{[^}]*\|/.test(message) && !/\bas \|/.test(message))
      return 'Handlebars syntax error: Handlebars has no filters (`{{ name | upper }}` is Jinja/Django); call a helper instead, e.g. {{upper name}} with a helper your app registers.';
    // jison quotes the source line up to the error: what the author wrote is in the message.
    if (/\{\{[^}]*?(?:[<>]=?|[!=]==?|&&|\|\|)/.test(message))
      return 'Handlebars syntax error: Handlebars has no operators (`{{#if age >= 18}}`); pass the result as an input (a boolean), use {{#ifEquals a b}} for equality, or a helper your app registers.';
    if (wanted.includes('"}}"')) return `Handlebars syntax error: this {{…}} is not closed properly: expected "}}" but found ${found}.`;
    return `Handlebars syntax error: expected ${wanted.slice(0, 4).join(', ')}${wanted.length > 4 ? ', …' : ''} but found ${found}.`;
  }
  const firstLine = message.split('\n')[0] ?? message;
  return `Handlebars syntax error: ${firstLine}`;
}

const TOKEN_NAMES: Record<string, string> = {
  EOF: 'the end of the file',
  CLOSE: '"}}"',
  CLOSE_UNESCAPED: '"}}}"',
  CLOSE_RAW_BLOCK: '"}}}}"',
  CLOSE_SEXPR: '")"',
  OPEN_SEXPR: '"("',
  ID: 'a name',
  STRING: 'a string',
  NUMBER: 'a number',
  BOOLEAN: 'true/false',
  UNDEFINED: 'undefined',
  NULL: 'null',
  DATA: 'an @variable',
  INVALID: 'an invalid character',
  EQUALS: '"="',
  SEP: '"." or "/"',
  OPEN_BLOCK_PARAMS: '"as |…|"',
  CLOSE_BLOCK_PARAMS: '"|"',
  OPEN_ENDBLOCK: '"{{/…}}"',
  INVERSE: '"{{else}}"',
  OPEN_INVERSE_CHAIN: '"{{else …}}"',
  CONTENT: 'text',
  COMMENT: 'a comment',
};

interface OpenBlock {
  name: string;
  offset: number;
  length: number;
}

interface BlockTag {
  kind: 'open' | 'close';
  name: string;
  offset: number;
  length: number;
}

/**
 * Lists block openers and closers with plain `indexOf` scanning, linear in the text's length
 * even for hostile input (unterminated comments or mustaches end the scan).
 */
function scanBlockTags(body: string): BlockTag[] {
  const tags: BlockTag[] = [];
  let at = body.indexOf('{{');
  while (at >= 0) {
    const isLongComment = body.startsWith('{{!--', at) || body.startsWith('{{~!--', at);
    const end = isLongComment ? body.indexOf('--', at + 5) : body.indexOf('}}', at + 2);
    if (end < 0) break;
    const close = isLongComment ? body.indexOf('}}', end) : end;
    if (close < 0) break;
    const inner = body.slice(at + 2, close).replace(/^~?\s*/, '');
    const m = /^([#^/])\s*>?\s*([^\s}~()]+)/.exec(inner);
    if (m && !inner.startsWith('!')) tags.push({ kind: m[1] === '/' ? 'close' : 'open', name: m[2]!, offset: at, length: close + 2 - at });
    at = body.indexOf('{{', close + 2);
  }
  return tags;
}

/** The first closer that does not match the innermost open block, with that block's opener. */
function findMismatch(body: string): { closer: BlockTag; opener: BlockTag } | undefined {
  const stack: BlockTag[] = [];
  for (const tag of scanBlockTags(body)) {
    if (tag.kind === 'open') stack.push(tag);
    else {
      const top = stack.pop();
      if (top && top.name !== tag.name) return { closer: tag, opener: top };
    }
  }
  return undefined;
}

/** The first block closer with no opener. */
function findStrayCloser(body: string): OpenBlock | undefined {
  const open: string[] = [];
  for (const tag of scanBlockTags(body)) {
    if (tag.kind === 'open') open.push(tag.name);
    else if (open.lastIndexOf(tag.name) >= 0) open.length = open.lastIndexOf(tag.name);
    else return tag;
  }
  return undefined;
}

/** The innermost block opener left unclosed. */
export function findUnclosedBlock(body: string): OpenBlock | undefined {
  const stack: BlockTag[] = [];
  for (const tag of scanBlockTags(body)) {
    if (tag.kind === 'open') stack.push(tag);
    else {
      const idx = stack.map((b) => b.name).lastIndexOf(tag.name);
      if (idx >= 0) stack.length = idx;
    }
  }
  return stack[stack.length - 1];
}
