import * as vscode from 'vscode';
import type { EndpointConfig, InstalledModel, LoadedModel } from '../../core/providers';
import { displayUrl } from '../../core/providers';
import type { ModelCatalog } from './catalog';

export type ModelNode =
  | { kind: 'endpoint'; endpoint: EndpointConfig; problem?: string; count: number }
  | { kind: 'model'; endpoint: EndpointConfig; model: InstalledModel; loaded?: LoadedModel }
  | { kind: 'message'; text: string };

/** The Models view: each endpoint with its models, and which are loaded now with their GPU share. */
export class ModelsTreeProvider implements vscode.TreeDataProvider<ModelNode> {
  private readonly changed = new vscode.EventEmitter<ModelNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly catalog: ModelCatalog) {}

  refresh(): void {
    this.catalog.refresh();
    this.changed.fire(undefined);
  }

  async getChildren(node?: ModelNode): Promise<ModelNode[]> {
    const lists = await this.catalog.all();
    if (!node) {
      return lists.map((l) => ({
        kind: 'endpoint' as const,
        endpoint: l.endpoint,
        count: l.installed.length,
        ...(l.problem ? { problem: l.problem } : {}),
      }));
    }
    if (node.kind !== 'endpoint') return [];
    const list = lists.find((l) => l.endpoint.name === node.endpoint.name);
    if (!list) return [];
    if (list.problem) return [{ kind: 'message', text: list.problem }];
    if (list.installed.length === 0) return [{ kind: 'message', text: vscode.l10n.t('No models yet. Use "Pull Model" to download one.') }];
    return list.installed.map((model) => {
      const loaded = list.loaded.find((l) => l.name === model.name);
      return { kind: 'model' as const, endpoint: list.endpoint, model, ...(loaded ? { loaded } : {}) };
    });
  }

  getTreeItem(node: ModelNode): vscode.TreeItem {
    switch (node.kind) {
      case 'endpoint': {
        const item = new vscode.TreeItem(node.endpoint.name, vscode.TreeItemCollapsibleState.Expanded);
        item.description = node.problem ? vscode.l10n.t('unreachable') : `${node.endpoint.kind} · ${displayUrl(node.endpoint.url)}`;
        item.iconPath = new vscode.ThemeIcon(node.problem ? 'debug-disconnect' : 'server-environment');
        item.tooltip = node.problem ?? `${displayUrl(node.endpoint.url)} (${node.count})`;
        item.contextValue = `endpoint.${node.endpoint.kind}`;
        return item;
      }
      case 'model': {
        const item = new vscode.TreeItem(node.model.name, vscode.TreeItemCollapsibleState.None);
        const facts = [
          node.model.parameterSize,
          node.model.quantization,
          node.model.sizeBytes ? formatBytes(node.model.sizeBytes) : undefined,
        ].filter(Boolean);
        if (node.loaded) facts.push(vscode.l10n.t('loaded, {0}% GPU', Math.round(node.loaded.gpuShare * 100)));
        item.description = facts.join(' · ');
        item.tooltip = new vscode.MarkdownString(
          [
            `**${node.endpoint.name}/${node.model.name}**`,
            node.model.family ? `Family: ${node.model.family}` : '',
            node.model.parameterSize ? `Parameters: ${node.model.parameterSize}` : '',
            node.model.quantization ? `Quantization: ${node.model.quantization}` : '',
            node.loaded ? `Loaded: ${formatBytes(node.loaded.sizeVramBytes)} of ${formatBytes(node.loaded.sizeBytes)} in GPU memory` : '',
          ]
            .filter(Boolean)
            .join('\n\n'),
        );
        item.iconPath = new vscode.ThemeIcon(node.loaded ? 'circle-filled' : 'circle-outline');
        item.contextValue = `model.${node.endpoint.kind}`;
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}
