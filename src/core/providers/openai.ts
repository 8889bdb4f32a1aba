/**
 * OpenAI-compatible provider (vLLM, llama.cpp server, LM Studio, SGLang, Ollama /v1):
 * `POST {base}/chat/completions` streamed over SSE, normalized into RunEvents.
 */
import type { RunEvent, RunRequest, RunStats, Provider } from './events';
import { errorEvent, networkFailure, streamCut, errorText, type ErrorDetails } from './errors';
import { LogprobAligner } from './logprobAlign';
import { readChoice, readUsage, ToolCallAssembler } from './openaiChunk';
import { httpFailure, parseErrorEnvelope, readErrorBody, streamFailure, type OpenAiErrorContext } from './openaiErrors';
import { buildChatCompletionBody } from './openaiRequest';
import { UnsupportedInputError } from './parts';
import { RunControl } from './runControl';
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
  readonly url: string;

  constructor(private readonly options: OpenAiProviderOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  async *run(request: RunRequest, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    const control = new RunControl(signal, request.firstTokenTimeoutMs);
    const aligner = new LogprobAligner();
    const tools = new ToolCallAssembler();
    const context: OpenAiErrorContext = { url: this.url, model: request.model };
    if (this.options.apiKeyEnv !== undefined) context.apiKeyEnv = this.options.apiKeyEnv;
    let streamStarted = false;
    try {
      if (request.raw) {
        throw new UnsupportedInputError('Raw completion needs an Ollama endpoint; OpenAI-compatible chat endpoints always apply the chat template.');
      }
      const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
      if (this.options.apiKey) headers['Authorization'] = `Bearer ${this.options.apiKey}`;
      const response = await fetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(buildChatCompletionBody(request)),
        signal: control.signal,
      });
      if (!response.ok) {
        throw new StreamError(httpFailure(response.status, await readErrorBody(response), context));
      }
      if (response.body === null) throw new StreamError(streamCut(this.url, 'empty response body'));
      if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        throw new StreamError(await notStreamed(response, context));
      }
      streamStarted = true;

      let finishReason: string | undefined;
      let usage: Omit<RunStats, 'wallMs'> = {};
      for await (const item of readSse(response.body)) {
        if (item.type === 'error-field') {
          throw new StreamError(streamFailure(parseErrorEnvelope(safeJson(item.value)) ?? { message: item.value }, context));
        }
        if (item.data === '[DONE]') {
          yield* this.finish(aligner, tools, control, { ...usage, ...(finishReason ? { doneReason: finishReason } : {}) });
          return;
        }
        const chunk = safeJson(item.data);
        if (typeof chunk !== 'object' || chunk === null) {
          throw new StreamError({ kind: 'malformed-response', message: `The server at ${this.url} sent an event that is not JSON; the output before it is kept.`, serverMessage: item.data.slice(0, 200), url: this.url });
        }
        const envelope = item.event === 'error' || 'error' in chunk ? parseErrorEnvelope(chunk) : undefined;
        if (envelope !== undefined) throw new StreamError(streamFailure(envelope, context));

        control.chunkArrived();
        const choice = readChoice(chunk as Record<string, unknown>);
        if (choice.segments.length > 0 || choice.entries.length > 0) {
          for (const token of aligner.push(choice.segments, choice.entries)) {
            token.msSinceStart = control.tokenArrived();
            yield token;
          }
        }
        tools.add(choice.toolCallDeltas);
        finishReason = choice.finishReason ?? finishReason;
        usage = { ...usage, ...readUsage(chunk as Record<string, unknown>) };
      }
      if (finishReason !== undefined) {
        // Finished but no [DONE]: some servers skip it; the model did complete.
        yield* this.finish(aligner, tools, control, { ...usage, doneReason: finishReason });
        return;
      }
      throw new StreamError(streamCut(this.url));
    } catch (error) {
      yield* this.flushTokens(aligner, control);
      yield errorEvent(this.describeFailure(error, control, context, streamStarted), control.clientStats());
    } finally {
      control.dispose();
    }
  }

  private *finish(aligner: LogprobAligner, tools: ToolCallAssembler, control: RunControl, stats: Omit<RunStats, 'wallMs'>): Generator<RunEvent> {
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
    if (control.stopReason === 'aborted') return { kind: 'aborted', message: 'Run stopped; the output so far is kept.', url: this.url };
    if (control.stopReason === 'timeout') {
      const seconds = Math.round((control.firstTokenTimeoutMs ?? 0) / 1000);
      return {
        kind: 'timeout',
        message: `No token from ${context.model} within ${seconds} s. The server may still be loading the model; raise the first-token timeout or check the server log.`,
        url: this.url,
        model: context.model,
      };
    }
    if (error instanceof StreamError) return error.details;
    if (error instanceof UnsupportedInputError) return { kind: 'bad-request', message: error.message, url: this.url };
    const network = networkFailure(error, this.url, 'openai');
    if (network !== undefined) return streamStarted ? streamCut(this.url, network.serverMessage) : network;
    return { kind: 'server-error', message: `Running ${context.model} on ${this.url} failed unexpectedly: ${errorText(error)}`, serverMessage: errorText(error), url: this.url };
  }
}

/** A 200 answer that is not SSE: an error envelope, or a server that ignored `stream: true`. */
async function notStreamed(response: Response, context: OpenAiErrorContext): Promise<ErrorDetails> {
  const text = await response.text();
  const envelope = parseErrorEnvelope(safeJson(text));
  if (envelope !== undefined) return streamFailure(envelope, context);
  return {
    kind: 'bad-request',
    message: `The server at ${context.url} answered without streaming (${response.headers.get('content-type') ?? 'no content type'}); Promptscope needs an OpenAI-compatible server that streams chat completions.`,
    serverMessage: text.slice(0, 200),
    url: context.url,
  };
}

/** Parsed JSON, or undefined for text that is not JSON (callers report it as malformed). */
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
