import * as path from 'node:path';
import * as vscode from 'vscode';
import { groupRuns, type RunGroup } from '../../core/runs/groups';
import type { RunHistory } from '../../core/runs/history';
import type { RunSummary } from '../../core/runs/record';
import type { Log } from '../log';

const STATUS_ICONS: Record<RunSummary['status'], string> = {
  running: 'loading~spin',
  completed: 'pass',
  stopped: 'debug-stop',
  error: 'error',
};

/** A node of the History view: the runs of one prompt file, the runs of one comparison, or a run. */
export type HistoryNode = RunGroup | { kind: 'run'; run: RunSummary; inComparison: boolean };

/** The run a command was given: a History node or a run summary (as older callers pass). */
export function runOf(arg: unknown): RunSummary | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const node = arg as Partial<HistoryNode> & Partial<RunSummary>;
  if (node.kind === 'run' && node.run) return node.run;
  return typeof node.id === 'string' && typeof node.startedAt === 'string' ? (arg as RunSummary) : undefined;
}

function fileLabel(file: string | undefined): string {
  return file ? path.basename(file) : vscode.l10n.t('(no file)');
}

function statusText(status: RunSummary['status']): string {
  switch (status) {
    case 'running':
      return vscode.l10n.t('running');
    case 'completed':
      return vscode.l10n.t('done');
    case 'stopped':
      return vscode.l10n.t('stopped');
    case 'error':
      return vscode.l10n.t('failed');
  }
}

/** The History view: runs grouped by prompt file and by comparison, each labelled with its model and status. */
export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HistoryNode | undefined>();
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

  async getChildren(element?: HistoryNode): Promise<HistoryNode[]> {
    if (element)
      return element.kind === 'run' ? [] : element.runs.map((run) => ({ kind: 'run', run, inComparison: element.kind === 'comparison' }));
    try {
      return groupRuns(await this.history.list());
    } catch (err) {
      this.log.error('reading the run history', err);
      return [];
    }
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    if (node.kind === 'run') return this.runItem(node.run, node.inComparison);
    const newest = node.runs[0];
    const models = [...new Set(node.runs.map((r) => `${r.endpoint}/${r.model}`))];
    const files = [...new Set(node.runs.map((r) => fileLabel(r.file)))];
    const label = node.kind === 'file' ? fileLabel(node.file) : vscode.l10n.t('Comparison of {0}', files.join(', '));
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    const when = newest ? new Date(newest.startedAt).toLocaleString() : '';
    item.description = vscode.l10n.t('{0} runs · {1}', node.runs.length, when);
    item.tooltip = [node.kind === 'file' ? node.file || label : label, models.join(', ')].join('\n');
    item.iconPath = new vscode.ThemeIcon(node.kind === 'file' ? 'file' : 'compare-changes');
    item.contextValue = node.kind === 'file' ? 'runGroup.file' : 'runGroup.comparison';
    item.id = node.kind === 'file' ? `file:${node.file}` : `comparison:${node.group}`;
    return item;
  }

  private runItem(run: RunSummary, inComparison: boolean): vscode.TreeItem {
    const model = `${run.endpoint}/${run.model}`;
    const label = inComparison ? `${fileLabel(run.file)} · ${model} · ${statusText(run.status)}` : `${model} · ${statusText(run.status)}`;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    const preview = run.preview.replace(/\s+/g, ' ').trim() || vscode.l10n.t('(no output)');
    item.description = `${new Date(run.startedAt).toLocaleTimeString()} · ${preview.length > 50 ? `${preview.slice(0, 50)}…` : preview}`;
    item.iconPath = new vscode.ThemeIcon(STATUS_ICONS[run.status]);
    const stats = run.stats;
    const tooltip = new vscode.MarkdownString(
      [
        `**${model}** — ${statusText(run.status)}`,
        run.file ? `${vscode.l10n.t('File')}: ${run.file}` : '',
        `${run.tokenCount} tokens${stats?.evalRate ? `, ${stats.evalRate.toFixed(1)} tok/s` : ''}${stats?.ttftMs !== undefined ? `, ${Math.round(stats.ttftMs)} ms` : ''}`,
        run.errorMessage ? `${vscode.l10n.t('Error')}: ${run.errorMessage}` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    // Run text and file names are data: no command links, no HTML.
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    item.tooltip = tooltip;
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
