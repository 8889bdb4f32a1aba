/**
 * Where a prompt's test cases are read from, under the workspace's confinement rule: the file
 * the frontmatter names (`promptscope.tests`) or the `name.tests.*` found beside the prompt must
 * lie inside the workspace after symlinks are resolved. A file outside is refused with the
 * reason, never read (its rows would be sent to a model and saved in history).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { confine, diskRealPath, type RealPath } from '../io/confine';
import { findTestFile, type TestFileLocation } from './testCases';

export type TestFileLookup =
  | { kind: 'none' }
  | { kind: 'refused'; location: TestFileLocation; message: string }
  /** `readPath` is the file's real path: read that, so a link swapped afterwards changes nothing. */
  | { kind: 'found'; location: TestFileLocation; readPath: string };

export function locateTestFile(
  promptPath: string,
  extensionField: unknown,
  roots: readonly string[],
  disk: { exists: (file: string) => boolean; realPath: RealPath } = { exists: existsSync, realPath: diskRealPath },
): TestFileLookup {
  const location = findTestFile(promptPath, extensionField, disk.exists);
  if (location === undefined) return { kind: 'none' };
  const shown = location.from === 'frontmatter' ? `promptscope.tests: ${String(extensionField).trim()}` : path.basename(location.path);
  const confined = confine(location.path, { base: path.dirname(promptPath), roots, realPath: disk.realPath, shown });
  if (confined.kind === 'outside') return { kind: 'refused', location, message: confined.message };
  return { kind: 'found', location, readPath: confined.real ?? confined.path };
}
