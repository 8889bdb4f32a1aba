import Handlebars from 'handlebars';
import type { Range } from '../text/positions';
import { LineIndex } from '../text/positions';
import { HELPERS } from './fields';
import { parseAfterBlanking } from './salvage';
import { describeSyntaxError, type TemplateSyntaxError } from './template-errors';
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
  /** A section, `{{#items}}…{{/items}}`: the name is also recorded as a (section) helper call. */
  section?: true;
}

export interface HelperCall {
  name: string;
  range: Range;
  block: boolean;
  /**
   * A block without arguments whose name is no built-in helper (`{{#items}}…{{/items}}`):
   * Handlebars renders it as a section over the value of that name unless the app registers a
   * helper by that name.
   */
  section: boolean;
}

export interface PartialRef {
  name: string;
  range: Range;
  dynamic: boolean;
  /**
   * Why the reference renders without a partial file: an inline partial of this template
   * (`{{#*inline "name"}}`), or a partial block whose content is the fallback (`{{#> name}}…`).
   */
  local?: 'inline' | 'failover';
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

export type { TemplateSyntaxError };
export { findUnclosedBlock } from './template-errors';

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
    if (salvaged) new FactCollector(facts, locRange).collect(salvaged);
    return facts;
  }
  new FactCollector(facts, locRange).collect(program);
  return facts;
}

/** Marks the references to inline partials the template defines (they need no partial file). */
function markInlinePartials(facts: TemplateFacts, inline: ReadonlySet<string>): void {
  for (const ref of facts.partials) if (!ref.dynamic && !ref.local && inline.has(ref.name)) ref.local = 'inline';
}

const CONTEXT_CHANGING = new Set(['each', 'with']);
const KNOWN_NON_SCOPING_BLOCKS = new Set(['if', 'unless', 'ifEquals', 'unlessEquals']);

class FactCollector {
  /** Names of the inline partials the template defines (`{{#*inline "name"}}`). */
  private readonly inlinePartials = new Set<string>();

  constructor(
    private readonly facts: TemplateFacts,
    private readonly locRange: (loc: Loc) => Range,
  ) {}

  collect(program: hbs.AST.Program): void {
    this.program(program, 0);
    markInlinePartials(this.facts, this.inlinePartials);
  }

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
      case 'DecoratorBlock': {
        // `{{#*inline "name"}}…{{/inline}}` defines a partial; its body renders where it is used.
        const block = node as unknown as hbs.AST.BlockStatement;
        const first = block.params[0];
        if (pathName(block.path) === 'inline' && first?.type === 'StringLiteral')
          this.inlinePartials.add((first as hbs.AST.StringLiteral).value);
        this.program(block.program, depth);
        break;
      }
      case 'BlockStatement': {
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
          // The block's content is what renders when the partial is missing, in the same context
          // unless the call passes one.
          this.facts.partials[this.facts.partials.length - 1]!.local = 'failover';
          const block = node as hbs.AST.PartialBlockStatement;
          this.program(block.program, partial.params.length > 0 ? depth + 1 : depth);
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
        const name = p.parts[0]!;
        const section = block && !hasArgs && !Object.hasOwn(HELPERS, name);
        this.facts.helpers.push({ name, range: this.locRange(p.loc), block, section });
        if (section)
          this.facts.variables.push({
            original: p.original,
            head: name,
            range: this.locRange(p.loc),
            scoped: depth > 0,
            data: false,
            section,
          });
        this.marker(name, node, depth);
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
