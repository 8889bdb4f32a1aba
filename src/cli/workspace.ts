import * as path from 'node:path';
import { nodeFileReader } from '../core/io/node-reader';
import { promptRootFor, type PartialContext } from '../core/prompt/partials';
import { scanFolderForSchemas, type ScanResult } from '../core/schemas/scan-node';
import { readPromptFile } from '../core/io/read-prompt';
import { stringFlag, UsageError, type ParsedArgs } from './args';
import type { CliIo } from './io';
import { field } from './json';

/** The workspace is the current directory unless --workspace names another. */
export function workspaceRootFor(args: ParsedArgs, io: CliIo): string {
  return path.resolve(io.cwd, stringFlag(args, 'workspace') ?? '.');
}

/** Scans of the workspace's code, one per invocation (keyed by its io) and workspace folder. */
const scans = new WeakMap<CliIo, Map<string, ScanResult>>();

/**
 * The named schemas and Genkit prompt folders the workspace's code defines, scanned once per
 * invocation however many files the command reads (bounded like the editor's index).
 */
export function workspaceScan(workspaceRoot: string, io: CliIo): ScanResult {
  let byRoot = scans.get(io);
  if (!byRoot) scans.set(io, (byRoot = new Map()));
  let scan = byRoot.get(workspaceRoot);
  if (!scan) byRoot.set(workspaceRoot, (scan = scanFolderForSchemas(workspaceRoot)));
  return scan;
}

/**
 * Files a prompt names (partials, tests, data) are read only inside workspaceRootFor. Partials
 * are also found anywhere below the prompt folder the app's code sets (else `prompts/`).
 */
export function partialContextFor(file: string, args: ParsedArgs, io: CliIo): PartialContext {
  const workspaceRoot = workspaceRootFor(args, io);
  const partialsDir = stringFlag(args, 'partials');
  const promptDir = path.dirname(path.resolve(io.cwd, file));
  const promptRoot = promptRootFor(promptDir, workspaceRoot, workspaceScan(workspaceRoot, io).promptFolders.folders());
  return {
    workspaceRoot,
    promptDir,
    partialsDirs: partialsDir ? [path.resolve(workspaceRoot, partialsDir)] : [],
    ...(promptRoot ? { promptRoot } : {}),
    reader: nodeFileReader,
  };
}

export function describeReadError(file: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const cause =
    e.code === 'ENOENT'
      ? 'no such file'
      : e.code === 'EISDIR'
        ? 'it is a directory'
        : e.code === 'EACCES'
          ? 'permission denied'
          : (e.message ?? String(err));
  return `cannot read ${field(file)}: ${field(cause)}`;
}

/** The one prompt file a command takes; usage errors for none or several. */
export function singleFile(args: ParsedArgs, command: string, usage: string): string {
  const [file, ...extra] = args.positionals;
  if (!file) throw new UsageError(`no file given. Usage: ${usage}`);
  if (extra.length > 0) throw new UsageError(`${command} takes one file, got ${args.positionals.length}`);
  return file;
}

/** Reads a prompt file; on failure reports which file and why, and returns undefined. */
export function readPromptOrReport(file: string, io: CliIo): string | undefined {
  try {
    return readPromptFile(path.resolve(io.cwd, file)).text;
  } catch (err) {
    io.err(`promptscope: ${describeReadError(file, err)}\n`);
    return undefined;
  }
}
