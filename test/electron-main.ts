// `npm run test:electron`: runs the integration suite in desktop VS Code downloaded by
// @vscode/test-electron (cached under .vscode-test/). Needs network access to VS Code's
// download servers, so on machines without it use `npm run test:integration` (code-server).
//
//   node dist/test/electron-main.js [--grep PATTERN]
//   VSCODE_VERSION=stable node dist/test/electron-main.js   (default: 1.99.3, the engine minimum)
//
// Compiled by esbuild.mjs to dist/test/electron-main.js; paths below are relative to that file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '../..');
  const extensionDevelopmentPath = root;
  const extensionTestsPath = path.join(__dirname, 'integration');
  if (!fs.existsSync(path.join(extensionTestsPath, 'index.js'))) {
    console.error(`electron: ${extensionTestsPath}/index.js is missing; run \`node esbuild.mjs\` first`);
    return 1;
  }

  // Fresh profile and a fresh copy of the fixture workspace for every run, as in the code-server harness.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promptscope-electron-'));
  const userData = path.join(tmp, 'user-data');
  const extensions = path.join(tmp, 'extensions');
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.cpSync(path.join(root, 'test/workspace'), workspace, { recursive: true });
  fs.copyFileSync(path.join(root, 'test/harness/user-settings.json'), path.join(userData, 'User/settings.json'));

  const argv = process.argv.slice(2);
  const grepAt = argv.indexOf('--grep');
  const grep = grepAt >= 0 ? argv[grepAt + 1] : undefined;

  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.99.3',
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [
        workspace,
        '--disable-extensions', // other installed extensions; the one under development still loads
        '--disable-workspace-trust',
        `--user-data-dir=${userData}`,
        `--extensions-dir=${extensions}`,
      ],
      extensionTestsEnv: grep ? { PROMPTSCOPE_TEST_GREP: grep } : {},
    });
    return 0;
  } catch (err) {
    console.error(`electron: test run failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
