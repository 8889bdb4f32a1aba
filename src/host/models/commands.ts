import * as vscode from 'vscode';
import { displayUrl, ModelAdminError, type EndpointConfig } from '../../core/providers';
import type { Log } from '../log';
import type { ModelCatalog } from './catalog';
import type { Endpoints } from './endpoints';
import { formatBytes, type ModelNode } from './view';
import { errorMessage } from '../../core/errors';

/** Pull, delete, refresh and API-key commands for the Models view. */
export function registerModelCommands(endpoints: Endpoints, catalog: ModelCatalog, refreshView: () => void, log: Log): vscode.Disposable[] {
  const ollamaEndpoint = async (node?: ModelNode): Promise<EndpointConfig | undefined> => {
    if (node && node.kind !== 'message' && node.endpoint.kind === 'ollama') return node.endpoint;
    const candidates = endpoints.list.filter((e) => e.kind === 'ollama');
    if (candidates.length <= 1) return candidates[0];
    const picked = await vscode.window.showQuickPick(
      candidates.map((e) => ({ label: e.name, description: displayUrl(e.url), endpoint: e })),
      { placeHolder: vscode.l10n.t('Which Ollama endpoint?') },
    );
    return picked?.endpoint;
  };

  return [
    vscode.commands.registerCommand('promptscope.models.refresh', () => refreshView()),
    vscode.commands.registerCommand('promptscope.models.pull', async (nodeOrName?: ModelNode | string) => {
      const endpoint = await ollamaEndpoint(typeof nodeOrName === 'string' ? undefined : nodeOrName);
      if (!endpoint) return;
      const name =
        typeof nodeOrName === 'string'
          ? nodeOrName
          : await vscode.window.showInputBox({
              prompt: vscode.l10n.t('Model to pull into {0} (as in "ollama pull")', endpoint.name),
              placeHolder: 'llama3.2, qwen2.5:7b, hf.co/org/model:Q4_K_M',
              validateInput: (v) =>
                /^[\w.:/@-]+$/.test(v.trim()) ? undefined : vscode.l10n.t('A model name such as llama3.2 or qwen2.5:7b'),
            });
      if (!name) return;
      await pullModel(endpoints, endpoint, name.trim(), log);
      endpoints.invalidate();
      refreshView();
    }),
    vscode.commands.registerCommand('promptscope.models.delete', async (node?: ModelNode) => {
      if (!node || node.kind !== 'model') return;
      const admin = endpoints.models(node.endpoint);
      if (!admin) return;
      const confirm = vscode.l10n.t('Delete');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Delete {0} from {1}? It frees {2} and must be pulled again to be used.',
          node.model.name,
          node.endpoint.name,
          formatBytes(node.model.sizeBytes),
        ),
        { modal: true },
        confirm,
      );
      if (answer !== confirm) return;
      try {
        await admin.delete(node.model.name);
        log.info(`deleted ${node.endpoint.name}/${node.model.name}`);
      } catch (err) {
        log.error(`deleting ${node.model.name}`, err);
        await log.showError(errorMessage(err));
      }
      endpoints.invalidate();
      refreshView();
    }),
    vscode.commands.registerCommand('promptscope.models.copyReference', async (node?: ModelNode) => {
      if (!node || node.kind !== 'model') return;
      await vscode.env.clipboard.writeText(`${node.endpoint.name}/${node.model.name}`);
    }),
    vscode.commands.registerCommand('promptscope.setApiKey', async () => {
      const openai = endpoints.list.filter((e) => e.kind === 'openai');
      if (openai.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Add an OpenAI-compatible endpoint to promptscope.endpoints first.'));
        return;
      }
      const picked = await vscode.window.showQuickPick(
        openai.map((e) => ({ label: e.name, description: displayUrl(e.url) })),
        { placeHolder: vscode.l10n.t('API key for which endpoint?') },
      );
      if (!picked) return;
      const key = await vscode.window.showInputBox({
        prompt: vscode.l10n.t("API key for {0} (stored in VS Code's secret storage; leave empty to remove)", picked.label),
        password: true,
        ignoreFocusOut: true,
      });
      if (key === undefined) return;
      await endpoints.setApiKey(picked.label, key.trim() || undefined);
      catalog.refresh();
    }),
  ];
}

/** Pulls with a cancellable progress notification showing per-layer progress. */
export async function pullModel(endpoints: Endpoints, endpoint: EndpointConfig, name: string, log: Log): Promise<boolean> {
  const admin = endpoints.models(endpoint);
  if (!admin) return false;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Pulling {0}', name), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      try {
        await admin.pull(
          name,
          (p) => {
            const percent = p.totalBytes ? Math.floor(((p.completedBytes ?? 0) / p.totalBytes) * 100) : undefined;
            const layer = p.digest ? p.digest.replace(/^sha256:/, '').slice(0, 12) : '';
            const detail = p.totalBytes ? `${formatBytes(p.completedBytes ?? 0)} / ${formatBytes(p.totalBytes)}` : '';
            // Progress increments are relative; report the change in this layer's percentage.
            const increment = percent !== undefined ? Math.max(0, percent - reported) : undefined;
            if (percent !== undefined) reported = percent;
            if (p.digest === undefined) reported = 0;
            progress.report({
              message: [p.status.replace(layer ? (p.digest ?? '') : '', layer), detail].filter(Boolean).join(' — '),
              ...(increment !== undefined ? { increment } : {}),
            });
          },
          controller.signal,
        );
        log.info(`pulled ${endpoint.name}/${name}`);
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} is ready on {1}.', name, endpoint.name));
        return true;
      } catch (err) {
        if (err instanceof ModelAdminError && err.kind === 'aborted') {
          log.info(`pull of ${name} cancelled`);
          return false;
        }
        log.error(`pulling ${name}`, err);
        await log.showError(errorMessage(err));
        return false;
      } finally {
        cancel.dispose();
      }
    },
  );
}
