import * as vscode from 'vscode';
import {
  apiKeyFromEnv,
  createProvider,
  OllamaModels,
  resolveEndpoints,
  type EndpointConfig,
  type EndpointProvider,
} from '../../core/providers';
import type { Log } from '../log';
import { endpointSettings, SETTINGS_SECTION } from '../settings';

const SECRET_PREFIX = 'promptscope.apiKey.';

/**
 * The configured endpoints, one provider per endpoint (providers cache version checks), and
 * API keys from SecretStorage or the environment variable an endpoint names — never from a
 * `.prompt` file.
 */
export class Endpoints implements vscode.Disposable {
  private providers = new Map<string, EndpointProvider>();
  private current: EndpointConfig[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private reportedProblems = '';

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
  ) {
    this.reload();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('promptscope.endpoints') || e.affectsConfiguration('promptscope.ollama.host')) {
        this.reload();
        this.changed.fire();
      }
    });
  }

  get list(): readonly EndpointConfig[] {
    return this.current;
  }

  private reload(): void {
    const settings = endpointSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION));
    const { endpoints, problems } = resolveEndpoints(settings.endpoints, { setting: settings.ollamaHost, env: process.env });
    this.current = endpoints;
    this.providers = new Map();
    const text = problems.join('; ');
    if (text && text !== this.reportedProblems) {
      this.log.warn(`promptscope.endpoints: ${text}`);
      void vscode.window
        .showWarningMessage(vscode.l10n.t('Some Promptscope endpoints are invalid: {0}', text), vscode.l10n.t('Open Settings'))
        .then((pick) => {
          if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'promptscope.endpoints');
        });
    }
    this.reportedProblems = text;
  }

  async provider(endpoint: EndpointConfig): Promise<EndpointProvider> {
    const cached = this.providers.get(endpoint.name);
    if (cached) return cached;
    const apiKey = endpoint.kind === 'openai' ? await this.apiKey(endpoint) : undefined;
    const provider = createProvider(endpoint, apiKey ? { apiKey } : {});
    this.providers.set(endpoint.name, provider);
    return provider;
  }

  models(endpoint: EndpointConfig): OllamaModels | undefined {
    return endpoint.kind === 'ollama' ? new OllamaModels(endpoint.url) : undefined;
  }

  /** SecretStorage first; the provider itself falls back to the endpoint's `apiKeyEnv`. */
  private async apiKey(endpoint: EndpointConfig): Promise<string | undefined> {
    return (await this.secrets.get(SECRET_PREFIX + endpoint.name)) ?? undefined;
  }

  /** The key to send: SecretStorage, else the environment variable the endpoint names. */
  async apiKeyFor(endpoint: EndpointConfig): Promise<string | undefined> {
    return (await this.apiKey(endpoint)) ?? apiKeyFromEnv(endpoint, process.env);
  }

  async setApiKey(endpointName: string, key: string | undefined): Promise<void> {
    if (key) await this.secrets.store(SECRET_PREFIX + endpointName, key);
    else await this.secrets.delete(SECRET_PREFIX + endpointName);
    this.providers.delete(endpointName);
  }

  /** After a pull, delete or upgrade, forget cached capabilities and versions. */
  invalidate(): void {
    this.providers = new Map();
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
