import * as vscode from 'vscode';
import type { Log } from '../log';
import { ModelCatalog } from './catalog';
import { ModelChooser } from './chooser';
import { registerModelCommands } from './commands';
import { Endpoints } from './endpoints';
import { registerModelChoiceCommands } from './model-picker';
import { EndpointStatus } from './status';
import { ModelsTreeProvider } from './view';

export interface ModelServices {
  endpoints: Endpoints;
  catalog: ModelCatalog;
  chooser: ModelChooser;
}

/** Endpoints, the Models view, the status bar item and model commands. */
export function registerModels(context: vscode.ExtensionContext, log: Log): ModelServices {
  const endpoints = new Endpoints(context.secrets, log);
  const catalog = new ModelCatalog(endpoints);
  const tree = new ModelsTreeProvider(catalog);
  const chooser = new ModelChooser(endpoints, catalog, context.workspaceState, log);
  const view = vscode.window.createTreeView('promptscope.models', { treeDataProvider: tree, showCollapseAll: false });
  context.subscriptions.push(
    endpoints,
    tree,
    view,
    new EndpointStatus(endpoints),
    ...registerModelCommands(endpoints, catalog, () => tree.refresh(), log),
    chooser,
    ...registerModelChoiceCommands(chooser),
  );
  return { endpoints, catalog, chooser };
}
