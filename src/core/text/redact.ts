/**
 * Credentials must not be echoed: an endpoint URL may carry `user:password@`, and error messages
 * from the HTTP stack repeat the URL they contacted.
 */

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
export const REDACTED = '***';

/** `http://user:pass@host/x` → `http://***@host/x`, wherever a URL with credentials appears in text. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, `$1${REDACTED}@`);
}

/**
 * The secret strings in an endpoint URL, as written and as decoded (a message may show either):
 * the password, or the user name when there is no password (`https://TOKEN@host`). Empty for a
 * URL without credentials or one that does not parse.
 */
export function urlSecrets(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL: it carries no userinfo to hide; the caller reports the bad URL itself.
    return [];
  }
  const secrets = new Set<string>();
  const part = parsed.password !== '' ? parsed.password : parsed.username;
  if (part !== '') {
    secrets.add(part);
    try {
      secrets.add(decodeURIComponent(part));
    } catch {
      // A stray % is kept as written; the raw form above is already hidden.
    }
  }
  return [...secrets];
}

/**
 * Replaces every occurrence of the given secrets with ***. Very short values (under 4
 * characters) are skipped: hiding every "a" in a model's answer would hide nothing of worth.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < 4 || !result.includes(secret)) continue;
    result = result.split(secret).join(REDACTED);
  }
  return result;
}
