/**
 * Facts about one Ollama server that are checked once and cached: its version (does it return
 * logprobs?) and each model's capabilities (does it think?).
 */
import { Ollama } from 'ollama';
import { HttpStatusError } from './errors';
import { ollamaFetch } from './httpGuard';

/** First Ollama release whose /api/chat and /api/generate accept `logprobs`/`top_logprobs`. */
export const LOGPROBS_MIN_VERSION = '0.12.11';

export interface ServerInfo {
  /** As reported by /api/version; undefined when the server predates that route. */
  version: string | undefined;
  logprobs: boolean;
}

/**
 * Compares dotted versions numerically ("0.12.11" > "0.12.9"); pre-release suffixes are ignored.
 * Returns a negative number, zero or a positive number like a sort comparator.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): number[] =>
    v
      .replace(/^v/, '')
      .split(/[-+]/)[0]!
      .split('.')
      .map((n) => Number.parseInt(n, 10) || 0);
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Builds from source report "0.0.0"; they are newer than any release we care about. */
export function supportsLogprobs(version: string | undefined): boolean {
  if (version === undefined) return false;
  if (compareVersions(version, '0.0.0') === 0) return true;
  return compareVersions(version, LOGPROBS_MIN_VERSION) >= 0;
}

/** Shared checks must not hang a run forever; each request gets this long. */
const CHECK_TIMEOUT_MS = 15_000;

/**
 * Checks run on the cache's own client, not a run's: a shared answer must not fail because the
 * run that happened to ask first was cancelled. Runs race the answer against their own signal.
 */
export class OllamaServerCache {
  private readonly client: Ollama;
  private info: Promise<ServerInfo> | undefined;
  private readonly capabilities = new Map<string, Promise<string[]>>();
  private versionNoticeShown = false;

  constructor(url: string) {
    this.client = new Ollama({
      host: url,
      fetch: (input, init) => ollamaFetch({ signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) })(input, init),
    });
  }

  /** Version check, once per endpoint; a failed check is not cached so the next run retries. */
  serverInfo(): Promise<ServerInfo> {
    if (this.info === undefined) {
      const pending = fetchServerInfo(this.client);
      this.info = pending;
      pending.catch(() => {
        // The run that triggered the check reports the failure; forget it so the next run retries.
        if (this.info === pending) this.info = undefined;
      });
    }
    return this.info;
  }

  /** `/api/show` capabilities, once per model; failures are not cached. */
  modelCapabilities(model: string): Promise<string[]> {
    let pending = this.capabilities.get(model);
    if (pending === undefined) {
      pending = this.client.show({ model }).then((show) => (Array.isArray(show.capabilities) ? show.capabilities : []));
      this.capabilities.set(model, pending);
      const stored = pending;
      stored.catch(() => {
        // Reported by the run that asked; forget it so a pulled model is seen next time.
        if (this.capabilities.get(model) === stored) this.capabilities.delete(model);
      });
    }
    return pending;
  }

  /** True the first time only: the "too old for probabilities" notice is shown once per endpoint. */
  takeVersionNotice(): boolean {
    if (this.versionNoticeShown) return false;
    this.versionNoticeShown = true;
    return true;
  }

  /** Forget everything (after the user upgrades Ollama or pulls/deletes models). */
  invalidate(): void {
    this.info = undefined;
    this.capabilities.clear();
    this.versionNoticeShown = false;
  }
}

async function fetchServerInfo(client: Ollama): Promise<ServerInfo> {
  try {
    const { version } = await client.version();
    return { version, logprobs: supportsLogprobs(version) };
  } catch (error) {
    // Servers older than /api/version answer 404: old, but runs still work.
    if (error instanceof HttpStatusError && error.status === 404) {
      return { version: undefined, logprobs: false };
    }
    throw error;
  }
}
