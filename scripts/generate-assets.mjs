// Generated build assets: the TextMate grammar (YAML source → JSON) and the pattern snippets
// (from the catalogue in src/core/patterns). Called by esbuild.mjs
// before every build and on every watch rebuild.
import { existsSync } from 'node:fs';

export async function generateAssets() {
  if (existsSync(new URL('./build-grammar.mjs', import.meta.url))) {
    const { buildGrammar } = await import('./build-grammar.mjs');
    await buildGrammar();
  }
  const { buildSnippets } = await import('./build-snippets.mjs');
  await buildSnippets();
}
