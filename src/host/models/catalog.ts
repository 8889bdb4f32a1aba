import type { EndpointConfig, InstalledModel, LoadedModel } from '../../core/providers';
import { listOpenAiModels } from '../../core/models/openai-models';
import type { Endpoints } from './endpoints';
import { errorMessage } from '../../core/errors';

export interface EndpointModels {
  endpoint: EndpointConfig;
  installed: InstalledModel[];
  loaded: LoadedModel[];
  /** Why the list could not be read (server down, …). */
  problem?: string;
}

const TTL_MS = 60_000;

/**
 * Model lists per endpoint, cached for a minute and refreshed on demand. OpenAI-compatible
 * servers list their models at `/models`; Ollama gives sizes, families and what is loaded.
 */
export class ModelCatalog {
  private cache: { at: number; value: Promise<EndpointModels[]> } | undefined;

  constructor(private readonly endpoints: Endpoints) {
    endpoints.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.cache = undefined;
  }

  all(): Promise<EndpointModels[]> {
    if (!this.cache || Date.now() - this.cache.at > TTL_MS) this.cache = { at: Date.now(), value: this.load() };
    return this.cache.value;
  }

  /** `endpoint/model` references for completion and pickers. */
  async references(): Promise<string[]> {
    const lists = await this.all();
    // `llama3.2:latest` is written `llama3.2` by everyone; Ollama resolves it the same way.
    return lists.flatMap((l) => l.installed.map((m) => `${l.endpoint.name}/${m.name.replace(/:latest$/, '')}`));
  }

  private async load(): Promise<EndpointModels[]> {
    return Promise.all(this.endpoints.list.map((endpoint) => this.loadOne(endpoint)));
  }

  private async loadOne(endpoint: EndpointConfig): Promise<EndpointModels> {
    const signal = AbortSignal.timeout(5_000);
    try {
      const admin = this.endpoints.models(endpoint);
      if (admin) {
        const [installed, loaded] = await Promise.all([admin.installed(signal), admin.loaded(signal)]);
        return { endpoint, installed, loaded };
      }
      return { endpoint, installed: await listOpenAiModels(endpoint, await this.endpoints.apiKeyFor(endpoint), signal), loaded: [] };
    } catch (err) {
      return { endpoint, installed: [], loaded: [], problem: errorMessage(err) };
    }
  }
}
