/**
 * The JSON the CLI prints. One convention for every command: camelCase keys, absent values as
 * null, numbers as numbers. Each output has a JSON Schema in docs/cli/schemas/, and the tests
 * check real output against it.
 */
import type { RunErrorKind, RunEvent, RunStats } from '../core/providers/events';
import { redactUrlCredentials } from '../core/text/redact';
import { asDisplayText, terminalSafe } from '../core/text/terminal';

/** A number, or null: a server may send a logprob as a string ("-0.5") or not at all. */
export function numberOrNull(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

/** Text fields: a string as it is; anything else (an object where text belonged) as the JSON that arrived. */
export function textOf(value: unknown): string {
  return asDisplayText(value);
}

/** One value on one terminal line: a file name, a model name, a case id, a table cell. */
export function field(value: unknown): string {
  return terminalSafe(asDisplayText(value), { mode: 'line' });
}

/** A message from a server or the network stack: without URL credentials. */
export function message(value: unknown): string {
  return redactUrlCredentials(asDisplayText(value));
}

export interface StatsJson {
  ttftMs: number | null;
  promptTokens: number | null;
  outputTokens: number | null;
  tokensPerSecond: number | null;
  doneReason: string | null;
  loadMs: number | null;
  totalMs: number | null;
  wallMs: number | null;
}

/** Run statistics, the same object in `run --json` and `compare --json`. */
export function statsJson(stats: RunStats | undefined): StatsJson | null {
  if (stats === undefined) return null;
  return {
    ttftMs: numberOrNull(stats.ttftMs),
    promptTokens: numberOrNull(stats.promptTokens),
    outputTokens: numberOrNull(stats.outputTokens),
    tokensPerSecond: numberOrNull(stats.evalRate),
    doneReason: stats.doneReason === undefined ? null : textOf(stats.doneReason),
    loadMs: numberOrNull(stats.loadMs),
    totalMs: numberOrNull(stats.totalMs),
    wallMs: numberOrNull(stats.wallMs),
  };
}

/** Run errors, plus `prompt` (does not render), and compare's `prepare`, `skipped`, `internal`. */
type ErrorKind = RunErrorKind | 'prompt' | 'prepare' | 'skipped' | 'internal';

export interface ErrorJson {
  kind: ErrorKind;
  message: string;
  serverMessage: string | null;
  status: number | null;
}

export function errorJson(error: { kind: ErrorKind; message: string; serverMessage?: string; status?: number }): ErrorJson {
  return {
    kind: error.kind,
    message: message(error.message),
    serverMessage: error.serverMessage === undefined ? null : message(error.serverMessage),
    status: numberOrNull(error.status),
  };
}

/** The NDJSON event lines of `promptscope run --json` (docs/cli/schemas/run-event.schema.json). */
export function runEventJson(event: RunEvent, model: string): Record<string, unknown> {
  switch (event.type) {
    case 'token':
      return {
        type: 'token',
        model,
        text: textOf(event.text),
        logprob: numberOrNull(event.logprob),
        topLogprobs: (Array.isArray(event.topLogprobs) ? event.topLogprobs : [])
          .filter((a) => a !== null && typeof a === 'object')
          .map((a) => ({ text: textOf(a.text), logprob: numberOrNull(a.logprob) })),
        channel: event.channel,
        msSinceStart: numberOrNull(event.msSinceStart),
      };
    case 'done':
      return { type: 'done', model, stats: statsJson(event.stats) };
    case 'error':
      return { type: 'error', model, ...errorJson(event) };
    case 'notice':
      return { type: 'notice', model, code: event.code, message: message(event.message) };
    case 'tool-call':
      return {
        type: 'toolCall',
        model,
        name: textOf(event.name),
        arguments: event.arguments ?? null,
        msSinceStart: numberOrNull(event.msSinceStart),
      };
  }
}
