/**
 * Bounds that keep a misbehaving server from hanging a run or filling memory. Hosts override the
 * first two from settings (`promptscope.maxLineBytes`, `promptscope.idleTimeoutSeconds`).
 */

/** Longest NDJSON line or SSE line we buffer; a real token line is a few hundred bytes. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Longest silence between two chunks once a stream has started (the first-token timeout covers the wait before). */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** How much of an error body is kept for messages and history. */
export const ERROR_BODY_KEEP_BYTES = 4 * 1024;

/** How far an error body is read to tell its size when the server did not say it. */
export const ERROR_BODY_MEASURE_BYTES = 1024 * 1024;

/** "16 MiB", "4 KiB", "812 bytes": sizes in messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

function trim(value: number): string {
  const fixed = value.toFixed(1);
  return fixed.endsWith('.0') ? fixed.slice(0, -2) : fixed;
}
