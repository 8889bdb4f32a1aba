/**
 * Entry point for hosts (VS Code, CLI): one provider per configured endpoint.
 */
import type { EndpointConfig } from './endpoints';
import type { Provider } from './events';
import { OllamaProvider } from './ollama';
import { OpenAiProvider } from './openai';

export interface ProviderSecrets {
  /** API key for an OpenAI-compatible endpoint (SecretStorage or the env var the endpoint names). */
  apiKey?: string;
}

export type EndpointProvider = (OllamaProvider | OpenAiProvider) & Provider;

/**
 * Create once per endpoint and reuse: the Ollama provider caches its version check and model
 * capabilities (call `invalidateCache()` after pulls, deletes or upgrades).
 */
export function createProvider(endpoint: EndpointConfig, secrets: ProviderSecrets = {}): EndpointProvider {
  if (endpoint.kind === 'ollama') return new OllamaProvider({ url: endpoint.url });
  const options: ConstructorParameters<typeof OpenAiProvider>[0] = { baseUrl: endpoint.url };
  if (secrets.apiKey !== undefined) options.apiKey = secrets.apiKey;
  if (endpoint.apiKeyEnv !== undefined) options.apiKeyEnv = endpoint.apiKeyEnv;
  return new OpenAiProvider(options);
}

export { OllamaProvider } from './ollama';
export { OpenAiProvider } from './openai';
export { OllamaModels, ModelAdminError } from './ollamaModels';
export type { EndpointHealth, InstalledModel, LoadedModel, PullProgress } from './ollamaModels';
export { apiKeyFromEnv, parseModelRef, resolveEndpoints, DEFAULT_ENDPOINT_NAME, EndpointConfigError, ModelRefError } from './endpoints';
export type { EndpointConfig, EndpointKind, EndpointList, ModelRef } from './endpoints';
export { resolveOllamaHost, normalizeOllamaHost, DEFAULT_OLLAMA_URL, HostError } from './ollamaHost';
export { buildRunRequest, PromptOptionsError } from './request';
export type { RenderedForRun, RunDefaults } from './request';
export { isTerminal } from './events';
export { displayUrl, scrubCredentials } from './displayUrl';
export { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_LINE_BYTES } from './limits';
export type * from './events';
