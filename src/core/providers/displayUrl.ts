/**
 * Endpoint URLs may carry `user:password@` (a reverse proxy with Basic auth in front of Ollama).
 * Those credentials are used for the request and never shown: every message, log line and
 * history record names the endpoint through `displayUrl`, and text that may quote a URL (a
 * server's or the network stack's words) goes through `scrubCredentials`.
 */

const HIDDEN = '***';

/** The URL as people may see it: the user-info part replaced by `***@`. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    // Rebuilt from the input rather than `parsed.href` so the rest reads exactly as configured.
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, `$1${HIDDEN}@`);
  } catch {
    return scrubCredentials(url);
  }
}

/** Replaces the user-info of every `scheme://user:pass@host` found in free text. */
export function scrubCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, `$1${HIDDEN}@`);
}

export interface RequestTarget {
  /** The URL without user-info (fetch refuses URLs that carry credentials). */
  url: string;
  /** `Basic …` when the URL carried credentials. */
  authorization?: string;
}

/** Moves `user:pass@` out of a URL into an Authorization header value. */
export function withoutCredentials(url: string): RequestTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url };
  }
  if (parsed.username === '' && parsed.password === '') return { url };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.href, authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` };
}
