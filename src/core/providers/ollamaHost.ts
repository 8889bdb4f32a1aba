/**
 * Where the default `ollama` endpoint lives: the setting, else `OLLAMA_HOST`, else
 * http://127.0.0.1:11434.
 *
 * Normalization differs from the `ollama` npm client on purpose: the client
 * sends `http://gpu-box` to port 80, but people who type that mean Ollama's port, so a host
 * without a port gets 11434 (443 for https, which implies a TLS proxy). Port 80 must be written
 * out (`http://gpu-box:80`). Bind-all addresses people copy from their server's OLLAMA_HOST
 * (0.0.0.0, ::) are not connectable everywhere, so they become loopback.
 */

export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434';
const OLLAMA_PORT = '11434';

export class HostError extends Error {
  override name = 'HostError';
}

export interface OllamaHostSources {
  /** The user's setting; blank counts as unset. */
  setting?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}

export function resolveOllamaHost(sources: OllamaHostSources = {}): string {
  const setting = sources.setting?.trim();
  if (setting) return normalizeOllamaHost(setting);
  const fromEnv = sources.env?.['OLLAMA_HOST']?.trim();
  if (fromEnv) {
    try {
      return normalizeOllamaHost(fromEnv);
    } catch (error) {
      throw new HostError(`OLLAMA_HOST is set to "${fromEnv}", which is not usable: ${(error as Error).message}`);
    }
  }
  return DEFAULT_OLLAMA_URL;
}

/** Turns what a user may write (`localhost`, `:11500`, `0.0.0.0:11434`, `https://x/ollama/`) into a full URL. */
export function normalizeOllamaHost(input: string): string {
  let text = input.trim();
  if (text === '') return DEFAULT_OLLAMA_URL;
  if (text.startsWith(':')) text = `127.0.0.1${text}`;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new HostError(`"${input}" is not a host or URL (expected e.g. http://127.0.0.1:11434)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HostError(`"${input}" uses ${url.protocol.slice(0, -1)}; only http and https are supported`);
  }
  const authority = (text.split('://')[1] ?? '').split(/[/?#]/)[0] ?? '';
  const port = explicitPort(authority) ?? (url.protocol === 'https:' ? '443' : OLLAMA_PORT);
  let hostname = url.hostname;
  if (hostname === '0.0.0.0') hostname = '127.0.0.1';
  if (hostname === '[::]') hostname = '[::1]';
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${auth}${hostname}:${port}${path}`;
}

/** The port written in an authority (`user@host:port`, `[::1]:port`), if any. */
function explicitPort(authority: string): string | undefined {
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const match = /:(\d+)$/.exec(hostPort);
  if (match === null) return undefined;
  // "[::1]" has colons but no port; a port follows "]" for IPv6.
  if (hostPort.startsWith('[') && !hostPort.includes(']:')) return undefined;
  return match[1];
}
