// Generates snippets/dotprompt.generated.code-snippets from the pattern catalogue.
// The catalogue is TypeScript; rather than needing a TS loader at build time, esbuild bundles the
// snippet builder into a temporary CommonJS file that is required once and deleted.
import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SNIPPETS_FILE = join(root, 'snippets', 'dotprompt.generated.code-snippets');

export async function buildSnippets() {
  const dir = mkdtempSync(join(tmpdir(), 'promptscope-snippets-'));
  try {
    const bundle = join(dir, 'snippets.cjs');
    await esbuild.build({
      entryPoints: [join(root, 'src/core/patterns/snippets.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    const { buildSnippetFile } = createRequire(import.meta.url)(bundle);
    mkdirSync(join(root, 'snippets'), { recursive: true });
    writeFileSync(SNIPPETS_FILE, `${JSON.stringify(buildSnippetFile(), null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildSnippets();
}
