// ESLint (flat config): typescript-eslint's recommended rules everywhere, and the layer rules of
// the architecture (README "Layout") as import restrictions per folder, so a wrong import is
// reported in the editor as it is typed. test/unit/boundaries.test.ts also checks the layers
// through what files import transitively; these rules catch the direct import early.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), 'node:*'];

/** `no-restricted-imports` options: these module names and these path patterns are refused. */
function restrict({ names = [], layers = [], message }) {
  return [
    'error',
    {
      paths: names.filter((n) => !n.includes('*')).map((name) => ({ name, message })),
      patterns: [
        ...(names.some((n) => n.includes('*')) ? [{ group: names.filter((n) => n.includes('*')), message }] : []),
        ...(layers.length > 0 ? [{ regex: layerImport(layers), message }] : []),
      ],
    },
  ];
}

/** A relative import that climbs out of the importing layer into one of `layers` (src/<layer>). */
function layerImport(layers) {
  return `^(\\.\\./)+(${layers.join('|')})(/|$)`;
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cache/**',
      '.vscode-test/**',
      'test-results/**',
      'bench/results/**',
      'test/workspace/**',
      'samples/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // `_`-prefixed names are deliberately unused (destructuring a field away, an unused parameter
      // a callback signature requires), as tsc's noUnusedParameters already allows.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // `let x; const f = () => x?.y(); x = create(f);` — a closure that reads a value assigned once,
      // after the closure exists, cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `ok ? (passed += 1) : (failed += 1)` counts one way or the other; the house style allows it.
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true }],
    },
  },
  {
    // Node scripts, the harness and the build: plain JavaScript modules run by Node.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        AbortController: 'readonly',
      },
    },
  },
  {
    // Terminal safety matches control characters on purpose (ESC, C0, C1): that is its job.
    files: ['src/core/text/terminal.ts', 'test/unit/cli-*.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Functions the harness hands to Playwright run in the page, where these exist.
    files: ['test/harness/page-channel.mjs'],
    languageOptions: { globals: { document: 'readonly', history: 'readonly' } },
  },
  {
    // Core: the domain, shared by the extension and the CLI. No editor, no browser, no adapters.
    // It may name the message contracts' types (import type): the comparison model builds them.
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core is used by the extension and the CLI alike: no vscode.' }],
          patterns: [
            {
              regex: layerImport(['host', 'webview', 'cli']),
              message: 'src/core is used by the extension and the CLI alike: no host/webview/cli imports.',
            },
            {
              regex: layerImport(['shared']),
              allowTypeImports: true,
              message: 'src/core may name message types from src/shared (import type), not import its code.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'HTMLElement', 'requestAnimationFrame', 'localStorage'],
    },
  },
  {
    // Webview apps: browser code. The host is reached through messages only.
    files: ['src/webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        names: ['vscode', ...nodeBuiltins],
        layers: ['host', 'cli'],
        message:
          'src/webview runs in a browser: no vscode, no Node modules, no host/cli imports (talk to the host through src/shared messages).',
      }),
    },
  },
  {
    // Host: VS Code adapters. Webview code is bundled separately and reached through messages.
    files: ['src/host/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        layers: ['webview'],
        message: 'src/host talks to webviews through src/shared messages only.',
      }),
    },
  },
  {
    // CLI: a terminal front end on core.
    files: ['src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        names: ['vscode'],
        layers: ['host', 'webview'],
        message: 'src/cli runs without VS Code: no vscode, no host/webview imports.',
      }),
    },
  },
  {
    // Shared: the host⇄webview message contracts. Only other shared files at run time; core's
    // types may be named (they are erased, so the webview bundle gains nothing from them).
    files: ['src/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['vscode', ...nodeBuiltins.filter((n) => !n.includes('*'))].map((name) => ({
            name,
            message: 'src/shared holds message contracts only.',
          })),
          patterns: [
            { group: ['node:*'], message: 'src/shared holds message contracts only.' },
            { regex: layerImport(['host', 'webview', 'cli']), message: 'src/shared holds message contracts only.' },
            // Node-free core modules the webview may bundle through shared: the run kinds, the
            // error-message helper and the compact token columns. Any other core import is a type.
            {
              regex: `${layerImport(['core'])}(?!runs/kind$|errors$|transcript/store$)`,
              allowTypeImports: true,
              message:
                'src/shared may name core types (import type); at run time only core/runs/kind, core/errors and core/transcript/store, which need no Node.',
            },
            { regex: '^(?!\\.)', message: 'src/shared imports no packages.' },
          ],
        },
      ],
    },
  },
);
