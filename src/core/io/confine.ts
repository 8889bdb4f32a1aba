/**
 * The one confinement rule for every file a `.prompt` can name (partials, test-case files, data
 * rows, media, JSON Schema files): the path must lie inside a workspace root both as written and
 * after symbolic links are resolved (the target's real path inside the root's real path).
 * Anything else is refused with a message that names where the path leads and which workspace
 * it left, so the user can tell a typo from a link that points away.
 */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';

/** The path with symbolic links resolved; undefined when it does not exist. */
export type RealPath = (absolutePath: string) => string | undefined;

export type Confinement =
  /** `real` is undefined when the file does not exist (reading it will then report that). */
  | { kind: 'inside'; path: string; real: string | undefined; root: string }
  | { kind: 'outside'; path: string; real: string; root: string; message: string };

/** realpath(3) over the disk; a missing file (or a missing folder on the way) is undefined. */
export const diskRealPath: RealPath = (absolutePath) => {
  try {
    return realpathSync(absolutePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
};

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves `name` against `base` and checks it against the workspace `roots`. `realPath` is
 * undefined only for readers with no file system behind them (tests, in-memory documents): then
 * only the written path is checked. `shown` is how the path appears in the message (the name the
 * user wrote); it defaults to the absolute path.
 */
export function confine(
  name: string,
  options: { base: string; roots: readonly string[]; realPath?: RealPath | undefined; shown?: string },
): Confinement {
  const absolute = path.resolve(options.base, name);
  const shown = options.shown ?? absolute;
  const roots = options.roots.map((r) => path.resolve(r));
  const first = roots[0] ?? options.base;
  const realPath = options.realPath;
  // As written: a root itself may be a link (e.g. /tmp on macOS), so its real form counts too.
  const written = roots.find((root) => isInside(root, absolute) || (realPath !== undefined && isInside(realPath(root) ?? root, absolute)));
  if (written === undefined) {
    return {
      kind: 'outside',
      path: absolute,
      real: absolute,
      root: first,
      message: `${shown} resolves to ${absolute}, outside the workspace ${first}`,
    };
  }
  const real = realPath?.(absolute);
  if (real === undefined) return { kind: 'inside', path: absolute, real: undefined, root: written };
  const holder = roots.find((root) => isInside(realPath?.(root) ?? root, real));
  if (holder === undefined) {
    return {
      kind: 'outside',
      path: absolute,
      real,
      root: written,
      message: `${shown} resolves to ${real}, outside the workspace ${written}`,
    };
  }
  return { kind: 'inside', path: absolute, real, root: holder };
}

/** The error a caller throws or reports when a named file is refused. */
export class OutsideWorkspaceError extends Error {
  constructor(readonly confinement: Extract<Confinement, { kind: 'outside' }>) {
    super(confinement.message);
    this.name = 'OutsideWorkspaceError';
  }
}

/** `confine` over the disk that returns the path to read (its real path) or throws OutsideWorkspaceError. */
export function confinedPath(name: string, options: { base: string; roots: readonly string[]; shown?: string }): string {
  const result = confine(name, { ...options, realPath: diskRealPath });
  if (result.kind === 'outside') throw new OutsideWorkspaceError(result);
  return result.real ?? result.path;
}
