import * as path from 'node:path';
import { confine, isInside } from '../io/confine';

export { isInside };

/** Reads files for partial resolution; undefined when the file does not exist. */
export interface FileReader {
  readFile(absolutePath: string): string | undefined;
  /**
   * The path with symbolic links resolved (undefined when it does not exist). Readers backed by
   * a real file system must provide it, or a link inside the workspace could expose any file.
   */
  realPath?(absolutePath: string): string | undefined;
  /** The entries of a folder (undefined when it does not exist); enables Genkit's recursive partials. */
  listDir?(absolutePath: string): { name: string; isDirectory: boolean }[] | undefined;
}

export interface PartialContext {
  /** Partials may only be read from inside this folder. */
  workspaceRoot: string;
  /** The folder of the prompt being analysed. */
  promptDir: string;
  /** Extra folders (absolute) searched after the prompt's own folder. */
  partialsDirs: readonly string[];
  /**
   * Genkit's prompt folder (`promptDir`, default `prompts/`): Genkit registers every `_name.prompt`
   * anywhere below it under its base name, so `{{> name}}` also finds `prompts/shared/_name.prompt`.
   */
  promptRoot?: string;
  reader: FileReader;
}

export type PartialResolution =
  { kind: 'found'; path: string; source: string } | { kind: 'missing'; tried: string[] } | { kind: 'outside'; path: string };

/**
 * Finds a partial by Dotprompt's convention: `{{> name}}` is the file `_name.prompt`, and
 * `{{> dir/name}}` is `dir/_name.prompt`, looked up in the prompt's folder and then in each
 * configured partials folder. Nothing outside the workspace is ever read.
 */
export function resolvePartial(name: string, ctx: PartialContext): PartialResolution {
  const root = path.resolve(ctx.workspaceRoot);
  const tried: string[] = [];
  for (const dir of [ctx.promptDir, ...ctx.partialsDirs]) {
    const candidate = path.resolve(dir, path.dirname(name), `_${path.basename(name)}.prompt`);
    // The workspace's one confinement rule (io/confine), with the reader's view of symlinks.
    const confined = confine(candidate, { base: root, roots: [root], realPath: ctx.reader.realPath?.bind(ctx.reader) });
    if (confined.kind === 'outside')
      return { kind: 'outside', path: confined.real === candidate ? candidate : `${candidate} → ${confined.real}` };
    tried.push(candidate);
    const source = ctx.reader.readFile(candidate);
    if (source !== undefined) return { kind: 'found', path: candidate, source };
  }
  if (ctx.promptRoot && !name.includes('/') && isInside(root, path.resolve(ctx.promptRoot))) {
    const file = findBelow(path.resolve(ctx.promptRoot), `_${name}.prompt`, ctx.reader);
    if (file) {
      const confined = confine(file, { base: root, roots: [root], realPath: ctx.reader.realPath?.bind(ctx.reader) });
      if (confined.kind === 'outside') return { kind: 'outside', path: `${file} → ${confined.real}` };
      const source = ctx.reader.readFile(file);
      if (source !== undefined) return { kind: 'found', path: file, source };
    }
    tried.push(path.join(ctx.promptRoot, '**', `_${name}.prompt`));
  }
  return { kind: 'missing', tried };
}

/** Bounds for the recursive search, so a huge prompt folder cannot stall analysis. */
const SEARCH_LIMITS = { depth: 8, entries: 5_000 } as const;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** The first `fileName` below `dir`, breadth first (shallower files win, as they are found first). */
function findBelow(dir: string, fileName: string, reader: FileReader): string | undefined {
  if (!reader.listDir) return undefined;
  let level = [dir];
  let seen = 0;
  for (let depth = 0; depth <= SEARCH_LIMITS.depth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const folder of level) {
      const entries = reader.listDir(folder) ?? [];
      seen += entries.length;
      if (seen > SEARCH_LIMITS.entries) return undefined;
      for (const e of entries) if (!e.isDirectory && e.name === fileName) return path.join(folder, e.name);
      for (const e of entries) if (e.isDirectory && !SKIPPED_FOLDERS.has(e.name)) next.push(path.join(folder, e.name));
    }
    level = next;
  }
  return undefined;
}

/** Genkit's default prompt folder: the nearest ancestor named `prompts`, inside the workspace. */
export function genkitPromptRoot(promptDir: string, workspaceRoot: string): string | undefined {
  const root = path.resolve(workspaceRoot);
  for (let dir = path.resolve(promptDir); isInside(root, dir); dir = path.dirname(dir)) {
    if (path.basename(dir) === 'prompts') return dir;
    if (dir === root) break;
  }
  return undefined;
}

/**
 * The prompt folder Genkit loads a prompt from: the deepest folder the app's code sets
 * (`promptDir`, `WithPromptDir`, `prompt_dir`) that holds the prompt, else Genkit's default,
 * the nearest ancestor named `prompts`. Folders outside the workspace are never used.
 */
export function promptRootFor(promptDir: string, workspaceRoot: string, configured: readonly string[] = []): string | undefined {
  const root = path.resolve(workspaceRoot);
  const dir = path.resolve(promptDir);
  let best: string | undefined;
  for (const folder of configured) {
    const candidate = path.resolve(folder);
    if (isInside(root, candidate) && isInside(candidate, dir) && (!best || candidate.length > best.length)) best = candidate;
  }
  return best ?? genkitPromptRoot(promptDir, workspaceRoot);
}
