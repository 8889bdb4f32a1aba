import * as path from 'node:path';
import * as vscode from 'vscode';
import { ComparisonStore } from '../../core/compare';
import { LANGUAGE_ID } from '../language/settings';
import type { Log } from '../log';
import type { ModelServices } from '../models';
import { runHistoryFor } from '../runs/history-store';
import { CompareCodeLensProvider } from './codelens';
import { compareCommand, type CompareDeps } from './command';
import type { ComparePanelDeps } from './panel';
import { openSavedComparison, registerCompareSerializer, type SavedDeps } from './saved';

export const COMPARE_COMMAND = 'promptscope.compare';
export const OPEN_COMPARISON_COMMAND = 'promptscope.compare.open';

/**
 * Side-by-side comparison in the editor: the Compare command (CodeLens, editor title, palette),
 * the comparison panel, and saved comparisons (beside the run history, so the CLI's appear too).
 */
export function registerCompare(context: vscode.ExtensionContext, log: Log, models: ModelServices): void {
  const history = runHistoryFor(context, log);
  const store = new ComparisonStore(path.resolve(history.folder));
  const panel: ComparePanelDeps = { extensionUri: context.extensionUri, log };
  const deps: CompareDeps = { context, log, panels: new Map(), models, history, store, panel };
  const saved: SavedDeps = { store, history, log, panel };
  context.subscriptions.push(
    vscode.commands.registerCommand(COMPARE_COMMAND, (arg?: unknown) => compareCommand(deps, arg)),
    vscode.commands.registerCommand(OPEN_COMPARISON_COMMAND, async (arg?: unknown) => {
      const opened = await openSavedComparison(saved, arg);
      return opened ? opened.comparison.comparisonId : undefined;
    }),
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, new CompareCodeLensProvider()),
    registerCompareSerializer(saved),
  );
}
