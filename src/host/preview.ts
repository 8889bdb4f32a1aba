import * as vscode from 'vscode';
import { planInputs } from '../core/dataset/inputs';
import { analyzePrompt } from '../core/prompt/analyze';
import { PromptRenderError, renderPrompt } from '../core/prompt/render';
import { formatRendered } from '../cli/commands/render';
import { partialContextFor, LANGUAGE_ID } from './language/settings';

export const PREVIEW_SCHEME = 'promptscope-rendered';
/** The preview's language: it wraps long lines (package.json configurationDefaults). */
export const PREVIEW_LANGUAGE = 'dotprompt-rendered';

/**
 * A read-only document showing what a prompt renders to (with its input defaults), refreshed
 * as the prompt is edited. No model is called.
 */
export class RenderedPreviewProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.languageId !== LANGUAGE_ID) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.changed.fire(previewUri(e.document.uri)), 300);
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = vscode.Uri.parse(uri.query);
    const document = await vscode.workspace.openTextDocument(source);
    const partials = partialContextFor(document);
    const text = document.getText();
    try {
      // A required input without a default would render as a silent gap: show a marker instead.
      const missing = await missingRequiredInputs(text);
      const input = Object.fromEntries(missing.map((name) => [name, `⟨${name}⟩`]));
      const rendered = await renderPrompt(text, { ...(partials ? { partials } : {}), ...(missing.length > 0 ? { input } : {}) });
      const note =
        missing.length > 0 ? `${vscode.l10n.t('⚠ Required inputs without a value, shown as ⟨name⟩: {0}', missing.join(', '))}\n\n` : '';
      return note + formatRendered(rendered);
    } catch (err) {
      if (err instanceof PromptRenderError) return `${vscode.l10n.t('This prompt does not render yet:')}\n\n${err.message}\n`;
      throw err;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Required inputs (declared without `?`, or read unconditionally) that `input.default` does not fill. */
async function missingRequiredInputs(text: string): Promise<string[]> {
  const plan = planInputs(await analyzePrompt(text));
  return plan.required.filter((name) => !(name in plan.defaults));
}

export function previewUri(source: vscode.Uri): vscode.Uri {
  const name = source.path.split('/').pop() ?? 'prompt';
  return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${name} (rendered)`, query: source.toString() });
}
