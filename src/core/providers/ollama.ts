/**
 * Ollama provider: native `/api/chat` (or raw `/api/generate`) through the official `ollama`
 * client, normalized into RunEvents. The client gets our `fetch` (httpGuard.ts), which vets every
 * response and line before the client sees it.
 */
import { Ollama } from 'ollama';
import { displayUrl } from './displayUrl';
import type { RunEvent, RunRequest, Provider, ThinkSetting } from './events';
import { errorEvent, type ErrorDetails } from './errors';
import { ollamaFetch } from './httpGuard';
import { DEFAULT_MAX_LINE_BYTES } from './limits';
import { LogprobAligner } from './logprobAlign';
import { readOllamaChunk, serverStats } from './ollamaChunk';
import { classifyOllamaError, type OllamaErrorContext } from './ollamaErrors';
import { buildChatRequest, buildGenerateRequest, type OllamaCallPlan } from './ollamaRequest';
import { LOGPROBS_MIN_VERSION, OllamaServerCache } from './ollamaServer';
import { UnsupportedInputError } from './parts';
import { RunControl, raceAbort, stopFailure } from './runControl';

export interface OllamaProviderOptions {
  /** Server root, already normalized (see resolveOllamaHost); may carry user:password@. */
  url: string;
}

/** One instance per endpoint: it caches the version check and model capabilities. */
export class OllamaProvider implements Provider {
  readonly url: string;
  /** `url` without credentials: the only form that appears in messages. */
  readonly shownUrl: string;
  private readonly server: OllamaServerCache;

  constructor(options: OllamaProviderOptions) {
    this.url = options.url;
    this.shownUrl = displayUrl(options.url);
    this.server = new OllamaServerCache(options.url);
  }

  /** Call after upgrading Ollama or pulling/deleting models. */
  invalidateCache(): void {
    this.server.invalidate();
  }

  async *run(request: RunRequest, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    const control = new RunControl(signal, request.firstTokenTimeoutMs, request.idleTimeoutMs);
    const aligner = new LogprobAligner();
    const context: OllamaErrorContext = { url: this.shownUrl, model: request.model, streamStarted: false };
    try {
      const plan: OllamaCallPlan = { logprobs: false, think: undefined };
      const info = await raceAbort(this.server.serverInfo(), control.signal);
      if (request.topLogprobs !== undefined) {
        plan.logprobs = info.logprobs;
        if (!info.logprobs && this.server.takeVersionNotice()) {
          yield {
            type: 'notice',
            code: 'logprobs-unsupported-version',
            message: `Ollama at ${this.shownUrl} is ${info.version === undefined ? 'an old version' : `version ${info.version}`}; token probabilities need ${LOGPROBS_MIN_VERSION} or newer, so runs show text without probabilities. Upgrade Ollama (https://ollama.com/download) to see them.`,
          };
        }
      }
      if (request.think !== undefined) {
        const capabilities = await raceAbort(this.server.modelCapabilities(request.model), control.signal);
        plan.think = this.thinkFor(request.think, capabilities);
        if (plan.think === undefined && request.think !== false) {
          yield {
            type: 'notice',
            code: 'thinking-unsupported',
            message: `${request.model} does not support thinking (its capabilities: ${capabilities.join(', ') || 'none listed'}); running without it.`,
          };
        }
      }

      const client = new Ollama({
        host: this.url,
        fetch: ollamaFetch({
          signal: control.signal,
          maxLineBytes: request.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
          onActivity: () => control.streamActivity(),
        }),
      });
      const stream = request.raw
        ? await client.generate(buildGenerateRequest(request, plan))
        : await client.chat(buildChatRequest(request, plan));
      const topK = plan.logprobs ? request.topLogprobs : undefined;

      for await (const chunk of stream as AsyncIterable<unknown>) {
        context.streamStarted = true;
        control.chunkArrived();
        const content = readOllamaChunk(chunk as Record<string, unknown>, topK);
        if (content.segments.length > 0 || content.entries.length > 0) {
          // Inlined rather than `yield*` of a helper generator: this loop runs once per token.
          for (const token of aligner.push(content.segments, content.entries)) {
            token.msSinceStart = control.tokenArrived();
            yield token;
          }
        }
        for (const call of content.toolCalls) {
          yield { type: 'tool-call', name: call.name, arguments: call.arguments, msSinceStart: control.elapsedMs() };
        }
        if (content.done) {
          yield* this.flushTokens(aligner, control);
          yield { type: 'done', stats: { ...control.clientStats(), ...serverStats(chunk as Record<string, unknown>) } };
          return;
        }
      }
      // The client throws when the body ends without `done`; this is a safety net.
      yield* this.flushTokens(aligner, control);
      yield errorEvent(
        classifyOllamaError(new Error('Did not receive done or success response in stream.'), context),
        control.clientStats(),
      );
    } catch (error) {
      yield* this.flushTokens(aligner, control);
      yield errorEvent(this.describeFailure(error, control, context), control.clientStats());
    } finally {
      control.dispose();
    }
  }

  private thinkFor(think: ThinkSetting, capabilities: string[]): ThinkSetting | undefined {
    return capabilities.includes('thinking') ? think : undefined;
  }

  private *flushTokens(aligner: LogprobAligner, control: RunControl): Generator<RunEvent> {
    for (const token of aligner.flush()) {
      token.msSinceStart = control.tokenArrived();
      yield token;
    }
  }

  private describeFailure(error: unknown, control: RunControl, context: OllamaErrorContext): ErrorDetails {
    const stopped = stopFailure(
      control,
      context.model,
      this.shownUrl,
      'A large model can take long to load the first time; raise the first-token timeout or check the Ollama log.',
    );
    if (stopped) return stopped;
    if (error instanceof UnsupportedInputError) return { kind: 'bad-request', message: error.message, url: this.shownUrl };
    if (error instanceof Error && error.name === 'TimeoutError') {
      return {
        kind: 'timeout',
        message: `Ollama at ${this.shownUrl} did not answer a status check in time.`,
        serverMessage: error.message,
        url: this.shownUrl,
      };
    }
    return classifyOllamaError(error, context);
  }
}
