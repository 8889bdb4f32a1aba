import Handlebars from 'handlebars';
import type { Range } from '../text/positions';
import { LineIndex } from '../text/positions';
import { parseAfterBlanking } from './salvage';
import type { PromptLayout } from './source';

type HbsNode = hbs.AST.Node;
type Loc = { start: hbs.AST.Position; end: hbs.AST.Position };

export interface VariableRef {
  /** The path as written, e.g. `user.name`, `@root.items`, `../title`. */
  original: string;
  /** First path segment (after `@root.` when present), or '' for `this`. */
  head: string;
  range: Range;
  /** True inside a block that changes the context (`each`, `with`, or a section over a value). */
  scoped: boolean;
  /** True for `@data` variables such as `@index` or `@root`. */
  data: boolean;
}

export interface HelperCall {
  name: string;
  range: Range;
  block: boolean;
}

export interface PartialRef {
  name: string;
  range: Range;
  dynamic: boolean;
}

export interface BlockInfo {
  name: string;
  /** From `{{#` to the end of `{{/…}}`. */
  range: Range;
  openRange: Range;
  params: string[];
}

export interface RoleMarker {
  kind: 'role' | 'history' | 'section' | 'media';
  /** The role or section name (empty for history/media). */
  label: string;
  range: Range;
}

export interface TemplateSyntaxError {
  message: string;
  range: Range;
  code: 'unclosed-block' | 'mismatched-block' | 'handlebars-syntax';
  /** For a mismatched closer: the opener it fails to close. */
  related?: { range: Range; message: string }[];
}

export interface TemplateFacts {
  variables: VariableRef[];
  helpers: HelperCall[];
  partials: PartialRef[];
  blocks: BlockInfo[];
  markers: RoleMarker[];
  comments: Range[];
  error?: TemplateSyntaxError;
}

/** Analyses the Handlebars body of a prompt; all ranges are in document coordinates. */
export function analyzeTemplate(layout: PromptLayout): TemplateFacts {
  const body = layout.text.slice(layout.bodyStart);
  const bodyLines = new LineIndex(body);
  const toDoc = (line1: number, column: number): number => layout.bodyStart + bodyLines.offsetAt({ line: line1 - 1, character: column });
  const locRange = (loc: Loc): Range => layout.lines.range(toDoc(loc.start.line, loc.start.column), toDoc(loc.end.line, loc.end.column));

  const facts: TemplateFacts = { variables: [], helpers: [], partials: [], blocks: [], markers: [], comments: [] };
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parseWithoutProcessing(body);
  } catch (err) {
    facts.error = describeSyntaxError(err, body, bodyLines, layout);
    // One broken mustache should not hide every other finding: check what still parses.
    const salvaged = parseAfterBlanking(body, facts.error, (blanked, e) => describeSyntaxError(e, blanked, bodyLines, layout), layout);
    if (salvaged) new FactCollector(facts, locRange).program(salvaged, 0);
    return facts;
  }
  new FactCollector(facts, locRange).program(program, 0);
  return facts;
}

const CONTEXT_CHANGING = new Set(['each', 'with']);
const KNOWN_NON_SCOPING_BLOCKS = new Set(['if', 'unless', 'ifEquals', 'unlessEquals']);

class FactCollector {
  constructor(
    private readonly facts: TemplateFacts,
    private readonly locRange: (loc: Loc) => Range,
  ) {}

  program(node: hbs.AST.Program | undefined, depth: number): void {
    if (!node) return;
    for (const statement of node.body) this.statement(statement, depth);
  }

  private statement(node: hbs.AST.Statement, depth: number): void {
    switch (node.type) {
      case 'MustacheStatement':
      case 'SubExpression':
        this.call(node as hbs.AST.MustacheStatement, depth, false);
        break;
      case 'BlockStatement':
      case 'DecoratorBlock': {
        const block = node as hbs.AST.BlockStatement;
        this.call(block, depth, true);
        const name = pathName(block.path);
        this.facts.blocks.push({
          name,
          range: this.locRange(block.loc),
          openRange: this.locRange(block.program?.loc ? { start: block.loc.start, end: block.program.loc.start } : block.loc),
          params: block.params.map(expressionText),
        });
        const scoping = CONTEXT_CHANGING.has(name) || (!KNOWN_NON_SCOPING_BLOCKS.has(name) && block.params.length === 0);
        this.program(block.program, scoping ? depth + 1 : depth);
        this.program(block.inverse, depth);
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const partial = node as hbs.AST.PartialStatement;
        const dynamic = partial.name.type === 'SubExpression';
        this.facts.partials.push({
          name: dynamic ? expressionText(partial.name) : pathOrLiteralName(partial.name),
          range: this.locRange(partial.loc),
          dynamic,
        });
        for (const p of partial.params) this.expression(p, depth);
        if (partial.hash) for (const pair of partial.hash.pairs) this.expression(pair.value, depth);
        if (node.type === 'PartialBlockStatement') {
          this.program((node as hbs.AST.PartialBlockStatement).program, depth + 1);
          const block = node as hbs.AST.PartialBlockStatement;
          this.facts.blocks.push({
            name: `> ${pathOrLiteralName(block.name)}`,
            range: this.locRange(block.loc),
            openRange: this.locRange(block.loc),
            params: [],
          });
        }
        break;
      }
      case 'CommentStatement':
        this.facts.comments.push(this.locRange(node.loc));
        break;
      default:
        break;
    }
  }

  private call(node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression, depth: number, block: boolean): void {
    const path = node.path;
    const hasArgs = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (path.type === 'PathExpression') {
      const p = path as hbs.AST.PathExpression;
      const simple = p.parts.length === 1 && !p.data && p.depth === 0 && !/^(this|\.)/.test(p.original);
      if (simple && (hasArgs || block || node.type === 'SubExpression' || isKnownHelperName(p.parts[0]!))) {
        this.facts.helpers.push({ name: p.parts[0]!, range: this.locRange(p.loc), block });
        this.marker(p.parts[0]!, node, depth);
      } else {
        this.variable(p, depth);
      }
    } else {
      this.expression(path as hbs.AST.Expression, depth);
    }
    for (const param of node.params) this.expression(param, depth);
    if (node.hash) for (const pair of node.hash.pairs) this.expression(pair.value, depth);
  }

  private marker(name: string, node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression, _depth: number): void {
    if (name !== 'role' && name !== 'history' && name !== 'section' && name !== 'media') return;
    const first = node.params[0];
    const label = first && first.type === 'StringLiteral' ? (first as hbs.AST.StringLiteral).value : '';
    this.facts.markers.push({ kind: name, label, range: this.locRange(node.loc) });
  }

  private expression(node: hbs.AST.Expression, depth: number): void {
    if (node.type === 'PathExpression') this.variable(node as hbs.AST.PathExpression, depth);
    else if (node.type === 'SubExpression') this.call(node as hbs.AST.SubExpression, depth, false);
  }

  private variable(p: hbs.AST.PathExpression, depth: number): void {
    let parts = p.parts;
    let scoped = depth > 0 && p.depth === 0;
    if (p.data && parts[0] === 'root') {
      parts = parts.slice(1);
      scoped = false;
      this.facts.variables.push({ original: p.original, head: parts[0] ?? '', range: this.locRange(p.loc), scoped, data: false });
      return;
    }
    if (p.depth > 0 && p.depth >= depth) scoped = false;
    this.facts.variables.push({ original: p.original, head: parts[0] ?? '', range: this.locRange(p.loc), scoped, data: p.data });
  }
}

function isKnownHelperName(name: string): boolean {
  return (
    name === 'history' ||
    name === 'role' ||
    name === 'section' ||
    name === 'media' ||
    name === 'json' ||
    name === 'log' ||
    name === 'lookup'
  );
}

function pathName(node: hbs.AST.Expression): string {
  return node.type === 'PathExpression' ? (node as hbs.AST.PathExpression).original : expressionText(node);
}

function pathOrLiteralName(node: hbs.AST.Expression | hbs.AST.PathExpression | hbs.AST.SubExpression): string {
  if (node.type === 'PathExpression') return (node as hbs.AST.PathExpression).original;
  if (node.type === 'StringLiteral' || node.type === 'NumberLiteral') return String((node as hbs.AST.StringLiteral).value);
  return expressionText(node as hbs.AST.Expression);
}

export function expressionText(node: HbsNode): string {
  switch (node.type) {
    case 'PathExpression':
      return (node as hbs.AST.PathExpression).original;
    case 'StringLiteral':
      return JSON.stringify((node as hbs.AST.StringLiteral).value);
    case 'NumberLiteral':
    case 'BooleanLiteral':
      return String((node as hbs.AST.NumberLiteral).value);
    case 'SubExpression': {
      const sub = node as hbs.AST.SubExpression;
      return `(${[expressionText(sub.path), ...sub.params.map(expressionText)].join(' ')})`;
    }
    default:
      return node.type === 'NullLiteral' ? 'null' : node.type === 'UndefinedLiteral' ? 'undefined' : node.type;
  }
}

interface HandlebarsLocatedError {
  message: string;
  lineNumber?: number;
  column?: number;
  endLineNumber?: number;
  endColumn?: number;
}

function describeSyntaxError(err: unknown, body: string, bodyLines: LineIndex, layout: PromptLayout): TemplateSyntaxError {
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
