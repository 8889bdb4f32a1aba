/**
 * Atomic output: the text goes to a temporary file beside the target, which is flushed to disk
 * and renamed over the target only when everything was written. A reader never sees half a
 * dataset, and a failed or cancelled export leaves an existing file as it was.
 */
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import * as path from 'node:path';

export class AtomicFile {
  private fd: number | undefined;
  private done = false;

  private constructor(
    readonly target: string,
    readonly temp: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Creates the temporary file; throws (ENOENT, EACCES…) when the target's folder cannot take it. */
  static open(target: string): AtomicFile {
    const dir = path.dirname(target);
    const temp = path.join(
      dir,
      `.${path.basename(target)}.${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`,
    );
    // 'wx': never reuse a file that happens to exist under that name.
    const fd = openSync(temp, 'wx', 0o644);
    return new AtomicFile(target, temp, fd);
  }

  write(text: string): void {
    if (this.fd === undefined) throw new Error('the output file is already closed');
    const data = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < data.length) offset += writeSync(this.fd, data, offset, data.length - offset);
  }

  /** Flushes and renames the temporary file over the target. */
  commit(): void {
    if (this.fd === undefined || this.done) throw new Error('the output file is already closed');
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = undefined;
      renameSync(this.temp, this.target);
      this.done = true;
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  /** Removes the temporary file; the target is untouched. Safe to call more than once. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    try {
      unlinkSync(this.temp);
    } catch {
      // never created or already gone
    }
  }
}

/** Writes `text` to `target` atomically. */
export function writeFileAtomic(target: string, text: string): void {
  const file = AtomicFile.open(target);
  try {
    file.write(text);
  } catch (err) {
    file.abort();
    throw err;
  }
  file.commit();
}

/**
 * Why `target` cannot take the export (a phrase after the output's name), checked before any row is rendered: it is a folder (or
 * another non-file), or it is one of the inputs — by name, or the same file reached through a
 * symlink or hard link (same device and inode), which the rename would overwrite.
 */
export function outputProblem(target: string, inputs: readonly { path: string; label: string }[]): string | undefined {
  const out = statOrUndefined(target);
  if (out !== undefined && out.isDirectory()) return `names a folder (${target}); give a file name for the records`;
  if (out !== undefined && !out.isFile()) return `names ${target}, which is not a regular file`;
  for (const input of inputs) {
    if (path.resolve(input.path) === path.resolve(target)) return `would overwrite ${input.label}`;
    const source = statOrUndefined(input.path);
    if (out !== undefined && source !== undefined && out.dev === source.dev && out.ino === source.ino) {
      return `would overwrite ${input.label}: it is the same file under another name (a symlink or hard link)`;
    }
  }
  return undefined;
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}
