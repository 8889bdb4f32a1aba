// Generated build assets: the TextMate grammar (YAML source → JSON) and the codicon font for the webviews (copied out of
// node_modules, which the packaged extension does not ship). Called by esbuild.mjs before every
// build and on every watch rebuild.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

export async function generateAssets() {
  if (existsSync(new URL('./build-grammar.mjs', import.meta.url))) {
    const { buildGrammar } = await import('./build-grammar.mjs');
    await buildGrammar();
  }
  copyCodicons();
}

function copyCodicons() {
  const from = new URL('../node_modules/@vscode/codicons/dist/', import.meta.url);
  const to = new URL('../dist/webview/codicons/', import.meta.url);
  mkdirSync(to, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(new URL(file, from), new URL(file, to));
}
