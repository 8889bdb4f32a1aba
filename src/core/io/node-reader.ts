import { readdirSync, readFileSync, statSync } from 'node:fs';
import { diskRealPath } from './confine';
import type { FileReader } from '../prompt/partials';

/** Reads partial files from disk; a missing file is `undefined`, any other failure is thrown. */
export const nodeFileReader: FileReader = {
  readFile(absolutePath: string): string | undefined {
    try {
      if (!statSync(absolutePath).isFile()) return undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw err;
    }
    return readFileSync(absolutePath, 'utf8');
  },
  listDir(absolutePath: string): { name: string; isDirectory: boolean }[] | undefined {
    try {
      // Symbolic links are not followed here: a linked folder could lead outside the workspace.
      return readdirSync(absolutePath, { withFileTypes: true }).map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw err;
    }
  },
  realPath: diskRealPath,
};
