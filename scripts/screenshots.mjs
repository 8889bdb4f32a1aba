#!/usr/bin/env node
// `npm run screenshots`: regenerates the README's pictures. The webview tests (headless Chromium)
// and the integration suite's "screenshot:" tests (the real VS Code) that draw them save to
// test-results/ (tests never write tracked files); this script runs those tests and copies their
// pictures to docs/images/, so a changed picture is a deliberate, reviewable commit.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
const images = path.join(root, 'docs', 'images');
/** test file (test/webview/<name>.test.ts) → pictures it saves to test-results/. */
const PICTURES = {
  look: ['run-panel-dark.png', 'run-panel-light.png'],
  'compare-screenshot': ['compare.png'],
};

const started = Date.now();
const run = spawnSync(process.execPath, [path.join(root, 'test/webview/run.mjs'), ...Object.keys(PICTURES)], {
  cwd: root,
  stdio: 'inherit',
});
if (run.status !== 0) {
  console.error('screenshots: the webview tests failed; docs/images/ left as it was');
  process.exit(1);
}
/** Pictures of the whole workbench, from test/integration/screenshots.test.ts. */
const WORKBENCH_PICTURES = ['editor-diagnostics.png'];
const workbench = spawnSync(
  process.execPath,
  [path.join(root, 'test/harness/run-code-server.mjs'), '--no-build', '--grep', 'screenshot:'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (workbench.status !== 0) {
  console.error('screenshots: the integration screenshot tests failed; docs/images/ left as it was');
  process.exit(1);
}
mkdirSync(images, { recursive: true });
let missing = 0;
for (const name of [...Object.values(PICTURES).flat(), ...WORKBENCH_PICTURES]) {
  const from = path.join(results, name);
  // A picture older than this run was not drawn by it: do not ship a stale one.
  if (!existsSync(from) || statSync(from).mtimeMs < started) {
    console.error(`screenshots: ${path.relative(root, from)} was not written by this run`);
    missing++;
    continue;
  }
  copyFileSync(from, path.join(images, name));
  console.log(`screenshots: docs/images/${name}`);
}
process.exit(missing > 0 ? 1 : 0);
