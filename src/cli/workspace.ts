import * as path from 'node:path';
import { nodeFileReader } from '../core/io/node-reader';
import type { PartialContext } from '../core/prompt/partials';
import { stringFlag, type ParsedArgs } from './args';
import type { CliIo } from './io';

/** The workspace is the current directory unless --workspace names another. */
export function partialContextFor(file: string, args: ParsedArgs, io: CliIo): PartialContext {
  const workspaceRoot = path.resolve(io.cwd, stringFlag(args, 'workspace') ?? '.');
  const partialsDir = stringFlag(args, 'partials');
  return {
    workspaceRoot,
    promptDir: path.dirname(path.resolve(io.cwd, file)),
    partialsDirs: partialsDir ? [path.resolve(workspaceRoot, partialsDir)] : [],
    reader: nodeFileReader,
  };
}

export function describeReadError(file: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const cause =
    e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message ?? String(err);
  return `cannot read ${file}: ${cause}`;
}
