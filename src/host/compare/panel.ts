import * as path from 'node:path';
import * as vscode from 'vscode';
import { toCsv, toJsonl, toMarkdown } from '../../core/compare';
import {
  isCompareWebviewMessage,
  type CompareHostMessage,
  type CompareRequestMessage,
  type ExportFormat,
  type RenderedReport,
} from '../../shared/compare-protocol';
import { DisposableOwner } from '../disposable';
import type { Log } from '../log';
import { compareHtml, compareWebviewOptions } from './html';
import type { ComparisonModel } from '../../core/compare/model';
import { errorMessage } from '../../core/errors';

export const COMPARE_VIEW_TYPE = 'promptscope.compare';

function comparisonColumn(): vscode.ViewColumn {
  for (const group of vscode.window.tabGroups.all) {
    if (group.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(COMPARE_VIEW_TYPE)))
      return group.viewColumn;
  }
  return vscode.ViewColumn.Beside;
}

export interface ComparePanelDeps {
  extensionUri: vscode.Uri;
  log: Log;
}

const EXPORTS: Record<ExportFormat, { ext: string; label: string; render: typeof toMarkdown }> = {
  markdown: { ext: 'md', label: 'Markdown', render: toMarkdown },
  csv: { ext: 'csv', label: 'CSV', render: toCsv },
  jsonl: { ext: 'jsonl', label: 'JSON Lines', render: toJsonl },
};

/**
 * One comparison in a webview panel. The host owns the comparison (the model): the webview says
 * `ready` and gets a snapshot, then batched updates. Requests (cancel, export, open a cell's
 * run, show logs) are answered with a reply every time.
 */
export class ComparePanel extends DisposableOwner {
  private cancel: (() => void) | undefined;
  private lastReport: RenderedReport | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly panel: vscode.WebviewPanel,
    private model: ComparisonModel,
    private readonly deps: ComparePanelDeps,
  ) {
    super();
    panel.webview.options = compareWebviewOptions(deps.extensionUri);
    panel.webview.html = compareHtml(panel.webview, deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'prompt-file.svg');
    this.attach(model);
    this.register(panel);
    this.register(panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)));
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  /** A new panel, in the editor group that already shows comparisons (else beside the editor). */
  static create(deps: ComparePanelDeps, model: ComparisonModel): ComparePanel {
    const panel = vscode.window.createWebviewPanel(
      COMPARE_VIEW_TYPE,
      model.init.title,
      { viewColumn: comparisonColumn(), preserveFocus: false },
      compareWebviewOptions(deps.extensionUri),
    );
    return new ComparePanel(panel, model, deps);
  }

  /** Whether a comparison is streaming into this panel now. */
  get running(): boolean {
    return this.cancel !== undefined;
  }

  get comparison(): ComparisonModel {
    return this.model;
  }

  /** Shows another comparison in this panel (a restored one). */
  replace(model: ComparisonModel): void {
    this.lastReport = undefined;
    this.model.dispose();
    this.model = model;
    this.attach(model);
    this.model.sendSnapshot();
  }

  /**
   * What the webview reports it shows, once `accept` takes it (e.g. the finished comparison);
   * undefined when the panel closes or nothing acceptable is reported in time.
   */
  whenRendered(accept: (report: RenderedReport) => boolean, timeoutMs: number): Promise<RenderedReport | undefined> {
    return new Promise((resolve) => {
      const check = (): void => {
        const report = this.lastReport;
        if (this.isDisposed || (report !== undefined && accept(report))) finish(this.isDisposed ? undefined : report);
      };
      const finish = (value: RenderedReport | undefined): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** How Cancel stops the running comparison; cleared when it ends. */
  setCancel(cancel: (() => void) | undefined): void {
    this.cancel = cancel;
  }

  private attach(model: ComparisonModel): void {
    this.panel.title = model.init.title;
    model.attach((message) => this.post(message));
  }

  private async receive(message: unknown): Promise<void> {
    if (!isCompareWebviewMessage(message)) {
      this.deps.log.warn('comparison panel: ignored a malformed message from the webview');
      return;
    }
    if (message.type === 'ready') {
      this.model.sendSnapshot();
      return;
    }
    if (message.type === 'rendered') {
      this.lastReport = message;
      this.deps.log.debug(
        `comparison panel shows ${message.columns} columns, ${message.cells} cells, ${message.tokens} tokens (${message.status})`,
      );
      for (const wake of [...this.waiters]) wake();
      return;
    }
    if (message.action === 'token') {
      const token = this.model.tokenAt(message.cellId, message.index);
      this.post(
        token
          ? { type: 'reply', requestId: message.requestId, ok: true, token }
          : { type: 'reply', requestId: message.requestId, ok: false, error: 'no such token' },
      );
      return;
    }
    try {
      const text = await this.handle(message);
      this.post({ type: 'reply', requestId: message.requestId, ok: true, ...(text ? { message: text } : {}) });
    } catch (err) {
      this.deps.log.error(`comparison panel: ${message.action}`, err);
      this.post({ type: 'reply', requestId: message.requestId, ok: false, error: errorMessage(err) });
    }
  }

  private post(message: CompareHostMessage): void {
    if (!this.isDisposed) void this.panel.webview.postMessage(message);
  }

  private async handle(message: Exclude<CompareRequestMessage, { action: 'token' }>): Promise<string | undefined> {
    switch (message.action) {
      case 'cancel':
        if (!this.cancel) throw new Error(vscode.l10n.t('This comparison is not running.'));
        this.cancel();
        return vscode.l10n.t('Cancelled: the output received so far is kept.');
      case 'showLogs':
        this.deps.log.channel.show(true);
        return undefined;
      case 'openRun': {
        const runId = this.model.toResult().cells.find((c) => c.id === message.cellId)?.runId;
        if (!runId) throw new Error(vscode.l10n.t('That cell has no saved run.'));
        await vscode.commands.executeCommand('promptscope.history.open', { id: runId });
        return undefined;
      }
      case 'export':
        return this.export(message.format);
    }
  }

  private async export(format: ExportFormat): Promise<string | undefined> {
    const kind = EXPORTS[format];
    const result = this.model.toResult();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const stem = path.basename(result.file).replace(/\.prompt$/i, '') || 'comparison';
    const source = path.isAbsolute(result.file)
      ? vscode.Uri.file(path.dirname(result.file))
      : folder
        ? vscode.Uri.joinPath(folder, path.dirname(result.file))
        : undefined;
    const suggested = source ? vscode.Uri.joinPath(source, `${stem}.comparison.${kind.ext}`) : undefined;
    const target = await vscode.window.showSaveDialog({
      ...(suggested ? { defaultUri: suggested } : {}),
      filters: { [kind.label]: [kind.ext] },
      title: vscode.l10n.t('Export the comparison'),
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(kind.render(result)));
    return vscode.l10n.t('Exported to {0}', vscode.workspace.asRelativePath(target, false));
  }

  protected override disposing(): void {
    // Closing the panel stops its comparison; what was received is saved as usual.
    this.cancel?.();
    for (const wake of [...this.waiters]) wake();
    this.model.dispose();
  }
}
