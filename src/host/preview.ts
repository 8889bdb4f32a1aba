import * as vscode from 'vscode';
import { PromptRenderError, renderPrompt } from '../core/prompt/render';
import { formatRendered } from '../cli/commands/render';
import { partialContextFor, LANGUAGE_ID } from './language/settings';

export const PREVIEW_SCHEME = 'promptscope-rendered';

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
    try {
      const rendered = await renderPrompt(document.getText(), partials ? { partials } : {});
      return formatRendered(rendered);
    } catch (err) {
      if (err instanceof PromptRenderError) return `This prompt does not render yet:\n\n${err.message}\n`;
      throw err;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function previewUri(source: vscode.Uri): vscode.Uri {
  const name = source.path.split('/').pop() ?? 'prompt';
  return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${name} (rendered)`, query: source.toString() });
}
