/**
 * Ollama provider: native `/api/chat` (or raw `/api/generate`) through the official `ollama`
 * client, normalized into RunEvents.
 */
import { Ollama, type ChatResponse, type GenerateResponse, type Logprob } from 'ollama';
import type { RunEvent, RunRequest, RunStats, Provider, ThinkSetting, TopLogprob } from './events';
import { errorEvent, type ErrorDetails } from './errors';
import { LogprobAligner, type AlignedToken, type LogprobEntry } from './logprobAlign';
import { guardedFetch } from './ndjsonGuard';
import { classifyOllamaError, type OllamaErrorContext } from './ollamaErrors';
import { buildChatRequest, buildGenerateRequest, type OllamaCallPlan } from './ollamaRequest';
import { LOGPROBS_MIN_VERSION, OllamaServerCache } from './ollamaServer';
import { UnsupportedInputError } from './parts';
import { bytesBeyondText } from './tokenBytes';
import { RunControl, raceAbort } from './runControl';
import type { TextPiece } from './textQueue';

export interface OllamaProviderOptions {
  /** Server root, already normalized (see resolveOllamaHost). */
  url: string;
}

/** A chunk from either route; logprobs entries carry `bytes` at runtime though the type omits it. */
type OllamaChunk = (ChatResponse | GenerateResponse) & { logprobs?: (Logprob & { bytes?: number[] })[] };

/** One instance per endpoint: it caches the version check and model capabilities. */
export class OllamaProvider implements Provider {
  readonly url: string;
  private readonly server: OllamaServerCache;

  constructor(options: OllamaProviderOptions) {
    this.url = options.url;
    this.server = new OllamaServerCache(options.url);
  }

  /** Call after upgrading Ollama or pulling/deleting models. */
  invalidateCache(): void {
    this.server.invalidate();
  }

  async *run(request: RunRequest, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    const control = new RunControl(signal, request.firstTokenTimeoutMs);
    const aligner = new LogprobAligner();
    const context: OllamaErrorContext = { url: this.url, model: request.model, streamStarted: false };
    try {
      const plan: OllamaCallPlan = { logprobs: false, think: undefined };
      const info = await raceAbort(this.server.serverInfo(), control.signal);
      if (request.topLogprobs !== undefined) {
        plan.logprobs = info.logprobs;
        if (!info.logprobs && this.server.takeVersionNotice()) {
          yield {
            type: 'notice',
            code: 'logprobs-unsupported-version',
            message: `Ollama at ${this.url} is ${info.version === undefined ? 'an old version' : `version ${info.version}`}; token probabilities need ${LOGPROBS_MIN_VERSION} or newer, so runs show text without probabilities. Upgrade Ollama (https://ollama.com/download) to see them.`,
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

      const client = new Ollama({ host: this.url, fetch: guardedFetch(control.signal) });
      const stream = request.raw
        ? await client.generate(buildGenerateRequest(request, plan))
        : await client.chat(buildChatRequest(request, plan));

      for await (const chunk of stream as AsyncIterable<OllamaChunk>) {
        context.streamStarted = true;
        control.chunkArrived();
        // Inlined rather than `yield*` of a helper generator: this loop runs once per token.
        for (const token of this.alignChunk(chunk, aligner)) {
          token.msSinceStart = control.tokenArrived();
          yield token;
        }
        for (const call of (chunk as ChatResponse).message?.tool_calls ?? []) {
          yield { type: 'tool-call', name: call.function.name, arguments: call.function.arguments, msSinceStart: control.elapsedMs() };
        }
        if (chunk.done) {
          yield* this.flushTokens(aligner, control);
          yield { type: 'done', stats: { ...control.clientStats(), ...serverStats(chunk) } };
          return;
        }
      }
      // The client throws when the body ends without `done`; this is a safety net.
      yield* this.flushTokens(aligner, control);
      yield errorEvent(classifyOllamaError(new Error('Did not receive done or success response in stream.'), context), control.clientStats());
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

  private alignChunk(chunk: OllamaChunk, aligner: LogprobAligner): AlignedToken[] {
    const message = 'message' in chunk ? chunk.message : undefined;
    const thinking = message !== undefined ? message.thinking : (chunk as GenerateResponse).thinking;
    const content = message !== undefined ? message.content : (chunk as GenerateResponse).response;
    const segments: TextPiece[] = [];
    if (thinking) segments.push({ channel: 'thinking', text: thinking });
    if (content) segments.push({ channel: 'content', text: content });
    const entries = chunk.logprobs === undefined ? [] : chunk.logprobs.map(toEntry);
    return segments.length > 0 || entries.length > 0 ? aligner.push(segments, entries) : [];
  }

  private *flushTokens(aligner: LogprobAligner, control: RunControl): Generator<RunEvent> {
    for (const token of aligner.flush()) {
      token.msSinceStart = control.tokenArrived();
      yield token;
    }
  }

  private describeFailure(error: unknown, control: RunControl, context: OllamaErrorContext): ErrorDetails {
    if (control.stopReason === 'aborted') {
      return { kind: 'aborted', message: 'Run stopped; the output so far is kept.', url: this.url };
    }
    if (control.stopReason === 'timeout') {
      const seconds = Math.round((control.firstTokenTimeoutMs ?? 0) / 1000);
      return {
        kind: 'timeout',
        message: `No token from ${context.model} within ${seconds} s. A large model can take long to load the first time; raise the first-token timeout or check the Ollama log.`,
        url: this.url,
        model: context.model,
      };
    }
    if (error instanceof UnsupportedInputError) return { kind: 'bad-request', message: error.message, url: this.url };
    if (error instanceof Error && error.name === 'TimeoutError') {
      return { kind: 'timeout', message: `Ollama at ${this.url} did not answer a status check in time.`, serverMessage: error.message, url: this.url };
    }
    return classifyOllamaError(error, context);
  }
}

function toEntry(logprob: Logprob & { bytes?: number[] }): LogprobEntry {
  const entry: LogprobEntry = { token: logprob.token, logprob: logprob.logprob };
  if (logprob.bytes !== undefined) entry.bytes = logprob.bytes;
  if (logprob.top_logprobs !== undefined) {
    entry.topLogprobs = logprob.top_logprobs.map((top) => {
      const alternative: TopLogprob = { text: top.token, logprob: top.logprob };
      const bytes = bytesBeyondText(top.token, (top as { bytes?: number[] }).bytes);
      if (bytes !== undefined) alternative.bytes = bytes;
      return alternative;
    });
  }
  return entry;
}

const NS_PER_MS = 1e6;

/** Final-chunk metrics: integers in nanoseconds, each omitted when zero (protocols.md §1.5). */
function serverStats(chunk: OllamaChunk): Omit<RunStats, 'wallMs'> {
  const stats: Omit<RunStats, 'wallMs'> = {};
  const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  if (chunk.done_reason) stats.doneReason = chunk.done_reason;
  const promptCount = number(chunk.prompt_eval_count);
  const promptDuration = number(chunk.prompt_eval_duration);
  const evalCount = number(chunk.eval_count);
  const evalDuration = number(chunk.eval_duration);
  const load = number(chunk.load_duration);
  const total = number(chunk.total_duration);
  if (promptCount !== undefined) stats.promptTokens = promptCount;
  if (promptCount !== undefined && promptDuration) stats.promptEvalRate = (promptCount / promptDuration) * 1e9;
  if (evalCount !== undefined) stats.outputTokens = evalCount;
  if (evalCount !== undefined && evalDuration) stats.evalRate = (evalCount / evalDuration) * 1e9;
  if (load !== undefined) stats.loadMs = load / NS_PER_MS;
  if (total !== undefined) stats.totalMs = total / NS_PER_MS;
  return stats;
}
