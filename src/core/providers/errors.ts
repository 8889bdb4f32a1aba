/**
 * Turning what fetch, the `ollama` client and servers throw into specific `error` events.
 * Shared by both providers; server-specific envelopes live with each provider.
 */
import type { ErrorEvent, RunErrorKind, RunStats } from './events';
import { scrubCredentials } from './displayUrl';
import type { BodySummary } from './errorBody';
import { formatBytes } from './limits';

export type ServerFlavor = 'ollama' | 'openai';

/** What a failure says, before it becomes an `error` event with the run's stats. */
export type ErrorDetails = Omit<ErrorEvent, 'type' | 'stats'>;

export function errorEvent(details: ErrorDetails, stats: RunStats): ErrorEvent {
  // The last line of defence for credentials in endpoint URLs: whatever built the message, no
  // `user:pass@` leaves the provider.
  const event: ErrorEvent = { type: 'error', kind: details.kind, message: scrubCredentials(details.message), stats };
  if (details.serverMessage !== undefined) event.serverMessage = scrubCredentials(details.serverMessage);
  if (details.status !== undefined) event.status = details.status;
  if (details.url !== undefined) event.url = scrubCredentials(details.url);
  if (details.model !== undefined) event.model = details.model;
  return event;
}

/**
 * Raised by our own stream guards so they can be told apart from the server's errors: a line (or
 * SSE event) that is not what the protocol promises. `where` is "line 3" or "event 3".
 */
export class MalformedStreamError extends Error {
  override name = 'MalformedStreamError';
  constructor(
    /** Why it is malformed ("not JSON: Unexpected token 'N'…", "a JSON array, not an object"). */
    readonly reason: string,
    /** The server's words: the start of the offending line. */
    readonly excerpt: string,
    readonly where: string,
  ) {
    super(`${where} of the response is ${reason}: ${JSON.stringify(excerpt)}`);
  }
}

/** A line longer than the configured cap (`promptscope.maxLineBytes`); reading stops there. */
export class LineTooLongError extends Error {
  override name = 'LineTooLongError';
  constructor(
    readonly where: string,
    readonly limitBytes: number,
  ) {
    super(`${where} of the response is longer than ${formatBytes(limitBytes)}`);
  }
}

/** A chunk that parsed as JSON but has a field of the wrong type (`content` as an object, …). */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** A non-2xx answer, with its body read under a bound (see errorBody.ts). */
export class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly url: string,
    readonly body: BodySummary,
  ) {
    super(`HTTP ${status} from ${url}`);
  }
}

/** A redirect to another origin (or an endless chain): the prompt is never sent there. */
export class RedirectRefusedError extends Error {
  override name = 'RedirectRefusedError';
  constructor(
    readonly from: string,
    readonly to: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A 2xx answer in a content type the protocol never uses (an HTML page, plain text, …). */
export class WrongContentTypeError extends Error {
  override name = 'WrongContentTypeError';
  constructor(
    readonly contentType: string,
    readonly url: string,
    readonly body: BodySummary,
  ) {
    super(`${url} answered with ${contentType || 'no content type'}`);
  }
}

/** Socket-level error codes anywhere in an error's cause chain (undici nests them). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    const record = value as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string') codes.push(record.code);
    visit(record.cause);
    if (Array.isArray(record.errors)) record.errors.forEach(visit);
  };
  visit(error);
  return codes;
}

/** The most specific text of an error and its causes, for `serverMessage`. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message && cause.message !== error.message) {
    return `${error.message}: ${errorText(cause)}`;
  }
  return error.message;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

const SERVE_HINT: Record<ServerFlavor, string> = {
  ollama:
    'Start Ollama with "ollama serve" (or open the Ollama app). "localhost" may resolve to ::1 (IPv6) while Ollama listens on 127.0.0.1 only; use http://127.0.0.1:11434, or set OLLAMA_HOST for the server and the same address in promptscope settings.',
  openai:
    'Check that the server is running and the endpoint URL (usually ending in /v1) is right. "localhost" may resolve to ::1 (IPv6) while the server listens on 127.0.0.1 only.',
};

/**
 * A failure before any response: connection refused, unknown host, reset. Returns undefined when
 * the error is not network-level.
 */
export function networkFailure(error: unknown, url: string, flavor: ServerFlavor): ErrorDetails | undefined {
  const codes = errorCodes(error);
  const serverMessage = errorText(error);
  const base = flavor === 'ollama' ? 'Ollama' : 'the server';
  if (codes.includes('ECONNREFUSED')) {
    return {
      kind: 'connection-refused',
      message: `Could not connect to ${base} at ${url} (connection refused). ${SERVE_HINT[flavor]}`,
      serverMessage,
      url,
    };
  }
  if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN')) {
    return {
      kind: 'host-not-found',
      message: `The host in ${url} could not be resolved (DNS). Check the endpoint URL.`,
      serverMessage,
      url,
    };
  }
  const networkCodes = ['ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'];
  if (codes.some((code) => networkCodes.includes(code)) || (error instanceof TypeError && /fetch failed/i.test(error.message))) {
    return { kind: 'network', message: `The connection to ${base} at ${url} failed (${codes[0] ?? 'network error'}).`, serverMessage, url };
  }
  return undefined;
}

/**
 * The response body stopped without the stream's end marker: the server crashed, was killed, or
 * a proxy cut the connection. What arrived is kept by the caller.
 */
export function streamCut(url: string, serverMessage?: string): ErrorDetails {
  const details: ErrorDetails = {
    kind: 'stream-cut',
    message: `The stream from ${url} ended before the model finished (no final message). The server may have crashed or been restarted; the output so far is kept.`,
    url,
  };
  if (serverMessage !== undefined) details.serverMessage = serverMessage;
  return details;
}

/** Kind for an HTTP error status that was not recognized more specifically. */
export function kindForStatus(status: number): RunErrorKind {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status >= 400 && status < 500) return 'bad-request';
  return 'server-error';
}
