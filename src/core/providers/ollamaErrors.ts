/**
 * What the `ollama` client throws, turned into specific run errors (protocols.md §1.9, §2).
 */
import { MalformedStreamError, kindForStatus, networkFailure, streamCut, errorText, type ErrorDetails } from './errors';

/** The client's `ResponseError` (not a runtime export, so recognized by shape). */
interface ClientResponseError extends Error {
  error: string;
  status_code: number;
}

function isResponseError(error: unknown): error is ClientResponseError {
  return error instanceof Error && error.name === 'ResponseError' && typeof (error as Partial<ClientResponseError>).status_code === 'number';
}

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
  if (error instanceof MalformedStreamError) {
    return {
      kind: 'malformed-response',
      message: `Ollama at ${url} sent a line that is not JSON, so the stream was stopped there; the output before it is kept. A proxy between you and Ollama may be altering the response.`,
      serverMessage: error.excerpt,
      url,
    };
  }
  if (isResponseError(error)) return httpFailure(error.status_code, error.error, context);
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
  return { kind: 'server-error', message: `Running ${model} on ${url} failed unexpectedly: ${errorText(error)}`, serverMessage: errorText(error), url };
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
