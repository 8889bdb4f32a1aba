import * as vscode from 'vscode';
import type { Log } from '../log';
import { ModelCatalog } from './catalog';
import { registerModelCommands } from './commands';
import { Endpoints } from './endpoints';
import { EndpointStatus } from './status';
import { ModelsTreeProvider } from './view';

export interface ModelServices {
  endpoints: Endpoints;
  catalog: ModelCatalog;
}

/** Endpoints, the Models view, the status bar item and model commands. */
export function registerModels(context: vscode.ExtensionContext, log: Log): ModelServices {
  const endpoints = new Endpoints(context.secrets, log);
  const catalog = new ModelCatalog(endpoints);
  const tree = new ModelsTreeProvider(catalog);
  const view = vscode.window.createTreeView('promptscope.models', { treeDataProvider: tree, showCollapseAll: false });
  context.subscriptions.push(
    endpoints,
    tree,
    view,
    new EndpointStatus(endpoints),
    ...registerModelCommands(endpoints, catalog, () => tree.refresh(), log),
  );
  return { endpoints, catalog };
}
