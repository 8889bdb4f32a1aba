import * as path from 'node:path';
import * as vscode from 'vscode';
import { patternHints } from '../../core/patterns/hints';
import { toRange, toSeverity } from '../convert';
import type { Log } from '../log';
import type { AnalysisCache } from './analysis-cache';
import { LANGUAGE_ID } from './settings';

const DEBOUNCE_MS = 250;

/** Keeps the Problems view in step with open `.prompt` documents. */
export class PromptDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('promptscope');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly cache: AnalysisCache,
    private readonly log: Log,
  ) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChanged(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('promptscope')) this.refreshAll();
      }),
      cache.schemas.onDidChange(() => this.refreshAll()),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private onChanged(document: vscode.TextDocument): void {
    if (document.languageId !== LANGUAGE_ID) return;
    // A partial (`_name.prompt`) changes what the files including it report.
    if (path.basename(document.uri.fsPath).startsWith('_')) {
      this.cache.clear();
      for (const d of vscode.workspace.textDocuments) if (d !== document) this.schedule(d, DEBOUNCE_MS);
    }
    this.schedule(document, DEBOUNCE_MS);
  }

  refreshAll(): void {
    this.cache.clear();
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (document.languageId !== LANGUAGE_ID) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(document);
      }, delay),
    );
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed) return;
    const version = document.version;
    try {
      const analysis = await this.cache.get(document);
      if (document.isClosed || document.version !== version) return;
      this.collection.set(
        document.uri,
        [...analysis.diagnostics, ...patternHints(analysis)].map((d) => {
          const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, toSeverity(d.severity));
          diagnostic.source = 'promptscope';
          diagnostic.code = d.code;
          if (d.code === 'unused-input') diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
          if (d.related)
            diagnostic.relatedInformation = d.related.map(
              (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(document.uri, toRange(r.range)), r.message),
            );
          return diagnostic;
        }),
      );
    } catch (err) {
      this.log.error(`analysing ${document.uri.toString()}`, err);
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, 0),
        `Promptscope could not analyse this file: ${err instanceof Error ? err.message : String(err)}`,
        vscode.DiagnosticSeverity.Error,
      );
      diagnostic.source = 'promptscope';
      diagnostic.code = 'internal-error';
      this.collection.set(document.uri, [diagnostic]);
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
