// Webview tests in headless Chromium: builds the bundles (`node esbuild.mjs`), runs
// test/webview/*.test.ts (or the files given) with node's test runner through tsx, and ends with
// one line, "webview: N passed, M failed"; the exit code is non-zero when anything failed.
//
//   node test/webview/run.mjs                       # every webview test
//   node test/webview/run.mjs run-panel look        # test/webview/run-panel.test.ts, look.test.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

function finish(passed, failed) {
  console.log(`webview: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('the build failed; no webview test ran');
  finish(0, 1);
}

const wanted = process.argv.slice(2).map((a) => a.replace(/\.test\.ts$/, ''));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.test.ts') && (wanted.length === 0 || wanted.includes(f.replace(/\.test\.ts$/, ''))))
  .map((f) => path.join('test', 'webview', f));
if (files.length === 0) {
  console.error(`no webview test file matches ${wanted.join(', ')}`);
  finish(0, 1);
}

const dir = mkdtempSync(path.join(tmpdir(), 'promptscope-webview-'));
const tap = path.join(dir, 'webview.tap');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const run = spawnSync(
  process.execPath,
  [
    tsx,
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
try {
  const report = readFileSync(tap, 'utf8');
  passed = Number(/^# pass (\d+)/m.exec(report)?.[1] ?? 0);
  failed = Number(/^# fail (\d+)/m.exec(report)?.[1] ?? 0);
} catch {
  // No report at all: the runner itself failed.
}
rmSync(dir, { recursive: true, force: true });
if (run.status !== 0 && failed === 0) failed = 1;
finish(passed, failed);
