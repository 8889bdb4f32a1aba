import * as path from 'node:path';
import * as vscode from 'vscode';
import { HISTORY_FOLDER } from '../../core/execution/prepare';
import { RunHistory } from '../../core/runs/history';
import type { Log } from '../log';

/**
 * The run history the editor shares with the CLI: `<first workspace folder>/.promptscope/runs`,
 * or the extension's global storage when no folder is open.
 */
export function runHistoryFor(context: vscode.ExtensionContext, log?: Log): RunHistory {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const dir = folder ? path.join(folder.uri.fsPath, HISTORY_FOLDER) : path.join(context.globalStorageUri.fsPath, 'runs');
  // Repairs the history could not save (a read-only or full disk) go to the log, not to the user.
  return new RunHistory(dir, log ? { log: (message) => log.warn(message) } : {});
}
