import * as vscode from 'vscode';
import type { RunHistory } from '../../core/runs/history';
import type { RunSummary } from '../../core/runs/record';
import type { Log } from '../log';

const STATUS_ICONS: Record<RunSummary['status'], string> = {
  running: 'loading~spin',
  completed: 'pass',
  stopped: 'debug-stop',
  error: 'error',
};

/** The History view: past runs, newest first, with status, model and the start of the output. */
export class HistoryTreeProvider implements vscode.TreeDataProvider<RunSummary>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunSummary | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher | undefined;

  constructor(
    private readonly history: RunHistory,
    private readonly log: Log,
  ) {
    // Runs from the CLI appear too: watch the summaries it writes.
    this.watcher = vscode.workspace.workspaceFolders?.length
      ? vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(history.folder), '*.meta.json'))
      : undefined;
    this.watcher?.onDidCreate(() => this.refresh());
    this.watcher?.onDidChange(() => this.refresh());
    this.watcher?.onDidDelete(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(element?: RunSummary): Promise<RunSummary[]> {
    if (element) return [];
    try {
      return await this.history.list();
    } catch (err) {
      this.log.error('reading the run history', err);
      return [];
    }
  }

  getTreeItem(run: RunSummary): vscode.TreeItem {
    const label = run.preview.replace(/\s+/g, ' ').trim() || vscode.l10n.t('(no output)');
    const item = new vscode.TreeItem(label.length > 60 ? `${label.slice(0, 60)}…` : label, vscode.TreeItemCollapsibleState.None);
    const when = new Date(run.startedAt);
    item.description = `${run.endpoint}/${run.model} · ${when.toLocaleString()}`;
    item.iconPath = new vscode.ThemeIcon(STATUS_ICONS[run.status]);
    const stats = run.stats;
    item.tooltip = new vscode.MarkdownString(
      [
        `**${run.endpoint}/${run.model}** — ${run.status}`,
        run.file ? `File: \`${run.file}\`` : '',
        `${run.tokenCount} tokens${stats?.evalRate ? `, ${stats.evalRate.toFixed(1)} tok/s` : ''}${stats?.ttftMs !== undefined ? `, first token ${Math.round(stats.ttftMs)} ms` : ''}`,
        run.errorMessage ? `Error: ${run.errorMessage}` : '',
      ].filter(Boolean).join('\n\n'),
    );
    item.contextValue = `run.${run.status}`;
    item.id = run.id;
    item.command = { command: 'promptscope.history.open', title: vscode.l10n.t('Open Run'), arguments: [run] };
    return item;
  }

  dispose(): void {
    this.watcher?.dispose();
    this.changed.dispose();
  }
}
