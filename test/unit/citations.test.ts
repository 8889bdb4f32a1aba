// Comments cite only what a reader of the repository can open: a Markdown document named in a
// comment of the source, the tests, the scripts or the benchmarks must be a file of the repository.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');
const FOLDERS = ['src', 'test', 'scripts', 'bench'];
const SKIP = new Set(['node_modules', 'fixtures', 'workspace']);

function codeFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return SKIP.has(name) ? [] : codeFiles(full);
    return /\.(ts|mts|cts|js|mjs|sh)$/.test(name) ? [full] : [];
  });
}

/** Every file name ending in .md that the repository holds, anywhere outside node_modules. */
function repositoryDocuments(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.md')) found.add(name);
    }
  };
  walk(ROOT);
  return found;
}

test('comments name no document that is not in the repository', () => {
  const documents = repositoryDocuments();
  const strays: string[] = [];
  for (const folder of FOLDERS) {
    for (const file of codeFiles(path.join(ROOT, folder))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          const comment = /(?:\/\/|\/\*|^\s*\*|^\s*#)(.*)$/.exec(line)?.[1];
          if (comment === undefined) return;
          for (const cited of comment.matchAll(/([\w.-]+\.md)\b/g)) {
            if (!documents.has(path.basename(cited[1]!))) strays.push(`${path.relative(ROOT, file)}:${index + 1}: ${cited[1]}`);
          }
        });
    }
  }
  assert.deepEqual(strays, []);
});
