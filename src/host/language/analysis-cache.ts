import * as vscode from 'vscode';
import { analyzePrompt, type PromptAnalysis } from '../../core/prompt/analyze';
import { customHelpers, partialContextFor } from './settings';

/** One analysis per document version, shared by diagnostics and every language feature. */
export class AnalysisCache implements vscode.Disposable {
  private readonly entries = new Map<string, { version: number; analysis: Promise<PromptAnalysis> }>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidCloseTextDocument((d) => this.entries.delete(d.uri.toString()));
  }

  get(document: vscode.TextDocument): Promise<PromptAnalysis> {
    const key = document.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.version === document.version) return cached.analysis;
    const partials = partialContextFor(document);
    const analysis = analyzePrompt(document.getText(), {
      ...(partials ? { partials } : {}),
      ...(document.uri.scheme === 'file' ? { filePath: document.uri.fsPath } : {}),
      customHelpers: customHelpers(),
    });
    this.entries.set(key, { version: document.version, analysis });
    return analysis;
  }

  /** Forgets everything, e.g. after a settings change or a partial file changed on disk. */
  clear(): void {
    this.entries.clear();
  }

  dispose(): void {
    this.subscription.dispose();
    this.entries.clear();
  }
}
