import * as vscode from 'vscode';
import type { RunSummary } from '../../core/runs/record';
import type { AnalysisCache } from '../language/analysis-cache';
import { LANGUAGE_ID } from '../language/settings';
import type { Log } from '../log';
import type { ModelServices } from '../models';
import { pullModel } from '../models/commands';
import { loadTranscripts, registerRunPanelSerializer } from '../run-panel';
import { RunPanel, type RunPanelDeps } from '../run-panel/panel';
import { RunCodeLensProvider } from './codelens';
import { RunController } from './controller';
import { runHistoryFor } from './history-store';
import { HistoryTreeProvider } from './history-view';
import { inputsFor } from './inputs';

/** Run commands, the run panel, the History view and the Run CodeLens. */
export function registerRuns(context: vscode.ExtensionContext, log: Log, models: ModelServices, cache: AnalysisCache): void {
  const history = runHistoryFor(context);
  const controller = new RunController(models.endpoints, history, log);
  const panels = new Map<string, RunPanel>();
  const deps: RunPanelDeps = {
    extensionUri: context.extensionUri,
    controller,
    log,
    pullModel: async (endpointName, model) => {
      const endpoint = models.endpoints.list.find((e) => e.name === endpointName);
      if (!endpoint || endpoint.kind !== 'ollama') throw new Error(vscode.l10n.t('Only Ollama endpoints can pull models.'));
      if (await pullModel(models.endpoints, endpoint, model, log)) models.catalog.refresh();
    },
  };
  const tree = new HistoryTreeProvider(history, log);

  const run = async (uri: vscode.Uri | undefined, askAll: boolean): Promise<void> => {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== LANGUAGE_ID) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a .prompt file to run it.'));
      return;
    }
    const input = await inputsFor(document, cache, context.workspaceState, askAll);
    if (!input) return;
    const session = await controller.start(document, { input });
    if (!session) return;
    const key = document.uri.toString();
    let panel = panels.get(key);
    if (!panel) {
      panel = RunPanel.create(deps, session.title);
      panels.set(key, panel);
      const created = panel;
      created.panel.onDidDispose(() => panels.get(key) === created && panels.delete(key));
    } else {
      panel.panel.reveal(undefined, true);
    }
    panel.attach(session);
    void session.finished.then(() => tree.refresh());
  };

  context.subscriptions.push(
    tree,
    vscode.window.registerTreeDataProvider('promptscope.history', tree),
    registerRunPanelSerializer(deps, history),
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, new RunCodeLensProvider([
      { command: 'promptscope.run', title: vscode.l10n.t('$(play) Run') },
      { command: 'promptscope.runWithInputs', title: vscode.l10n.t('Run with Inputs…') },
    ])),
    vscode.commands.registerCommand('promptscope.run', (uri?: vscode.Uri) => run(uri, false)),
    vscode.commands.registerCommand('promptscope.runWithInputs', (uri?: vscode.Uri) => run(uri, true)),
    vscode.commands.registerCommand('promptscope.history.refresh', () => tree.refresh()),
    vscode.commands.registerCommand('promptscope.history.open', async (summary?: RunSummary) => {
      if (!summary) return;
      const transcripts = await loadTranscripts(history, [summary.id], (id, err) => log.error(`opening run ${id}`, err));
      if (transcripts.length === 0) {
        await log.showError(vscode.l10n.t('That run could not be read from the history.'));
        return;
      }
      const panel = RunPanel.create(deps, transcripts[0]!.meta.title);
      for (const t of transcripts) panel.add(t);
    }),
    vscode.commands.registerCommand('promptscope.history.delete', async (summary?: RunSummary) => {
      if (!summary) return;
      await history.delete(summary.id);
      tree.refresh();
    }),
  );
}
