import * as vscode from 'vscode';
import type { AnalysisCache } from '../language/analysis-cache';
import { LANGUAGE_ID } from '../language/settings';
import type { Log } from '../log';
import type { ModelServices } from '../models';
import { pullModel } from '../models/commands';
import { loadTranscripts, PromptPanels, registerRunPanelSerializer } from '../run-panel';
import { RunPanel, type RunPanelDeps } from '../run-panel/panel';
import { RunCodeLensProvider } from './codelens';
import { RunController } from './controller';
import { runHistoryFor } from './history-store';
import { HistoryTreeProvider, runOf } from './history-view';

/** Run commands, the run panel, the History view and the Run CodeLens. */
export function registerRuns(context: vscode.ExtensionContext, log: Log, models: ModelServices, cache: AnalysisCache): void {
  const history = runHistoryFor(context, log);
  const controller = new RunController(models.endpoints, history, log, models.chooser);
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
  deps.onSession = (session) => void session.finished.then(() => tree.refresh());
  // The run panel of each prompt file: variables form, live preview, runs.
  const prompts = new PromptPanels(deps, {
    cache,
    state: context.workspaceState,
    endpoints: () => models.endpoints.list,
    models: models.chooser,
  });
  const run = async (uri: vscode.Uri | undefined, askAll: boolean): Promise<void> => {
    await prompts.open(uri, askAll ? 'form' : 'run');
  };

  context.subscriptions.push(
    tree,
    vscode.window.registerTreeDataProvider('promptscope.history', tree),
    registerRunPanelSerializer(deps, history, prompts),
    vscode.languages.registerCodeLensProvider(
      { language: LANGUAGE_ID },
      new RunCodeLensProvider([
        { command: 'promptscope.run', title: vscode.l10n.t('$(play) Run') },
        { command: 'promptscope.runWithInputs', title: vscode.l10n.t('Run with Inputs…') },
      ]),
    ),
    vscode.commands.registerCommand('promptscope.run', (uri?: vscode.Uri) => run(uri, false)),
    vscode.commands.registerCommand('promptscope.runWithInputs', (uri?: vscode.Uri) => run(uri, true)),
    vscode.commands.registerCommand('promptscope.history.refresh', () => tree.refresh()),
    vscode.commands.registerCommand('promptscope.history.open', async (arg?: unknown) => {
      const summary = runOf(arg);
      if (!summary) return;
      const runs = await loadTranscripts(history, [summary.id], (id, err) => log.error(`opening run ${id}`, err));
      if (runs.length === 0) {
        await log.showError(vscode.l10n.t('That run could not be read from the history.'));
        return;
      }
      const panel = RunPanel.create(deps, runs[0]!.transcript.meta.title);
      for (const run of runs) panel.add(run.transcript, run.sent);
    }),
    vscode.commands.registerCommand('promptscope.history.delete', async (arg?: unknown) => {
      const summary = runOf(arg);
      if (!summary) return;
      await history.delete(summary.id);
      tree.refresh();
    }),
  );
}
