import * as vscode from 'vscode';
import { analyzePrompt, type PromptAnalysis } from '../../core/prompt/analyze';
import type { Log } from '../log';
import { SchemaIndex } from './schema-index';
import { customHelpers, partialContextFor, usePromptFolders } from './settings';

/**
 * One analysis per document version, shared by diagnostics and every language feature. Every
 * analysis gets its own partial context and helper list: nothing one document resolves is
 * seen by another.
 */
export class AnalysisCache implements vscode.Disposable {
  private readonly entries = new Map<string, { version: number; analysis: Promise<PromptAnalysis> }>();
  private readonly subscription: vscode.Disposable;
  private readonly promptFolderSource: vscode.Disposable;
  /** Named schemas, registered helpers and partials of the workspace's code, indexed in the background. */
  readonly schemas: SchemaIndex;

  constructor(log: Log) {
    this.schemas = new SchemaIndex(log);
    this.promptFolderSource = usePromptFolders(() => this.schemas.promptFolders.folders());
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
      schemas: this.schemas.catalog.lookup,
      registered: this.schemas.registrations,
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
    this.promptFolderSource.dispose();
    this.schemas.dispose();
    this.entries.clear();
  }
}
