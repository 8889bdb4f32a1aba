// Entry point of the integration suite. VS Code's extension host loads this module (the folder
// passed as extensionTestsPath) and awaits run(); the promise's outcome becomes the exit code.
// It runs the same way under code-server (test/harness/run-code-server.mjs) and under
// @vscode/test-electron (test/electron-main.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** Prefix of the one machine-readable line the harness parses for the final counts. */
export const SUMMARY_MARKER = '[promptscope:integration-summary]';

export interface Summary {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
}

export function run(): Promise<void> {
  const grep = process.env.PROMPTSCOPE_TEST_GREP;
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false,
    // A deadline for a stuck test, not a speed limit: waits inside tests give up after 30 s.
    timeout: 90_000,
    forbidOnly: Boolean(process.env.CI),
    ...(grep ? { grep } : {}),
  });

  // The compiled suites sit next to this file in dist/test/integration/.
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) {
    return Promise.reject(new Error(`integration: no *.test.js files in ${__dirname} (did the build run?)`));
  }
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  return new Promise<void>((resolve, reject) => {
    const started = Date.now();
    try {
      const runner = mocha.run((failures) => {
        const summary: Summary = {
          passed: runner.stats?.passes ?? 0,
          failed: failures,
          pending: runner.stats?.pending ?? 0,
          durationMs: Date.now() - started,
        };
        console.log(
          `integration suite: ${summary.passed} passed, ${summary.failed} failed, ${summary.pending} pending ` +
            `(${files.length} files, ${summary.durationMs} ms)`,
        );
        console.log(`${SUMMARY_MARKER} ${JSON.stringify(summary)}`);
        void leaveEditorOpen().finally(() => {
          if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
          else resolve();
        });
      });
    } catch (err) {
      // A suite file that throws while loading ends up here.
      console.error('integration: mocha could not start:', err);
      console.log(`${SUMMARY_MARKER} ${JSON.stringify({ passed: 0, failed: 1, pending: 0, durationMs: 0 })}`);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/**
 * Opens basic.prompt once the suites are done, so the harness's final screenshot shows the
 * extension at work in an editor rather than an empty workbench.
 */
async function leaveEditorOpen(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return;
  try {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'basic.prompt'));
    await vscode.window.showTextDocument(document, { preview: false });
  } catch (err) {
    // Only the final screenshot depends on it; say why it shows an empty workbench.
    console.warn('integration: basic.prompt could not be left open for the final screenshot:', err);
  }
}
