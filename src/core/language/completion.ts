import { CONFIG_FIELDS, FRONTMATTER_FIELDS, HELPERS, ROLES, type FieldSpec } from '../prompt/fields';
import type { PromptAnalysis } from '../prompt/analyze';
import { findUnclosedBlock } from '../prompt/template';
import { PICOSCHEMA_SCALARS } from '../schemas/named';

export type CompletionKind = 'property' | 'value' | 'function' | 'variable' | 'keyword' | 'module' | 'snippet';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Text to insert; a snippet (with `$1` placeholders) when `snippet` is true. */
  insertText?: string;
  snippet?: boolean;
  /** Orders entries in the editor's list; without it the editor sorts by label, so `@index` would lead. */
  sortText?: string;
}

export interface CompletionContext {
  /** Model references to offer for `model:` (filled by the runs feature). */
  models?: readonly string[];
  /** Partial names found in the workspace. */
  partialNames?: readonly string[];
  customHelpers?: readonly string[];
  /** Named schemas the workspace defines (Genkit defineSchema, mapped JSON Schema files). */
  schemaNames?: readonly string[];
}

/** Completions at a document offset: frontmatter keys and values, or Handlebars names inside `{{ }}`. */
export function completeAt(analysis: PromptAnalysis, offset: number, ctx: CompletionContext = {}): CompletionEntry[] {
  const { layout } = analysis;
  const fm = layout.frontmatter;
  if (fm && offset >= fm.yamlStart && offset <= fm.yamlEnd) return completeFrontmatter(analysis, offset, ctx);
  if (offset >= layout.bodyStart) return completeTemplate(analysis, offset, ctx);
  return [];
}

function completeFrontmatter(analysis: PromptAnalysis, offset: number, ctx: CompletionContext): CompletionEntry[] {
  const { text, lines } = analysis.layout;
  const pos = lines.positionAt(offset);
  const before = text.slice(lines.lineStart(pos.line), offset);
  const keyMatch = /^(\s*)(-\s*)?([\w.]*)$/.exec(before);
  const valueMatch = /^(\s*)([\w.]+):\s*(\S*)$/.exec(before);
  if (valueMatch) {
    const parents = parentPath(analysis, pos.line, valueMatch[1]!.length);
    const path = [...parents, valueMatch[2]!].join('.');
    // A schema value, or a field's type inside one: Picoschema types and the workspace's schema names.
    if (/^(input|output)\.schema(\.|$)/.test(path) && !/\((object|array|enum)\b/.test(valueMatch[2]!)) return schemaTypeCompletions(ctx);
    return valueCompletions(path, ctx);
  }
  if (!keyMatch || keyMatch[2]) return [];
  const parent = parentPath(analysis, pos.line, keyMatch[1]!.length);
  const fields = fieldsAt(parent);
  if (!fields) return [];
  const present = new Set(siblingKeys(analysis, pos.line, keyMatch[1]!.length));
  return Object.entries(fields)
    .filter(([name]) => !present.has(name) && name !== 'raw')
    .map(([name, spec]) => ({
      label: name,
      kind: 'property' as const,
      detail: kindLabel(spec),
      documentation: spec.doc,
      insertText:
        spec.kind === 'object'
          ? `${name}:\n${keyMatch[1]}  $0`
          : spec.kind === 'string[]'
            ? `${name}:\n${keyMatch[1]}  - $0`
            : `${name}: $0`,
      snippet: true,
    }));
}

function fieldsAt(parent: string[]): Readonly<Record<string, FieldSpec>> | undefined {
  if (parent.length === 0) return FRONTMATTER_FIELDS;
  if (parent.length === 1 && parent[0] === 'config') return CONFIG_FIELDS;
  if (parent.length === 1) return FRONTMATTER_FIELDS[parent[0]!]?.children;
  return undefined;
}

function valueCompletions(path: string, ctx: CompletionContext): CompletionEntry[] {
  if (path === 'model') return (ctx.models ?? []).map((m) => ({ label: m, kind: 'value' as const, detail: 'model' }));
  const [head, tail] = path.split('.') as [string, string | undefined];
  const spec = tail ? fieldsAt([head])?.[tail] : FRONTMATTER_FIELDS[head];
  if (!spec) return [];
  if (spec.values) return spec.values.map((v) => ({ label: v, kind: 'value' as const, documentation: spec.doc }));
  if (spec.kind === 'boolean') return ['true', 'false'].map((v) => ({ label: v, kind: 'value' as const }));
  return [];
}

function schemaTypeCompletions(ctx: CompletionContext): CompletionEntry[] {
  const scalars = PICOSCHEMA_SCALARS.map((t) => ({ label: t, kind: 'keyword' as const, detail: 'Picoschema type' }));
  const named = (ctx.schemaNames ?? []).map((n) => ({
    label: n,
    kind: 'module' as const,
    detail: 'named schema',
    documentation: "Defined in this workspace; Dotprompt resolves it through the app's schema registry.",
  }));
  return [...named, ...scalars];
}

function kindLabel(spec: FieldSpec): string {
  const range = spec.min !== undefined || spec.max !== undefined ? ` (${spec.min ?? '…'}–${spec.max ?? '…'})` : '';
  return `${spec.kind}${range}`;
}

/** Keys of the enclosing maps for a line at a given indentation, by walking up the lines above. */
function parentPath(analysis: PromptAnalysis, line: number, indent: number): string[] {
  const { lines, frontmatter } = analysis.layout;
  const firstLine = lines.positionAt(frontmatter!.yamlStart).line;
  const path: string[] = [];
  let want = indent;
  for (let l = line - 1; l >= firstLine && want > 0; l--) {
    const m = /^(\s*)([\w.-]+)\s*:\s*$/.exec(lines.lineText(l)) ?? /^(\s*)([\w.-]+)\s*:/.exec(lines.lineText(l));
    if (m && m[1]!.length < want) {
      path.unshift(m[2]!);
      want = m[1]!.length;
    }
  }
  return path;
}

function siblingKeys(analysis: PromptAnalysis, line: number, indent: number): string[] {
  const { lines, frontmatter } = analysis.layout;
  const first = lines.positionAt(frontmatter!.yamlStart).line;
  const last = lines.positionAt(frontmatter!.yamlEnd).line;
  const keys: string[] = [];
  for (let l = first; l <= last; l++) {
    if (l === line) continue;
    const m = /^(\s*)([\w.-]+)\s*:/.exec(lines.lineText(l));
    if (m && m[1]!.length === indent) keys.push(m[2]!);
  }
  return keys;
}

function completeTemplate(analysis: PromptAnalysis, offset: number, ctx: CompletionContext): CompletionEntry[] {
  const { text } = analysis.layout;
  const open = text.lastIndexOf('{{', offset);
  if (open < analysis.layout.bodyStart || open < 0) return [];
  const close = text.lastIndexOf('}}', offset - 1);
  if (close > open) return [];
  const inside = text
    .slice(open + 2, offset)
    .replace(/^\{/, '')
    .replace(/^~/, '');
  if (inside.startsWith('!')) return [];
  const roleString = /^\s*role\s+["']([a-z]*)$/.exec(inside);
  if (roleString) return ROLES.map((r) => ({ label: r, kind: 'value' as const, detail: 'message role' }));
  if (/^\s*>\s*[\w/.-]*$/.test(inside))
    return (ctx.partialNames ?? []).map((p) => ({ label: p, kind: 'module' as const, detail: 'partial' }));
  if (/^\s*\/\s*\w*$/.test(inside)) {
    // While `{{/` is being typed the template does not parse, so scan the text before it.
    const unclosed = findUnclosedBlock(text.slice(analysis.layout.bodyStart, open));
    return unclosed ? [{ label: unclosed.name, kind: 'keyword', detail: 'close block' }] : [];
  }
  const blockStart = /^\s*#\s*\w*$/.test(inside);
  const helpers = Object.entries(HELPERS)
    .filter(([, h]) => h.block === blockStart)
    .map(([name, h]) => ({
      label: name,
      kind: (blockStart ? 'keyword' : 'function') as CompletionKind,
      detail: h.signature,
      documentation: h.doc,
    }));
  for (const name of ctx.customHelpers ?? [])
    helpers.push({
      label: name,
      kind: 'function',
      detail: 'custom helper',
      documentation: 'Registered by the application (promptscope.customHelpers, or defineHelper in its code).',
    });
  if (blockStart) return helpers;
  // After a helper name or inside an argument list, variables are what is wanted.
  const variables: CompletionEntry[] = [...(analysis.inputs.declared?.values() ?? [])].map((input) => ({
    label: input.name,
    kind: 'variable' as const,
    detail: `${input.type}${input.required ? '' : ' (optional)'}`,
    ...(input.description ? { documentation: input.description } : {}),
  }));
  const data: CompletionEntry[] = ['@root', '@index', '@key', '@first', '@last', '@metadata'].map((d) => ({
    label: d,
    kind: 'keyword' as const,
    detail: 'data variable',
  }));
  const afterHelper = /^\s*[\w.@]+\s+/.test(inside);
  const groups = afterHelper
    ? [variables, data]
    : [variables, helpers, data, [{ label: 'this', kind: 'keyword' as const, detail: 'current context' }]];
  // The prompt's own inputs first, then helpers, then data variables: the order the list shows.
  return groups.flatMap((group, rank) => group.map((e) => ({ ...e, sortText: `${rank}${e.label.replace(/^@/, '')}` })));
}
