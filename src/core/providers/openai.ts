/**
 * OpenAI-compatible provider (vLLM, llama.cpp server, LM Studio, SGLang, Ollama /v1):
 * `POST {base}/chat/completions` streamed over SSE, normalized into RunEvents.
 */
import { displayUrl } from './displayUrl';
import { describeSize, summariseBody } from './errorBody';
import type { RunEvent, RunRequest, RunStats, Provider } from './events';
import { MalformedStreamError, errorEvent, networkFailure, streamCut, errorText, type ErrorDetails } from './errors';
import { fetchWithinOrigin } from './httpGuard';
import { DEFAULT_MAX_LINE_BYTES } from './limits';
import { LogprobAligner } from './logprobAlign';
import { guardFailure } from './ollamaErrors';
import { readChoice, readUsage, ToolCallAssembler } from './openaiChunk';
import { envelopeOf, httpFailure, parseErrorEnvelope, streamFailure, type OpenAiErrorContext } from './openaiErrors';
import { buildChatCompletionBody } from './openaiRequest';
import { UnsupportedInputError } from './parts';
import { RunControl, stopFailure } from './runControl';
import { readSse } from './sse';

export interface OpenAiProviderOptions {
  /** Base URL up to and including /v1 (e.g. http://127.0.0.1:8000/v1). */
  baseUrl: string;
  /** Resolved by the caller (secret storage or the env var named in settings), never from a .prompt file. */
  apiKey?: string;
  /** Named in error messages so the user knows which variable to fix. */
  apiKeyEnv?: string;
}

class StreamError extends Error {
  override name = 'StreamError';
  constructor(readonly details: ErrorDetails) {
    super(details.message);
  }
}

export class OpenAiProvider implements Provider {
  /** May carry user:password@ (sent as Basic auth unless an API key is set). */
  readonly url: string;
  /** `url` without credentials: the only form that appears in messages. */
  readonly shownUrl: string;

  constructor(private readonly options: OpenAiProviderOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.shownUrl = displayUrl(this.url);
  }

  async *run(request: RunRequest, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    const control = new RunControl(signal, request.firstTokenTimeoutMs, request.idleTimeoutMs);
    const aligner = new LogprobAligner();
    const tools = new ToolCallAssembler();
    const context: OpenAiErrorContext = { url: this.shownUrl, model: request.model };
    if (this.options.apiKeyEnv !== undefined) context.apiKeyEnv = this.options.apiKeyEnv;
    let streamStarted = false;
    try {
      if (request.raw) {
        throw new UnsupportedInputError(
          'Raw completion needs an Ollama endpoint; OpenAI-compatible chat endpoints always apply the chat template.',
        );
      }
      const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
      if (this.options.apiKey) headers['Authorization'] = `Bearer ${this.options.apiKey}`;
      const response = await fetchWithinOrigin(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(buildChatCompletionBody(request)),
        signal: control.signal,
      });
      if (!response.ok) {
        throw new StreamError(httpFailure(response.status, envelopeOf(await summariseBody(response)), context));
      }
      if (response.body === null) throw new StreamError(streamCut(this.shownUrl, 'empty response body'));
      if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        throw new StreamError(await notStreamed(response, context));
      }
      streamStarted = true;

      let finishReason: string | undefined;
      let usage: Omit<RunStats, 'wallMs'> = {};
      let eventNumber = 0;
      const sseOptions = { maxLineBytes: request.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, onActivity: () => control.streamActivity() };
      for await (const item of readSse(response.body, sseOptions)) {
        if (item.type === 'error-field') {
          throw new StreamError(streamFailure(parseErrorEnvelope(safeJson(item.value)) ?? { message: item.value }, context));
        }
        eventNumber += 1;
        if (item.data === '[DONE]') {
          yield* this.finish(aligner, tools, control, { ...usage, ...(finishReason ? { doneReason: finishReason } : {}) });
          return;
        }
        const chunk = parseEventData(item.data, eventNumber);
        const envelope = item.event === 'error' || 'error' in chunk ? parseErrorEnvelope(chunk) : undefined;
        if (envelope !== undefined) throw new StreamError(streamFailure(envelope, context));

        control.chunkArrived();
        const choice = readChoice(chunk, request.topLogprobs);
        if (choice.segments.length > 0 || choice.entries.length > 0) {
          for (const token of aligner.push(choice.segments, choice.entries)) {
            token.msSinceStart = control.tokenArrived();
            yield token;
          }
        }
        tools.add(choice.toolCallDeltas);
        finishReason = choice.finishReason ?? finishReason;
        usage = { ...usage, ...readUsage(chunk) };
      }
      if (finishReason !== undefined) {
        // Finished but no [DONE]: some servers skip it; the model did complete.
        yield* this.finish(aligner, tools, control, { ...usage, doneReason: finishReason });
        return;
      }
      throw new StreamError(streamCut(this.shownUrl));
    } catch (error) {
      yield* this.flushTokens(aligner, control);
      yield errorEvent(this.describeFailure(error, control, context, streamStarted), control.clientStats());
    } finally {
      control.dispose();
    }
  }

  private *finish(
    aligner: LogprobAligner,
    tools: ToolCallAssembler,
    control: RunControl,
    stats: Omit<RunStats, 'wallMs'>,
  ): Generator<RunEvent> {
    yield* this.flushTokens(aligner, control);
    for (const call of tools.take()) {
      yield { type: 'tool-call', ...call, msSinceStart: control.elapsedMs() };
    }
    yield { type: 'done', stats: { ...control.clientStats(), ...stats } };
  }

  private *flushTokens(aligner: LogprobAligner, control: RunControl): Generator<RunEvent> {
    for (const token of aligner.flush()) {
      token.msSinceStart = control.tokenArrived();
      yield token;
    }
  }

  private describeFailure(error: unknown, control: RunControl, context: OpenAiErrorContext, streamStarted: boolean): ErrorDetails {
    const stopped = stopFailure(
      control,
      context.model,
      this.shownUrl,
      'The server may still be loading the model; raise the first-token timeout or check the server log.',
    );
    if (stopped) return stopped;
    if (error instanceof StreamError) return error.details;
    if (error instanceof UnsupportedInputError) return { kind: 'bad-request', message: error.message, url: this.shownUrl };
    const guarded = guardFailure(error, this.shownUrl, 'The server');
    if (guarded !== undefined) return guarded;
    const network = networkFailure(error, this.shownUrl, 'openai');
    if (network !== undefined) return streamStarted ? streamCut(this.shownUrl, network.serverMessage) : network;
    return {
      kind: 'server-error',
      message: `Running ${context.model} on ${this.shownUrl} failed unexpectedly: ${errorText(error)}`,
      serverMessage: errorText(error),
      url: this.shownUrl,
    };
  }
}

/**
 * A 200 answer that is not SSE: a JSON error envelope, a server that ignored `stream: true`, or
 * no OpenAI-compatible server at all (an HTML page, a plain-text banner).
 */
async function notStreamed(response: Response, context: OpenAiErrorContext): Promise<ErrorDetails> {
  const type = response.headers.get('content-type') ?? '';
  const body = await summariseBody(response);
  const envelope = body.complete ? parseErrorEnvelope(safeJson(body.raw)) : undefined;
  if (envelope !== undefined) return streamFailure(envelope, context);
  if (!/json/i.test(type)) {
    return {
      kind: 'malformed-response',
      message: `${context.url} is not an OpenAI-compatible server (got ${type || 'no content type'} from ${context.url}). Check the endpoint URL: it usually ends in /v1; an Ollama server needs kind "ollama".`,
      serverMessage: `${body.text} (${describeSize(body)})`,
      url: context.url,
    };
  }
  return {
    kind: 'bad-request',
    message: `The server at ${context.url} answered without streaming (${type}); Promptscope needs an OpenAI-compatible server that streams chat completions.`,
    serverMessage: body.text.slice(0, 200),
    url: context.url,
  };
}

/** One event's data as a JSON object, or a MalformedStreamError naming the event and the reason. */
function parseEventData(data: string, eventNumber: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    throw new MalformedStreamError(
      `not JSON (${excerpt(error instanceof Error ? error.message : String(error))})`,
      excerpt(data),
      `event ${eventNumber}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedStreamError('JSON but not an object', excerpt(data), `event ${eventNumber}`);
  }
  return value as Record<string, unknown>;
}

function excerpt(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed;
}

/** Parsed JSON, or undefined for text that is not JSON (callers report it as malformed). */
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
