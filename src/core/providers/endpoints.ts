/**
 * Named endpoints (`promptscope.endpoints`) and `model: <endpoint>/<model>` references.
 *
 * Security rule: a `.prompt` file can only *name* an endpoint the user configured; it can never
 * introduce a host, a URL or a key.
 */
import { resolveOllamaHost, type OllamaHostSources } from './ollamaHost';

export type EndpointKind = 'ollama' | 'openai';

export interface EndpointConfig {
  name: string;
  kind: EndpointKind;
  /** Ollama: server root (http://127.0.0.1:11434). OpenAI-compatible: base URL up to /v1. */
  url: string;
  /** Name of the environment variable holding the API key (OpenAI-compatible endpoints). */
  apiKeyEnv?: string;
}

export const DEFAULT_ENDPOINT_NAME = 'ollama';

export class EndpointConfigError extends Error {
  override name = 'EndpointConfigError';
}

export class ModelRefError extends Error {
  override name = 'ModelRefError';
}

export interface EndpointList {
  endpoints: EndpointConfig[];
  /** Problems with individual settings entries; the valid entries are still usable. */
  problems: string[];
}

/**
 * Validates the endpoints setting (untrusted JSON) and adds the default `ollama` endpoint unless
 * the user configured one with that name.
 */
export function resolveEndpoints(configured: unknown, ollamaHost: OllamaHostSources = {}): EndpointList {
  const endpoints: EndpointConfig[] = [];
  const problems: string[] = [];
  const entries = configured === undefined || configured === null ? [] : configured;
  if (!Array.isArray(entries)) {
    problems.push('promptscope.endpoints must be a list of {name, kind, url} objects');
  } else {
    entries.forEach((entry, index) => {
      try {
        const endpoint = validateEndpoint(entry, index);
        if (endpoints.some((e) => e.name === endpoint.name)) {
          throw new EndpointConfigError(`endpoint #${index + 1}: the name "${endpoint.name}" is used twice`);
        }
        endpoints.push(endpoint);
      } catch (error) {
        if (!(error instanceof EndpointConfigError)) throw error;
        problems.push(error.message);
      }
    });
  }
  if (!endpoints.some((e) => e.name === DEFAULT_ENDPOINT_NAME)) {
    endpoints.unshift({ name: DEFAULT_ENDPOINT_NAME, kind: 'ollama', url: resolveOllamaHost(ollamaHost) });
  }
  return { endpoints, problems };
}

function validateEndpoint(entry: unknown, index: number): EndpointConfig {
  const where = `endpoint #${index + 1}`;
  if (typeof entry !== 'object' || entry === null) throw new EndpointConfigError(`${where} is not an object`);
  const record = entry as Record<string, unknown>;
  const { name, kind, url, apiKeyEnv } = record;
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new EndpointConfigError(`${where}: "name" must be letters, digits, '.', '_' or '-' (no '/'), got ${JSON.stringify(name)}`);
  }
  if (kind !== 'ollama' && kind !== 'openai') {
    throw new EndpointConfigError(`endpoint "${name}": "kind" must be "ollama" or "openai", got ${JSON.stringify(kind)}`);
  }
  if (typeof url !== 'string' || !isHttpUrl(url)) {
    throw new EndpointConfigError(`endpoint "${name}": "url" must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (apiKeyEnv !== undefined && (typeof apiKeyEnv !== 'string' || apiKeyEnv.trim() === '')) {
    throw new EndpointConfigError(`endpoint "${name}": "apiKeyEnv" must be the name of an environment variable`);
  }
  const endpoint: EndpointConfig = { name, kind, url: url.trim().replace(/\/+$/, '') };
  if (apiKeyEnv !== undefined) endpoint.apiKeyEnv = apiKeyEnv.trim();
  return endpoint;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export interface ModelRef {
  endpoint: EndpointConfig;
  /** The model name as the server knows it. */
  model: string;
}

/** Genkit plugin prefixes people copy from other Dotprompt projects; never Ollama namespaces. */
const GENKIT_PROVIDERS = new Set(['googleai', 'vertexai', 'gemini', 'anthropic', 'openai', 'genkit', 'ollama']);

/**
 * `vllm/meta-llama/Llama-3.1-8B` → endpoint `vllm`, model `meta-llama/Llama-3.1-8B` when `vllm` is
 * configured. A first segment that names no endpoint is part of the model name on the default
 * endpoint (Ollama names such as `hf.co/org/model` contain slashes).
 */
export function parseModelRef(ref: string, endpoints: readonly EndpointConfig[], defaultName = DEFAULT_ENDPOINT_NAME): ModelRef {
  const text = ref.trim();
  const names = endpoints.map((e) => e.name).join(', ');
  if (text === '') throw new ModelRefError('No model given: set "model:" in the frontmatter (e.g. ollama/llama3.2) or pick one');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new ModelRefError(
      `"${text}" is a URL; a .prompt file can only name a configured endpoint (${names}). Add the server to promptscope.endpoints and write <endpoint>/<model>.`,
    );
  }
  const slash = text.indexOf('/');
  if (slash > 0) {
    const prefix = text.slice(0, slash);
    const endpoint = endpoints.find((e) => e.name === prefix);
    if (endpoint !== undefined) {
      const model = text.slice(slash + 1).trim();
      if (model === '') throw new ModelRefError(`"${text}" names endpoint "${prefix}" but no model after the "/"`);
      return { endpoint, model };
    }
    if (GENKIT_PROVIDERS.has(prefix.toLowerCase())) {
      throw new ModelRefError(
        `"${prefix}" in "${text}" is not a configured endpoint (configured: ${names}). Add it to promptscope.endpoints or use one of those names.`,
      );
    }
  }
  const fallback = endpoints.find((e) => e.name === defaultName);
  if (fallback === undefined) throw new ModelRefError(`The default endpoint "${defaultName}" is not configured (configured: ${names})`);
  return { endpoint: fallback, model: text };
}

/** The API key for an OpenAI-compatible endpoint from the environment variable it names. */
export function apiKeyFromEnv(endpoint: EndpointConfig, env: Record<string, string | undefined>): string | undefined {
  if (endpoint.apiKeyEnv === undefined) return undefined;
  const value = env[endpoint.apiKeyEnv]?.trim();
  return value ? value : undefined;
}
