/**
 * The HTTP layer under both providers: credentials from the URL sent as Basic auth, redirects
 * followed only inside the endpoint's origin, and — for the `ollama` client — a `fetch` that
 * answers every bad response itself (bounded error bodies, wrong content types, vetted NDJSON) so
 * the client never reaches its own error paths, which print to the console.
 */
import { displayUrl, withoutCredentials } from './displayUrl';
import { summariseBody } from './errorBody';
import { HttpStatusError, RedirectRefusedError, WrongContentTypeError } from './errors';
import { DEFAULT_MAX_LINE_BYTES } from './limits';
import { guardNdjson } from './ndjsonGuard';

type FetchInput = Parameters<typeof fetch>[0];
type FetchInit = NonNullable<Parameters<typeof fetch>[1]>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

function urlOf(input: FetchInput): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

/**
 * `fetch` that never leaves the origin of `input`: a redirect elsewhere is refused with both URLs
 * named (the prompt must not be re-sent to a host nobody configured); same-origin redirects are
 * followed as fetch would (307/308 keep the method and body, 303 and a redirected POST become GET).
 */
export async function fetchWithinOrigin(input: FetchInput, init: FetchInit = {}): Promise<Response> {
  const target = withoutCredentials(urlOf(input));
  const headers = new Headers(init.headers);
  if (target.authorization !== undefined && !headers.has('authorization')) headers.set('authorization', target.authorization);
  const origin = new URL(target.url).origin;
  const shownStart = displayUrl(urlOf(input));
  let current = target.url;
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body;
  for (let hop = 0; ; hop += 1) {
    const response = await fetch(current, { ...init, method, body: body ?? null, headers, redirect: 'manual' });
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null) return response;
    // Only the status and Location matter; a failing cancel means the body is already gone.
    await response.body?.cancel().catch(() => undefined);
    const next = new URL(location, current);
    next.username = '';
    next.password = '';
    if (next.origin !== origin) {
      throw new RedirectRefusedError(
        shownStart,
        displayUrl(next.href),
        response.status,
        `${displayUrl(current)} redirected (HTTP ${response.status}) to ${displayUrl(next.href)}, another server. Promptscope does not follow redirects away from the configured endpoint, so the prompt was not sent there; if that is where the server lives now, put that URL in the settings.`,
      );
    }
    if (hop >= MAX_REDIRECTS) {
      throw new RedirectRefusedError(
        shownStart,
        displayUrl(next.href),
        response.status,
        `${shownStart} redirected more than ${MAX_REDIRECTS} times (last to ${displayUrl(next.href)}); check the endpoint URL and any proxy in front of the server.`,
      );
    }
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers.delete('content-type');
    }
    current = next.href;
  }
}

export interface OllamaFetchOptions {
  /** The run's signal (or a management call's); merged with the client's own. */
  signal: AbortSignal;
  maxLineBytes?: number;
  /** Called for every network read of a streamed body (idle timeout). */
  onActivity?: () => void;
}

/** Routes our code calls with `stream: true`; they answer NDJSON. */
const STREAM_ROUTES = /\/api\/(chat|generate|pull)$/;

/**
 * The `fetch` handed to the `ollama` client. It resolves only with a 2xx JSON/NDJSON response
 * (NDJSON vetted line by line); everything else is thrown as our own error with a bounded body,
 * so the client's `checkOk` (which prints "Getting text from response") and its line parser's
 * warnings are never reached.
 */
export function ollamaFetch(options: OllamaFetchOptions): typeof fetch {
  return async (input: FetchInput, init?: FetchInit) => {
    const signal = init?.signal ? AbortSignal.any([init.signal, options.signal]) : options.signal;
    const response = await fetchWithinOrigin(input, { ...init, signal });
    const shown = displayUrl(urlOf(input));
    if (!response.ok) throw new HttpStatusError(response.status, shown, await summariseBody(response));
    const type = response.headers.get('content-type') ?? '';
    const streamed = STREAM_ROUTES.test(new URL(urlOf(input)).pathname);
    // Ollama answers a successful delete or copy with an empty body and no content type; a
    // content type that is there must be JSON, and streams always say NDJSON.
    if ((type !== '' || streamed) && !/json/i.test(type)) throw new WrongContentTypeError(type, shown, await summariseBody(response));
    if (response.body === null || !streamed) return response;
    const guardOptions = {
      maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      ...(options.onActivity ? { onActivity: options.onActivity } : {}),
    };
    return new Response(guardNdjson(response.body, guardOptions), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
