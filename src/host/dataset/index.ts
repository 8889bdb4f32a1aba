import * as vscode from 'vscode';
import type { Log } from '../log';
import { exportDatasetCommand, type DatasetDeps } from './command';

export const EXPORT_DATASET_COMMAND = 'promptscope.exportDataset';

/** "Export Dataset…": a prompt plus rows (JSONL or CSV) into fine-tuning records (issue #6). */
export function registerDataset(context: vscode.ExtensionContext, log: Log): void {
  const problems = vscode.languages.createDiagnosticCollection('promptscope.dataset');
  const deps: DatasetDeps = { context, log, problems };
  context.subscriptions.push(
    problems,
    vscode.commands.registerCommand(EXPORT_DATASET_COMMAND, (arg?: unknown) => exportDatasetCommand(deps, arg)),
  );
}
