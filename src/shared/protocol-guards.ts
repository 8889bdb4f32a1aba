/**
 * The checks both panels' protocols are built from: one `isToken` with one strictness, and the
 * lists of allowed values, each tied to the core type it checks so the two cannot drift (a value
 * added to the type and not to its list, or the reverse, fails to compile).
 */
import type { AssertionKind, CellStatus } from '../core/compare/types';
import type { NoticeCode, RunErrorKind } from '../core/providers/events';
import type { TranscriptStatus, TranscriptToken } from '../core/transcript/transcript';

/**
 * `list` as given, when it names every member of the union `T` (and nothing else): a member left
 * out is a compile error naming it ("Expected 2 arguments…" with the missing one as the type).
 */
export function everyMember<T extends string>() {
  return <const L extends readonly T[]>(
    list: L,
    ..._complete: [Exclude<T, L[number]>] extends [never] ? [] : [missing: Exclude<T, L[number]>]
  ): readonly T[] => list;
}

export const TRANSCRIPT_STATUSES = everyMember<TranscriptStatus>()(['running', 'completed', 'stopped', 'error']);
export const RUN_ERROR_KINDS = everyMember<RunErrorKind>()([
  'connection-refused',
  'host-not-found',
  'network',
  'model-not-found',
  'bad-request',
  'unauthorized',
  'server-error',
  'stream-cut',
  'malformed-response',
  'timeout',
  'aborted',
]);
export const NOTICE_CODES = everyMember<NoticeCode>()(['logprobs-unsupported-version', 'thinking-unsupported', 'malformed-line']);
export const CELL_STATUSES = everyMember<CellStatus>()(['queued', 'running', 'completed', 'error', 'stopped', 'cancelled']);
export const ASSERTION_KINDS = everyMember<AssertionKind>()(['equals', 'contains', 'regex', 'schema', 'answer', 'run']);

/** Whether `v` is one of `list` (a type guard for the list's union). */
export function oneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (list as readonly string[]).includes(v);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A number that is a number (NaN is not; ±Infinity stands for a certain or impossible token). */
export const isNumber = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
export const optional = (v: unknown, check: (x: unknown) => boolean): boolean => v === undefined || check(v);
export const listOf = (v: unknown, check: (x: unknown) => boolean): v is unknown[] => Array.isArray(v) && v.every(check);

const isByte = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255;
const isBytes = (v: unknown): boolean => listOf(v, isByte);

function isAlternative(v: unknown): boolean {
  return isRecord(v) && isString(v['text']) && isNumber(v['logprob']) && optional(v['bytes'], isBytes);
}

/** A token with its alternatives, as both panels receive it. */
export function isToken(v: unknown): v is TranscriptToken {
  return (
    isRecord(v) &&
    isString(v['text']) &&
    (v['channel'] === 'content' || v['channel'] === 'thinking') &&
    isNumber(v['ms']) &&
    optional(v['logprob'], isNumber) &&
    optional(v['top'], (top) => listOf(top, isAlternative)) &&
    optional(v['bytes'], isBytes)
  );
}
