import * as path from 'node:path';
import * as vscode from 'vscode';
import { HISTORY_FOLDER } from '../../core/execution/prepare';
import { RunHistory } from '../../core/runs/history';

/**
 * The run history the editor shares with the CLI: `<first workspace folder>/.promptscope/runs`,
 * or the extension's global storage when no folder is open.
 */
export function runHistoryFor(context: vscode.ExtensionContext): RunHistory {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const dir = folder ? path.join(folder.uri.fsPath, HISTORY_FOLDER) : path.join(context.globalStorageUri.fsPath, 'runs');
  return new RunHistory(dir);
}
