/**
 * What the `ollama` client and our HTTP guard throw, turned into specific run errors
 * (Ollama answers `{"error": "…"}` with an HTTP status, or as the last line of a stream). `context.url` is always the display URL (no credentials).
 */
import { describeSize, type BodySummary } from './errorBody';
import { formatBytes } from './limits';
import {
  HttpStatusError,
  LineTooLongError,
  MalformedStreamError,
  ProtocolError,
  RedirectRefusedError,
  WrongContentTypeError,
  kindForStatus,
  networkFailure,
  streamCut,
  errorText,
  type ErrorDetails,
} from './errors';

/** Text the client uses when a stream ends without `done:true`. */
const NO_DONE_MESSAGE = 'Did not receive done or success response in stream.';

export interface OllamaErrorContext {
  url: string;
  model: string;
  /** Whether any chunk arrived before the failure (a network error then means a cut stream). */
  streamStarted: boolean;
}

export function classifyOllamaError(error: unknown, context: OllamaErrorContext): ErrorDetails {
  const { url, model } = context;
  const guarded = guardFailure(error, url, 'Ollama');
  if (guarded !== undefined) return guarded;
  if (error instanceof HttpStatusError) return httpFailure(error.status, ollamaErrorText(error.body), context);
  if (error instanceof WrongContentTypeError) {
    return {
      kind: 'malformed-response',
      message: `${url} is not an Ollama server (got ${error.contentType || 'no content type'} from ${error.url}). Check the endpoint URL and port; an OpenAI-compatible server needs kind "openai".`,
      serverMessage: `${error.body.text} (${describeSize(error.body)})`,
      url,
    };
  }
  if (error instanceof Error && error.message === NO_DONE_MESSAGE) return streamCut(url, error.message);

  const network = networkFailure(error, url, 'ollama');
  if (network !== undefined) {
    return context.streamStarted ? streamCut(url, network.serverMessage) : network;
  }
  if (error instanceof Error && error.constructor === Error) {
    // The client throws a plain Error for an {"error": ...} line inside a 200 stream.
    return {
      kind: 'server-error',
      message: `Ollama reported an error while running ${model}: ${error.message}`,
      serverMessage: error.message,
      url,
    };
  }
  return {
    kind: 'server-error',
    message: `Running ${model} on ${url} failed unexpectedly: ${errorText(error)}`,
    serverMessage: errorText(error),
    url,
  };
}

/**
 * Failures our own guards raise, in words shared by both providers (`server` names the kind of
 * server in messages). Undefined for anything else.
 */
export function guardFailure(error: unknown, url: string, server: string): ErrorDetails | undefined {
  if (error instanceof MalformedStreamError) {
    return {
      kind: 'malformed-response',
      message: `${server} at ${url} sent ${error.where} that is ${error.reason}, so the run stopped there; the output before it is kept. A proxy between you and the server may be altering the response.`,
      serverMessage: error.excerpt,
      url,
    };
  }
  if (error instanceof LineTooLongError) {
    return {
      kind: 'malformed-response',
      message: `${server} at ${url} sent ${error.where} longer than ${formatBytes(error.limitBytes)} (the limit set by promptscope.maxLineBytes), so the run stopped there; the output before it is kept. Raise the setting if the server really sends lines this long.`,
      url,
    };
  }
  if (error instanceof ProtocolError) {
    return {
      kind: 'malformed-response',
      message: `${server} at ${url} ${error.message}; the run stopped there and the output before it is kept.`,
      url,
    };
  }
  if (error instanceof RedirectRefusedError) {
    return {
      kind: 'bad-request',
      message: error.message,
      serverMessage: `HTTP ${error.status} redirect to ${error.to}`,
      status: error.status,
      url,
    };
  }
  return undefined;
}

/** Ollama's `{"error": "..."}` when the body is that, else the (summarised) body text. */
export function ollamaErrorText(body: BodySummary): string {
  if (body.complete) {
    try {
      const parsed = JSON.parse(body.raw) as unknown;
      if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { error?: unknown }).error === 'string') {
        return (parsed as { error: string }).error;
      }
    } catch {
      // Not JSON: the text itself is the server's message (proxies, plain-text 404s).
    }
  }
  if (body.text === '') return `empty body (${describeSize(body)})`;
  return body.complete && !/html/i.test(body.contentType) ? body.text : `${body.text} (${describeSize(body)})`;
}

/** A non-2xx answer; `serverMessage` is Ollama's `error` field or the body text. */
export function httpFailure(status: number, serverMessage: string, { url, model }: OllamaErrorContext): ErrorDetails {
  if (status === 404 && /not found/i.test(serverMessage) && /model|manifest|pull/i.test(serverMessage)) {
    return {
      kind: 'model-not-found',
      message: `Model "${model}" is not installed on Ollama at ${url}. Pull it (ollama pull ${model}) or choose another model.`,
      serverMessage,
      status,
      url,
      model,
    };
  }
  if (status === 404) {
    return {
      kind: 'bad-request',
      message: `${url} answered 404 Not Found: it does not look like an Ollama server (is the URL right?).`,
      serverMessage,
      status,
      url,
    };
  }
  const kind = kindForStatus(status);
  const what = kind === 'bad-request' ? 'rejected the request' : kind === 'unauthorized' ? 'refused access' : 'failed';
  return { kind, message: `Ollama at ${url} ${what} (HTTP ${status}): ${serverMessage}`, serverMessage, status, url };
}
