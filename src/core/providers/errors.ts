/**
 * Turning what fetch, the `ollama` client and servers throw into specific `error` events.
 * Shared by both providers; server-specific envelopes live with each provider.
 */
import type { ErrorEvent, RunErrorKind, RunStats } from './events';

export type ServerFlavor = 'ollama' | 'openai';

export interface ErrorDetails {
  kind: RunErrorKind;
  message: string;
  serverMessage?: string;
  status?: number;
  url?: string;
  model?: string;
}

export function errorEvent(details: ErrorDetails, stats: RunStats): ErrorEvent {
  const event: ErrorEvent = { type: 'error', kind: details.kind, message: details.message, stats };
  if (details.serverMessage !== undefined) event.serverMessage = details.serverMessage;
  if (details.status !== undefined) event.status = details.status;
  if (details.url !== undefined) event.url = details.url;
  if (details.model !== undefined) event.model = details.model;
  return event;
}

/** Raised by our own stream guards so they can be told apart from the server's errors. */
export class MalformedStreamError extends Error {
  override name = 'MalformedStreamError';
  constructor(
    message: string,
    readonly excerpt: string,
  ) {
    super(message);
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
    return { kind: 'connection-refused', message: `Could not connect to ${base} at ${url} (connection refused). ${SERVE_HINT[flavor]}`, serverMessage, url };
  }
  if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN')) {
    return { kind: 'host-not-found', message: `The host in ${url} could not be resolved (DNS). Check the endpoint URL.`, serverMessage, url };
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
