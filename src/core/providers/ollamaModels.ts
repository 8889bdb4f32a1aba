/**
 * Model management on an Ollama endpoint (for a Models view, a status bar item, completion of
 * model names): health and version, installed and loaded models, pull with progress, delete.
 * Failures are thrown as ModelAdminError with the same kinds and messages runs use.
 */
import { Ollama, type ModelResponse, type ProgressResponse } from 'ollama';
import type { RunErrorKind } from './events';
import { displayUrl } from './displayUrl';
import { ollamaFetch } from './httpGuard';
import { classifyOllamaError } from './ollamaErrors';

export class ModelAdminError extends Error {
  override name = 'ModelAdminError';
  constructor(
    readonly kind: RunErrorKind,
    message: string,
    readonly serverMessage?: string,
  ) {
    super(message);
  }
}

export interface InstalledModel {
  name: string;
  sizeBytes: number;
  family?: string;
  parameterSize?: string;
  quantization?: string;
  modifiedAt?: string;
}

export interface LoadedModel {
  name: string;
  sizeBytes: number;
  /** Bytes in GPU memory; `gpuShare` = sizeVramBytes / sizeBytes (0 = all CPU, 1 = all GPU). */
  sizeVramBytes: number;
  gpuShare: number;
  expiresAt?: string;
  contextLength?: number;
}

export interface PullProgress {
  /** Ollama's status text: "pulling manifest", "pulling 6a0746a1ec1a", "verifying sha256 digest", … */
  status: string;
  digest?: string;
  totalBytes?: number;
  completedBytes?: number;
}

export interface EndpointHealth {
  reachable: boolean;
  version?: string;
  /** Why it is unreachable, in the words runs use (names the URL, says how to start Ollama). */
  problem?: string;
}

export class OllamaModels {
  constructor(readonly url: string) {}

  /** For a status bar: never throws; a down server is a normal state. */
  async health(signal?: AbortSignal): Promise<EndpointHealth> {
    try {
      const { version } = await this.client(signal).version();
      return { reachable: true, version };
    } catch (error) {
      const failure = this.fail(error, '');
      if (failure.kind === 'bad-request' || failure.kind === 'model-not-found') return { reachable: true };
      return { reachable: false, problem: failure.message };
    }
  }

  async installed(signal?: AbortSignal): Promise<InstalledModel[]> {
    try {
      const { models } = await this.client(signal).list();
      return models.map(toInstalled);
    } catch (error) {
      throw this.fail(error, '');
    }
  }

  async loaded(signal?: AbortSignal): Promise<LoadedModel[]> {
    try {
      const { models } = await this.client(signal).ps();
      return models.map(toLoaded);
    } catch (error) {
      throw this.fail(error, '');
    }
  }

  async capabilities(model: string, signal?: AbortSignal): Promise<string[]> {
    try {
      const show = await this.client(signal).show({ model });
      return Array.isArray(show.capabilities) ? show.capabilities : [];
    } catch (error) {
      throw this.fail(error, model);
    }
  }

  /**
   * Pulls a model, reporting each progress line. Cancel with `signal` (the download stops and
   * Ollama keeps the finished layers for next time). Rejects with ModelAdminError.
   */
  async pull(model: string, onProgress: (progress: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    try {
      const stream = await this.client(signal).pull({ model, stream: true });
      for await (const part of stream) onProgress(toProgress(part));
    } catch (error) {
      if (signal?.aborted) throw new ModelAdminError('aborted', `Pulling ${model} was cancelled.`);
      const failure = this.fail(error, model);
      // The registry's "file does not exist" arrives as an error line after the stream started.
      if (failure.kind === 'server-error' && /manifest|does not exist|not found/i.test(failure.serverMessage ?? '')) {
        throw new ModelAdminError(
          'model-not-found',
          `"${model}" was not found in the Ollama library (check the name and tag).`,
          failure.serverMessage,
        );
      }
      throw failure;
    }
  }

  async delete(model: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.client(signal).delete({ model });
    } catch (error) {
      throw this.fail(error, model);
    }
  }

  private client(signal: AbortSignal | undefined): Ollama {
    return new Ollama({ host: this.url, fetch: ollamaFetch({ signal: signal ?? new AbortController().signal }) });
  }

  private fail(error: unknown, model: string): ModelAdminError {
    const details = classifyOllamaError(error, { url: displayUrl(this.url), model, streamStarted: false });
    return new ModelAdminError(details.kind, details.message, details.serverMessage);
  }
}

function toInstalled(model: ModelResponse): InstalledModel {
  const out: InstalledModel = { name: model.name, sizeBytes: model.size };
  const details = model.details as Partial<ModelResponse['details']> | undefined;
  if (details?.family) out.family = details.family;
  if (details?.parameter_size) out.parameterSize = details.parameter_size;
  if (details?.quantization_level) out.quantization = details.quantization_level;
  if (model.modified_at) out.modifiedAt = String(model.modified_at);
  return out;
}

function toLoaded(model: ModelResponse & { context_length?: number }): LoadedModel {
  const vram = typeof model.size_vram === 'number' ? model.size_vram : 0;
  const out: LoadedModel = {
    name: model.name,
    sizeBytes: model.size,
    sizeVramBytes: vram,
    gpuShare: model.size > 0 ? vram / model.size : 0,
  };
  if (model.expires_at) out.expiresAt = String(model.expires_at);
  if (typeof model.context_length === 'number') out.contextLength = model.context_length;
  return out;
}

function toProgress(part: ProgressResponse): PullProgress {
  const out: PullProgress = { status: part.status };
  if (part.digest) out.digest = part.digest;
  if (typeof part.total === 'number') out.totalBytes = part.total;
  if (typeof part.completed === 'number') out.completedBytes = part.completed;
  return out;
}
