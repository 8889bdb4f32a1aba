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
}

export interface PartialContext {
  /** Partials may only be read from inside this folder. */
  workspaceRoot: string;
  /** The folder of the prompt being analysed. */
  promptDir: string;
  /** Extra folders (absolute) searched after the prompt's own folder. */
  partialsDirs: readonly string[];
  reader: FileReader;
}

export type PartialResolution =
  | { kind: 'found'; path: string; source: string }
  | { kind: 'missing'; tried: string[] }
  | { kind: 'outside'; path: string };

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
    if (confined.kind === 'outside') return { kind: 'outside', path: confined.real === candidate ? candidate : `${candidate} → ${confined.real}` };
    tried.push(candidate);
    const source = ctx.reader.readFile(candidate);
    if (source !== undefined) return { kind: 'found', path: candidate, source };
  }
  return { kind: 'missing', tried };
}
