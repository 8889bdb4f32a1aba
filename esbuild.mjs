// One build script, one esbuild configuration per target. The same list is used for a
// one-off build and for --watch, so no target is ever left out of watch mode.
import * as esbuild from 'esbuild';

import { join } from 'node:path';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { generateAssets } from './scripts/generate-assets.mjs';

const packageJson = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

// Each folder under src/webview with a main.ts is one webview app (dist/webview/<name>.js).
const webviewApps = Object.fromEntries(
  readdirSync('src/webview', { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join('src/webview', d.name, 'main.ts')))
    .map((d) => [`webview/${d.name}`, join('src/webview', d.name, 'main.ts')]),
);

const integrationTests = readdirSync('test/integration')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join('test/integration', f));

/** @type {esbuild.BuildOptions[]} */
const targets = [
  {
    ...common,
    entryPoints: { extension: 'src/host/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/bin.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    define: { PROMPTSCOPE_VERSION: JSON.stringify(packageJson.version) },
  },
  {
    ...common,
    entryPoints: webviewApps,
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
  {
    // The integration suite runs inside the real extension host. Each file is bundled (so test
    // fixtures such as the loopback model servers come along); vscode, mocha and the test
    // runner stay external.
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: ['test/integration/index.ts', 'test/electron-main.ts', ...integrationTests],
    outdir: 'dist/test',
    outbase: 'test',
    bundle: true,
    external: ['vscode', 'mocha', '@vscode/test-electron'],
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
];

const generated = {
  name: 'generate-assets',
  setup(build) {
    // A broken grammar or catalogue is reported as a build error, so --watch keeps running.
    build.onStart(async () => {
      try {
        await generateAssets();
        return {};
      } catch (err) {
        return { errors: [{ text: `generating assets: ${err instanceof Error ? err.message : String(err)}` }] };
      }
    });
  },
};

const activeTargets = targets.filter((t) => !t.entryPoints || Object.keys(t.entryPoints).length > 0);

// In watch mode every rebuild is announced and its errors are printed one a line as
// `file:line:column: error: text`, for the problem matcher of .vscode/tasks.json ("watch"), which
// also waits for "[watch] build finished" before F5 starts the extension.
let building = 0;
const reported = new Set(); // a file shared by several targets is reported once a build
const report = {
  name: 'watch-report',
  setup(build) {
    build.onStart(() => {
      if (building++ === 0) {
        reported.clear();
        console.log('[watch] build started');
      }
    });
    build.onEnd((result) => {
      for (const [severity, list] of [
        ['error', result.errors],
        ['warning', result.warnings],
      ]) {
        for (const m of list) {
          const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
          const line = `${where}${severity}: ${m.text}`;
          if (!reported.has(line)) console.log(line);
          reported.add(line);
        }
      }
      if (--building === 0) console.log('[watch] build finished');
    });
  },
};

if (watch) {
  const contexts = await Promise.all(
    activeTargets.map((t, i) => esbuild.context({ ...t, logLevel: 'silent', plugins: i === 0 ? [generated, report] : [report] })),
  );
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] watching', activeTargets.length, 'targets');
} else {
  // A production build starts from an empty dist/: files of an earlier development build (source
  // maps, removed entry points) would otherwise be packaged with it.
  if (production) rmSync('dist', { recursive: true, force: true });
  await generateAssets();
  await Promise.all(activeTargets.map((t) => esbuild.build(t)));
}
