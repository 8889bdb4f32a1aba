import * as path from 'node:path';
import type { VariableRef } from '../prompt/template';
import { containsPosition, type Position, type Range } from '../text/positions';
import type { FileFacts, NavigationIndex } from './navigation-index';

/** A place in a workspace file. */
export interface FileLocation {
  path: string;
  range: Range;
}

/** Where one input is declared and used, across a prompt and the partials that share it. */
export interface InputOccurrences {
  name: string;
  /** Schema keys (Picoschema or JSON Schema `properties`), the part that is the name only. */
  declarations: FileLocation[];
  /** `input.default` keys, JSON Schema `required` entries and hash keys of calls that set it: renamed with the input. */
  companions: FileLocation[];
  /** Template uses, the first path segment only (`user` in `{{@root.user.name}}`). */
  uses: FileLocation[];
  /** Every file linked by the input: the prompts that declare it and the partials that read it. */
  files: string[];
}

/** The input variable whose use or schema key is at `pos`, if any. */
export function inputNameAt(facts: FileFacts, pos: Position): { name: string; range: Range } | undefined {
  for (const decl of declarationsIn(facts)) if (containsPosition(decl.range, pos)) return decl;
  const use = facts.template.variables.find((v) => containsPosition(v.range, pos));
  if (!use || use.scoped || use.data || !use.head) return undefined;
  const range = headRange(facts, use);
  return range && containsPosition(range, pos) ? { name: use.head, range } : undefined;
}

/**
 * Finds every occurrence of input `name` linked to `start`. A partial's unscoped variables are
 * its caller's inputs when the call passes the caller's context through (no context argument,
 * not inside `each`/`with`, and no hash key of that name), so the link runs both ways: from a
 * prompt to the partials it includes, and from a partial to every prompt that includes it.
 */
export function inputOccurrences(index: NavigationIndex, start: string, name: string): InputOccurrences {
  const linked = new Set<string>([path.resolve(start)]);
  const queue = [path.resolve(start)];
  const passes = (call: FileFacts['calls'][number]): boolean => !call.scoped && !call.hasContextArgument && !call.hashKeys.has(name);
  while (queue.length > 0) {
    const file = queue.shift()!;
    const facts = index.get(file);
    if (!facts) continue;
    const next: string[] = [];
    for (const call of facts.calls) if (call.target && passes(call)) next.push(call.target);
    for (const { file: caller, call } of index.callsTo(file)) if (passes(call)) next.push(caller.path);
    for (const f of next) {
      if (linked.has(f)) continue;
      linked.add(f);
      queue.push(f);
    }
  }
  const result: InputOccurrences = { name, declarations: [], companions: [], uses: [], files: [...linked].sort() };
  for (const file of result.files) {
    const facts = index.get(file);
    if (!facts) continue;
    for (const decl of declarationsIn(facts)) if (decl.name === name) result.declarations.push({ path: file, range: decl.range });
    result.companions.push(...companionsIn(facts, name).map((range) => ({ path: file, range })));
    // `{{> partial name=value}}` defines `name` inside the partial: the hash key is its declaration.
    for (const { file: caller, call } of index.callsTo(file)) {
      const range = call.hashKeyRanges.get(name);
      if (range) result.declarations.push({ path: caller.path, range });
    }
    for (const v of facts.template.variables) {
      if (v.scoped || v.data || v.head !== name) continue;
      const range = headRange(facts, v);
      if (range) result.uses.push({ path: file, range });
    }
  }
  return result;
}

/** Schema keys naming top-level inputs, with the range of the bare name (no `?` or `(type)`). */
export function declarationsIn(facts: FileFacts): { name: string; range: Range }[] {
  const json = isJsonSchema(facts);
  const prefix = json ? 'input.schema.properties.' : 'input.schema.';
  const out: { name: string; range: Range }[] = [];
  for (const [key, where] of facts.frontmatter.keys) {
    if (!key.startsWith(prefix)) continue;
    const written = key.slice(prefix.length);
    // A Picoschema key is `name`, `name?` or `name(type, description)`; deeper keys carry a `.` after it.
    const name = json ? (written.includes('.') ? undefined : written) : PICOSCHEMA_KEY.exec(written)?.[1];
    const range = name ? nameInside(facts, where.key, name) : undefined;
    if (name && range) out.push({ name, range });
  }
  return out;
}

const PICOSCHEMA_KEY = /^([^.?(]+)\??(?:\([^)]*\))?$/;

function isJsonSchema(facts: FileFacts): boolean {
  const schema = (facts.frontmatter.data?.['input'] as Record<string, unknown> | undefined)?.['schema'];
  return typeof schema === 'object' && schema !== null && ('properties' in schema || 'type' in schema);
}

/** `input.default.<name>` keys and `name` entries of a JSON Schema `required` list. */
function companionsIn(facts: FileFacts, name: string): Range[] {
  const out: Range[] = [];
  const def = facts.frontmatter.keys.get(`input.default.${name}`);
  const defRange = def && nameInside(facts, def.key, name);
  if (defRange) out.push(defRange);
  const required = facts.frontmatter.keys.get('input.schema.required')?.value;
  if (required) {
    const from = facts.layout.lines.offsetAt(required.start);
    const text = facts.text.slice(from, facts.layout.lines.offsetAt(required.end));
    const word = new RegExp(`(?<![\\w$-])${escapeRegExp(name)}(?![\\w$-])`, 'g');
    for (const m of text.matchAll(word)) out.push(facts.layout.lines.range(from + m.index, from + m.index + name.length));
  }
  return out;
}

/** The range of `name` inside a YAML key's range (past an opening quote), if it is written there. */
function nameInside(facts: FileFacts, keyRange: Range, name: string): Range | undefined {
  let at = facts.layout.lines.offsetAt(keyRange.start);
  if (facts.text[at] === '"' || facts.text[at] === "'") at++;
  return facts.text.startsWith(name, at) ? facts.layout.lines.range(at, at + name.length) : undefined;
}

/** Where a variable's head segment is written: after `@root.`, `this.`, `./` or `../`, maybe in brackets. */
function headRange(facts: FileFacts, v: VariableRef): Range | undefined {
  const start = facts.layout.lines.offsetAt(v.range.start);
  const prefix = /^(?:@root[./]|this[./]|\.\/|(?:\.\.\/)+)?/.exec(v.original)?.[0] ?? '';
  let at = start + prefix.length;
  if (facts.text[at] === '[') at++;
  return facts.text.startsWith(v.head, at) ? facts.layout.lines.range(at, at + v.head.length) : undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
