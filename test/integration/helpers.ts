// Small helpers shared by the integration suites. Everything waits on a condition with a
// deadline; nothing sleeps for a fixed time.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'promptscope.promptscope';
export const LANGUAGE_ID = 'dotprompt';

export interface WaitOptions {
  /** Give up after this many milliseconds (default 30 000: a deadline for a stalled wait, not a speed limit; a busy 2-core machine can take seconds to sync an edit). */
  timeout?: number;
  /** Re-check the condition this often (default 50 ms). */
  interval?: number;
  /** Describes what was awaited, for the timeout error. */
  message?: string;
}

/**
 * Resolves with the first truthy value `condition` returns (it may be async); rejects after
 * `timeout` ms with `message` and the last error the condition threw, if any.
 */
export function waitFor<T>(
  condition: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitOptions = {},
): Promise<T> {
  const timeout = options.timeout ?? 30_000;
  const interval = options.interval ?? 50;
  const deadline = Date.now() + timeout;
  return new Promise<T>((resolve, reject) => {
    let lastError: unknown;
    const attempt = async (): Promise<void> => {
      try {
        const value = await condition();
        if (value) {
          resolve(value);
          return;
        }
      } catch (err) {
        lastError = err;
      }
      if (Date.now() >= deadline) {
        const what = options.message ?? 'condition';
        const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
        reject(new Error(`timed out after ${timeout} ms waiting for ${what}${why}`));
        return;
      }
      setTimeout(() => void attempt(), interval);
    };
    void attempt();
  });
}

/** The folder the harness opened: a fresh copy of test/workspace/. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open (the harness opens a copy of test/workspace/)');
  return folder.uri;
}

export function fixtureUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...name.split('/'));
}

/** Opens a file of the fixture workspace in an editor and returns its document and editor. */
export async function openFixture(name: string): Promise<{ document: vscode.TextDocument; editor: vscode.TextEditor }> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(name));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  return { document, editor };
}

/** Waits until the Promptscope extension is active and returns it. */
export async function waitForExtensionActive(timeout = 15_000): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this extension host`);
  await waitFor(() => ext.isActive, { timeout, message: `${EXTENSION_ID} to become active` });
  return ext;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The harness's page side (test/harness/page-channel.mjs), when the suite runs under code-server. */
export const PAGE_CHANNEL = process.env['PROMPTSCOPE_PAGE_CHANNEL'];

/** One request to the page side; rejects with what went wrong there (or when there is no page side). */
export async function pageSide<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<T> {
  if (!PAGE_CHANNEL) throw new Error(`page side, ${op}: no PROMPTSCOPE_PAGE_CHANNEL (not run by the code-server harness)`);
  const response = await fetch(PAGE_CHANNEL, { method: 'POST', body: JSON.stringify({ op, ...args }) });
  const reply = (await response.json()) as { ok: boolean; value?: T; error?: string };
  if (!reply.ok) throw new Error(`page side, ${op}: ${reply.error ?? 'failed'}`);
  return reply.value as T;
}
