import * as path from 'node:path';
import { HELPERS } from '../prompt/fields';
import { isInside, type FileReader } from '../prompt/partials';
import { containsPosition, type Position, type Range } from '../text/positions';
import { type FileFacts, type NavigationIndex, type PartialCall } from './navigation-index';
import { refuse, type RenameRefusal } from './navigation-refusals';
import { declarationsIn, inputNameAt, inputOccurrences, type FileLocation } from './navigation-inputs';

export { NavigationIndex, type NavigationWorkspace } from './navigation-index';
export type { FileLocation } from './navigation-inputs';
export { RENAME_REFUSALS, type RenameRefusal, type RenameRefusalCode } from './navigation-refusals';

/** What is under the cursor, for navigation. */
export type NavigationSymbol =
  | { kind: 'partial'; name: string; call: PartialCall; range: Range }
  /** `start` is the file whose inputs these are: the partial, for a hash key of a call. */
  | { kind: 'input'; name: string; range: Range; start: string };

export function symbolAt(index: NavigationIndex, file: string, pos: Position): NavigationSymbol | undefined {
  const facts = index.get(file);
  if (!facts) return undefined;
  const call = facts.calls.find((c) => c.nameRanges.some((r) => containsPosition(r, pos)));
  if (call) return { kind: 'partial', name: call.ref.name, call, range: call.nameRanges.find((r) => containsPosition(r, pos))! };
  for (const c of facts.calls) {
    for (const [name, range] of c.hashKeyRanges)
      if (c.target && containsPosition(range, pos)) return { kind: 'input', name, range, start: c.target };
  }
  const input = inputNameAt(facts, pos);
  return input ? { kind: 'input', ...input, start: facts.path } : undefined;
}

/** Go to Definition: the partial's file, or the schema keys that declare the input. */
export function definitionsAt(index: NavigationIndex, file: string, pos: Position): FileLocation[] {
  const symbol = symbolAt(index, file, pos);
  if (!symbol) return [];
  if (symbol.kind === 'partial') return symbol.call.target ? [{ path: symbol.call.target, range: START }] : [];
  return inputOccurrences(index, symbol.start, symbol.name).declarations;
}

/** Find All References: every `{{> name}}` that resolves to the same file, or every use of the input. */
export function referencesAt(index: NavigationIndex, file: string, pos: Position, includeDeclaration: boolean): FileLocation[] {
  const symbol = symbolAt(index, file, pos);
  if (!symbol) return [];
  if (symbol.kind === 'partial') {
    if (!symbol.call.target) return [];
    return index.callsTo(symbol.call.target).flatMap(({ file: f, call }) => call.nameRanges.map((range) => ({ path: f.path, range })));
  }
  const found = inputOccurrences(index, symbol.start, symbol.name);
  return [...(includeDeclaration ? [...found.declarations, ...found.companions] : []), ...found.uses];
}

export type PrepareRenameResult = { range: Range; placeholder: string } | RenameRefusal;

/** Where a rename may start, or a clear reason why it cannot. */
export function prepareRenameAt(index: NavigationIndex, file: string, pos: Position): PrepareRenameResult {
  const facts = index.get(file);
  if (!facts) return refuse('outside-workspace');
  const symbol = symbolAt(index, file, pos);
  if (symbol?.kind === 'partial') {
    const base = symbol.call.baseRanges.find((r) => containsPosition(r, pos)) ?? symbol.call.baseRanges[0];
    if (!symbol.call.target || !base) return refuse('unresolved-partial', symbol.name);
    return { range: base, placeholder: path.basename(symbol.name) };
  }
  if (symbol?.kind === 'input') return { range: symbol.range, placeholder: symbol.name };
  return refusal(facts, pos);
}

function refusal(facts: FileFacts, pos: Position): RenameRefusal {
  const helper = facts.template.helpers.find((h) => containsPosition(h.range, pos));
  if (helper) {
    const spec = HELPERS[helper.name];
    return spec
      ? refuse('builtin-helper', helper.name, spec.dotprompt ? 'Dotprompt' : 'Handlebars')
      : refuse('application-helper', helper.name);
  }
  const dynamic = facts.template.partials.find((p) => p.dynamic && containsPosition(p.range, pos));
  if (dynamic) return refuse('dynamic-partial');
  const variable = facts.template.variables.find((v) => containsPosition(v.range, pos));
  if (variable?.data) return refuse('data-variable', variable.original);
  if (variable?.scoped) return refuse('scoped-variable', variable.original);
  if (variable && !variable.head) return refuse('whole-context', variable.original);
  const mustache = enclosingMustache(facts, pos);
  if (mustache && /^(?:"[^"]*"|'[^']*'|-?\d[\d.]*|true|false|null|undefined)$/.test(mustache.token))
    return refuse('literal', mustache.token);
  return refuse('nothing-to-rename');
}

/** The token under the cursor inside a `{{…}}`, to tell literals apart. */
function enclosingMustache(facts: FileFacts, pos: Position): { token: string } | undefined {
  const offset = facts.layout.lines.offsetAt(pos);
  const open = facts.text.lastIndexOf('{{', offset);
  const close = facts.text.indexOf('}}', open);
  if (open < 0 || close < offset) return undefined;
  const inner = facts.text.slice(open, close);
  const tokens = /"[^"]*"|'[^']*'|[^\s{}~()=]+/g;
  for (const m of inner.matchAll(tokens)) {
    if (open + m.index <= offset && offset <= open + m.index + m[0].length) return { token: m[0] };
  }
  return undefined;
}

/** A text edit in one file. */
export interface FileTextEdit {
  path: string;
  range: Range;
  newText: string;
}

export type RenameResult = { edits: FileTextEdit[]; renameFile?: { from: string; to: string } } | RenameRefusal;

const NEW_PARTIAL_NAME = /^[A-Za-z0-9_][\w.-]*$/;
const NEW_INPUT_NAME = /^[A-Za-z_][\w-]*$/;
const RESERVED_NAMES = new Set(['this', 'true', 'false', 'null', 'undefined', 'else']);

/** All edits of one rename, across the workspace; refuses instead of producing a partial rename. */
export function renameAt(
  index: NavigationIndex,
  file: string,
  pos: Position,
  newName: string,
  customHelpers: readonly string[] = [],
): RenameResult {
  const prepared = prepareRenameAt(index, file, pos);
  if ('error' in prepared) return prepared;
  const symbol = symbolAt(index, file, pos)!;
  return symbol.kind === 'partial'
    ? renamePartial(index, symbol.call, newName)
    : renameInput(index, symbol.start, symbol.name, newName, customHelpers);
}

function renamePartial(index: NavigationIndex, call: PartialCall, newBase: string): RenameResult {
  const target = call.target!;
  if (!NEW_PARTIAL_NAME.test(newBase)) return refuse('bad-partial-name', newBase);
  const to = path.join(path.dirname(target), `_${newBase}.prompt`);
  if (to === target) return { edits: [] };
  if (!index.allowed(to)) return refuse('partial-outside', to);
  if (index.workspace.reader.readFile(to) !== undefined) return refuse('partial-exists', path.relative(index.workspace.root, to));
  const reader = movedReader(index.workspace.reader, target, to);
  const edits: FileTextEdit[] = [];
  for (const { file, call: c } of index.callsTo(target)) {
    if (c.baseRanges.length !== c.nameRanges.length || c.nameRanges.length === 0) {
      return refuse('partial-uneditable', path.relative(index.workspace.root, file.path), String(c.ref.range.start.line + 1));
    }
    const renamed = `${c.ref.name.slice(0, c.ref.name.lastIndexOf('/') + 1)}${newBase}`;
    const resolved = index.resolve(renamed, file.path, reader);
    if (resolved !== to) {
      const where = resolved ? path.relative(index.workspace.root, resolved) : 'nothing';
      return refuse('partial-shadowed', renamed, path.relative(index.workspace.root, file.path), where);
    }
    for (const range of c.baseRanges) edits.push({ path: file.path, range, newText: newBase });
  }
  return { edits, renameFile: { from: target, to } };
}

/** What renaming a partial's file (in the file explorer) means for the prompts that include it. */
export interface PartialFileRename {
  /** The `{{> name}}` edits that keep each call pointing at the renamed file. */
  edits: FileTextEdit[];
  /** Calls no edit can keep on the file (moved where their name cannot reach, or no longer a partial). */
  stale: FileLocation[];
}

/**
 * The edits for `_old.prompt` renamed to `_new.prompt` outside a Rename request: every call that
 * resolves to the file gets the new name, when that name then resolves to the new file, exactly
 * as the Rename provider would do it.
 */
export function partialFileRenameEdits(index: NavigationIndex, from: string, to: string): PartialFileRename {
  const source = path.resolve(from);
  const target = path.resolve(to);
  const out: PartialFileRename = { edits: [], stale: [] };
  if (!/^_.+\.prompt$/i.test(path.basename(source))) return out;
  const newBase = /^_(.+)\.prompt$/i.exec(path.basename(target))?.[1];
  const reader = movedReader(index.workspace.reader, source, target);
  for (const { file, call } of index.callsTo(source)) {
    const renamed =
      newBase && NEW_PARTIAL_NAME.test(newBase) ? `${call.ref.name.slice(0, call.ref.name.lastIndexOf('/') + 1)}${newBase}` : '';
    const editable = call.baseRanges.length === call.nameRanges.length && call.nameRanges.length > 0 && file.path !== source;
    if (newBase && renamed && editable && index.allowed(target) && index.resolve(renamed, file.path, reader) === target) {
      if (renamed !== call.ref.name) for (const range of call.baseRanges) out.edits.push({ path: file.path, range, newText: newBase });
    } else {
      out.stale.push({ path: file.path, range: call.nameRanges[0] ?? call.ref.range });
    }
  }
  return out;
}

/** Reads as if `from` had been moved to `to`, to check how names resolve after a rename. */
function movedReader(reader: FileReader, from: string, to: string): FileReader {
  const moved: FileReader = {
    readFile: (p) => (path.resolve(p) === from ? undefined : path.resolve(p) === to ? (reader.readFile(from) ?? '') : reader.readFile(p)),
    realPath: (p) => (path.resolve(p) === to ? to : path.resolve(p) === from ? undefined : reader.realPath?.(p)),
  };
  const listDir = reader.listDir?.bind(reader);
  if (listDir) {
    // Genkit's search below the prompt folder must see the move too.
    moved.listDir = (dir) => {
      const entries = listDir(dir)?.filter((e) => path.join(path.resolve(dir), e.name) !== from);
      if (path.resolve(dir) === path.dirname(to)) return [...(entries ?? []), { name: path.basename(to), isDirectory: false }];
      return entries;
    };
  }
  return moved;
}

function renameInput(index: NavigationIndex, file: string, name: string, newName: string, customHelpers: readonly string[]): RenameResult {
  if (!NEW_INPUT_NAME.test(newName) || RESERVED_NAMES.has(newName)) return refuse('bad-input-name', newName);
  if (HELPERS[newName] || customHelpers.includes(newName)) return refuse('helper-name', newName);
  const found = inputOccurrences(index, file, name);
  const linked = found.files.map((f) => index.get(f)).filter((f): f is FileFacts => f !== undefined);
  const declaring = linked.find((facts) => declarationsIn(facts).some((d) => d.name === newName));
  const using = linked.find((facts) => facts.template.variables.some((v) => !v.scoped && !v.data && v.head === newName));
  const clash = declaring ?? using;
  if (clash) return refuse(declaring ? 'input-declared' : 'input-used', path.relative(index.workspace.root, clash.path), newName);
  const edits = [...found.declarations, ...found.companions, ...found.uses].map((loc) => ({ ...loc, newText: newName }));
  return { edits };
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** One prompt (or partial) for the workspace symbol search. */
export interface PromptWorkspaceSymbol {
  /** Dotprompt's name: folder path and base name, `sub/name`; partials as `> name`. */
  name: string;
  variant?: string;
  kind: 'prompt' | 'partial';
  /** The model and description, when the frontmatter has them. */
  detail: string;
  location: FileLocation;
}

/**
 * Prompts and partials whose name matches `query` (its letters in order, ignoring case), named as
 * Genkit registers them: `[folder/]name[.variant]` by the path inside the prompt folder (the
 * app's `promptDir`, else `prompts/`; files outside it by their workspace path), partials by
 * their base name.
 */
export function workspaceSymbols(index: NavigationIndex, query: string): PromptWorkspaceSymbol[] {
  const out: PromptWorkspaceSymbol[] = [];
  for (const file of index.files()) {
    // Genkit names a prompt by its path inside the prompt folder, and a partial by its base name.
    const promptRoot = index.workspace.promptRootOf?.(path.dirname(file));
    const inPromptRoot = promptRoot !== undefined && isInside(path.resolve(promptRoot), file);
    const rel = path
      .relative(inPromptRoot ? promptRoot : index.workspace.root, file)
      .split(path.sep)
      .join('/');
    const m = /^(?:(.*)\/)?(_?)([^/.]+)(?:\.([^/]+))?\.prompt$/.exec(rel);
    if (!m) continue;
    const [, dir, underscore, base, variant] = m;
    const partial = underscore === '_';
    const name = partial ? `> ${dir && !inPromptRoot ? `${dir}/` : ''}${base}` : `${dir ? `${dir}/` : ''}${base}`;
    if (!matchesQuery(`${name}${variant ? `.${variant}` : ''}`, query)) continue;
    const facts = index.get(file);
    const data = facts?.frontmatter.data;
    const detail = [data?.['model'], data?.['description']].filter((v): v is string => typeof v === 'string').join(' — ');
    const at = facts?.layout.frontmatter
      ? facts.layout.lines.range(facts.layout.frontmatter.openStart, facts.layout.frontmatter.openStart)
      : START;
    out.push({ name, ...(variant ? { variant } : {}), kind: partial ? 'partial' : 'prompt', detail, location: { path: file, range: at } });
  }
  return out;
}

function matchesQuery(name: string, query: string): boolean {
  let at = 0;
  const lower = name.toLowerCase();
  for (const ch of query.toLowerCase().replace(/\s+/g, '')) {
    at = lower.indexOf(ch, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** A link from `{{media url="…"}}` to a local file inside the workspace. */
export interface MediaLink {
  range: Range;
  target: string;
}

/**
 * Links for `{{media url="path"}}` with a literal local path, resolved from the prompt's folder.
 * URLs with a scheme (https:, data:, gs:, …) are never followed, and a path outside the
 * workspace — directly or through a symbolic link — gets no link.
 */
export function mediaLinks(index: NavigationIndex, file: string): MediaLink[] {
  const facts = index.get(file);
  if (!facts) return [];
  const root = path.resolve(index.workspace.root);
  const out: MediaLink[] = [];
  for (const marker of facts.template.markers) {
    if (marker.kind !== 'media') continue;
    const start = facts.layout.lines.offsetAt(marker.range.start);
    const statement = facts.text.slice(start, facts.layout.lines.offsetAt(marker.range.end));
    const m = /\burl\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(statement);
    const url = m?.[1] ?? m?.[2];
    if (!m || !url || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) continue;
    const target = path.resolve(path.dirname(file), decodePath(url));
    if (!isInside(root, target) || !index.allowed(target)) continue;
    const reader = index.workspace.reader;
    const real = reader.realPath ? reader.realPath(target) : target;
    if (real === undefined) continue; // no such file: a link would offer to create it
    if (!isInside(index.workspace.reader.realPath?.(root) ?? root, real)) continue;
    const urlStart = start + m.index + m[0].length - url.length - 1;
    out.push({ range: facts.layout.lines.range(urlStart, urlStart + url.length), target });
  }
  return out;
}

function decodePath(url: string): string {
  const bare = url.replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(bare);
  } catch {
    // A stray "%" is a literal character in a file name, not an escape.
    return bare;
  }
}
