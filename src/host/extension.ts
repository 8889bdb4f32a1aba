import * as vscode from 'vscode';
import { registerCompare } from './compare';
import { registerDataset } from './dataset';
import { AnalysisCache } from './language/analysis-cache';
import { PromptDiagnostics } from './language/diagnostics';
import { registerNavigationProviders } from './language/navigation';
import { registerLanguageProviders } from './language/providers';
import { LANGUAGE_ID } from './language/settings';
import { Log } from './log';
import { registerModels } from './models';
import { registerPatterns } from './patterns';
import { registerRuns } from './runs';
import { registerSamples } from './samples';
import { PREVIEW_LANGUAGE, PREVIEW_SCHEME, previewUri, RenderedPreviewProvider } from './preview';
import { errorMessage } from '../core/errors';

export function activate(context: vscode.ExtensionContext): void {
  const log = new Log();
  context.subscriptions.push(log);
  try {
    const cache = new AnalysisCache(log);
    const preview = new RenderedPreviewProvider();
    const models = registerModels(context, log);
    registerPatterns(context, cache);
    registerRuns(context, log, models, cache);
    registerCompare(context, log, models);
    registerDataset(context, log);
    context.subscriptions.push(...registerSamples(context, log));
    context.subscriptions.push(
      cache,
      new PromptDiagnostics(cache, log),
      ...registerLanguageProviders(cache, () => models.catalog.references()),
      ...registerNavigationProviders(),
      preview,
      vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, preview),
      vscode.commands.registerCommand('promptscope.showRendered', async (uri?: vscode.Uri) => {
        const target = uri ?? vscode.window.activeTextEditor?.document.uri;
        if (!target) {
          void vscode.window.showInformationMessage(vscode.l10n.t('Open a .prompt file to see what it renders to.'));
          return;
        }
        const doc = await vscode.workspace.openTextDocument(previewUri(target));
        const shown = doc.languageId === PREVIEW_LANGUAGE ? doc : await vscode.languages.setTextDocumentLanguage(doc, PREVIEW_LANGUAGE);
        await vscode.window.showTextDocument(shown, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
      }),
    );
    log.info(`Promptscope activated (language ${LANGUAGE_ID}).`);
  } catch (err) {
    log.error('activation failed', err);
    void log.showError(vscode.l10n.t('Promptscope failed to start: {0}', errorMessage(err)));
    throw err;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
