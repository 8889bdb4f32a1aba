/**
 * Messages between the extension host and the run panel webview. Plain data only: no `vscode`,
 * no DOM. Every message is checked on receipt with the guards below; requests carry an id and
 * are always settled by a `reply` (or by the webview's timeout).
 */
import type { RunTranscript, TranscriptStatus, TranscriptToken } from '../core/transcript/transcript';
import { errorMessage } from '../core/errors';
import { RUN_KINDS } from '../core/runs/kind';
import {
  everyMember,
  isIndex,
  isNumber,
  isRecord,
  isString,
  isToken,
  NOTICE_CODES,
  oneOf,
  optional,
  RUN_ERROR_KINDS,
  TRANSCRIPT_STATUSES,
} from './protocol-guards';

export type { RunTranscript, TranscriptToken, TranscriptStatus };

/** A JSON value, as prompt inputs cross the channel. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

/** One input of the variables form, derived by the host from the prompt's input schema. */
export interface InputField {
  name: string;
  kind: FieldKind;
  /** The type as the schema gives it (`string`, `integer[]`, `"a" | "b"`), for the label. */
  type: string;
  required: boolean;
  description?: string;
  /** `enum`: the allowed values. */
  options?: JsonValue[];
  /** `json`: what the value must be. */
  shape?: 'array' | 'object' | 'any';
  /** `json` arrays: the type every item must have, when the schema names a simple one. */
  items?: 'string' | 'number' | 'integer' | 'boolean';
  /** From the frontmatter's `input.default`. */
  default?: JsonValue;
}

export interface PromptForm {
  /** The prompt file (URI string); form requests name it, so a stale form cannot run another file. */
  file: string;
  /** The file as the user knows it (workspace-relative path). */
  label: string;
  /** Where the fields come from: the input schema, or the template's variables when there is none. */
  source: 'schema' | 'template';
  fields: InputField[];
  /** The input schema could not be read (the fields are then guessed from the template). */
  schemaError?: string;
}

export type PreviewPart =
  | { kind: 'text'; text: string }
  | { kind: 'media'; url: string; contentType?: string }
  | { kind: 'section'; name: string }
  | { kind: 'data'; json: string };

export interface PreviewTurn {
  role: string;
  /** `history` for earlier turns, or another purpose the library set. */
  purpose?: string;
  parts: PreviewPart[];
}

/** What a run would send, rendered by the host with the library; no model is called. */
export interface PromptPreview {
  /** False when the prompt does not render; `error` says why. */
  ok: boolean;
  error?: string;
  turns: PreviewTurn[];
  /** The resolved model: the reference, and the endpoint it names (or why it names none). */
  model?: { ref: string; endpoint?: string; kind?: string; url?: string; name?: string; error?: string };
  /** The model config (`config:`) and the run options a run would use. */
  config?: Record<string, JsonValue>;
  options?: Record<string, JsonValue>;
  notes: string[];
}

/** The prompt a panel is bound to: its form, the values to start from, the latest preview. */
export interface PromptState {
  form: PromptForm;
  /** Remembered values for this file (defaults are in the fields). */
  values: Record<string, JsonValue>;
  preview?: PromptPreview;
  /** Increases with every preview; the webview ignores older ones. */
  seq: number;
}

/** host → webview: the whole state of the panel, sent after `ready` and whenever runs are added. */
export interface SnapshotMessage {
  type: 'snapshot';
  runs: RunTranscript[];
  activeRunId: string;
  /** Absent for panels that only show saved runs (History). */
  prompt?: PromptState;
}

/** host → webview: the prompt's fields changed (its file was edited); values being typed stay. */
export interface FormMessage {
  type: 'form';
  form: PromptForm;
}

/** host → webview: a fresh preview, after an edit of the file or a change in the form. */
export interface PreviewMessage {
  type: 'preview';
  file: string;
  seq: number;
  preview: PromptPreview;
}

/** host → webview: bring the form forward (a run needs inputs); `field` is the first to fill. */
export interface FocusMessage {
  type: 'focus';
  field?: string;
}

/** host → webview: tokens that arrived since the last increment (batched). */
export interface AppendMessage {
  type: 'append';
  runId: string;
  /** Index in the run's `tokens` of the first token here; lets the webview detect gaps. */
  from: number;
  tokens: TranscriptToken[];
}

/** host → webview: a run's status changed (finished, stopped, failed) or a notice arrived. */
export interface StatusMessage {
  type: 'status';
  runId: string;
  status: TranscriptStatus;
  stats?: RunTranscript['stats'];
  error?: RunTranscript['error'];
  notices: RunTranscript['notices'];
}

/** host → webview: the answer to a request. */
export interface ReplyMessage {
  type: 'reply';
  requestId: number;
  ok: boolean;
  error?: string;
}

export type HostMessage = SnapshotMessage | AppendMessage | StatusMessage | ReplyMessage | FormMessage | PreviewMessage | FocusMessage;

/** webview → host: the webview has loaded and wants a snapshot. */
export interface ReadyMessage {
  type: 'ready';
}

export type RunAction =
  | { action: 'stop'; runId: string }
  | { action: 'retry'; runId: string }
  | { action: 'branch'; runId: string; tokenIndex: number; alternative: string }
  | { action: 'pullModel'; runId: string }
  | { action: 'showLogs' }
  | { action: 'select'; runId: string }
  /** The form changed: render a preview with these values (and remember them for the file). */
  | { action: 'preview'; file: string; values: Record<string, JsonValue> }
  /** Start a run of the file with these values (checked again by the host). */
  | { action: 'run'; file: string; values: Record<string, JsonValue> };

/** webview → host: something the user asked for; answered with a `reply` of the same id. */
export type RequestMessage = { type: 'request'; requestId: number } & RunAction;

export type WebviewMessage = ReadyMessage | RequestMessage;

/** How long the webview waits for a reply before it gives up on a request. */
export const REQUEST_TIMEOUT_MS = 15_000;

const STAT_NUMBERS = ['ttftMs', 'promptTokens', 'promptEvalRate', 'outputTokens', 'evalRate', 'loadMs', 'totalMs'] as const;

function isStats(v: unknown): v is NonNullable<RunTranscript['stats']> {
  return (
    isRecord(v) &&
    isNumber(v['wallMs']) &&
    (v['doneReason'] === undefined || typeof v['doneReason'] === 'string') &&
    STAT_NUMBERS.every((k) => v[k] === undefined || isNumber(v[k]))
  );
}

function isRunError(v: unknown): v is NonNullable<RunTranscript['error']> {
  return (
    isRecord(v) &&
    oneOf(RUN_ERROR_KINDS, v['kind']) &&
    typeof v['message'] === 'string' &&
    (v['serverMessage'] === undefined || typeof v['serverMessage'] === 'string') &&
    (v['model'] === undefined || typeof v['model'] === 'string')
  );
}

function isNotices(v: unknown): v is RunTranscript['notices'] {
  return Array.isArray(v) && v.every((n) => isRecord(n) && oneOf(NOTICE_CODES, n['code']) && typeof n['message'] === 'string');
}

function isMeta(v: unknown): boolean {
  if (!isRecord(v)) return false;
  const origin = v['origin'];
  return (
    ['id', 'title', 'endpoint', 'model', 'startedAt'].every((k) => typeof v[k] === 'string') &&
    typeof v['wantedLogprobs'] === 'boolean' &&
    optional(v['kind'], (k) => oneOf(RUN_KINDS, k)) &&
    (origin === undefined ||
      (isRecord(origin) &&
        typeof origin['parentId'] === 'string' &&
        isIndex(origin['tokenIndex']) &&
        typeof origin['alternative'] === 'string'))
  );
}

function isTranscript(v: unknown): v is RunTranscript {
  return (
    isRecord(v) &&
    isMeta(v['meta']) &&
    Array.isArray(v['tokens']) &&
    v['tokens'].every(isToken) &&
    Array.isArray(v['prefix']) &&
    v['prefix'].every(isToken) &&
    oneOf(TRANSCRIPT_STATUSES, v['status']) &&
    (v['stats'] === undefined || isStats(v['stats'])) &&
    (v['error'] === undefined || isRunError(v['error'])) &&
    isNotices(v['notices'])
  );
}

function isStringRecord(v: unknown, check: (x: unknown) => boolean): boolean {
  return isRecord(v) && Object.values(v).every(check);
}

/** JSON data only: finite numbers, plain objects and arrays, at most 64 levels deep. */
export function isJsonValue(v: unknown, depth = 0): v is JsonValue {
  if (depth > 64) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJsonValue(x, depth + 1));
  return isRecord(v) && Object.values(v).every((x) => isJsonValue(x, depth + 1));
}

const FIELD_KINDS = everyMember<FieldKind>()(['string', 'number', 'integer', 'boolean', 'enum', 'json']);

function isField(v: unknown): v is InputField {
  return (
    isRecord(v) &&
    isString(v['name']) &&
    oneOf(FIELD_KINDS, v['kind']) &&
    isString(v['type']) &&
    typeof v['required'] === 'boolean' &&
    optional(v['description'], isString) &&
    optional(v['options'], (o) => Array.isArray(o) && o.every((x) => isJsonValue(x))) &&
    optional(v['shape'], (x) => x === 'array' || x === 'object' || x === 'any') &&
    optional(v['items'], (x) => x === 'string' || x === 'number' || x === 'integer' || x === 'boolean') &&
    optional(v['default'], (x) => isJsonValue(x))
  );
}

function isForm(v: unknown): v is PromptForm {
  return (
    isRecord(v) &&
    isString(v['file']) &&
    isString(v['label']) &&
    (v['source'] === 'schema' || v['source'] === 'template') &&
    Array.isArray(v['fields']) &&
    v['fields'].every(isField) &&
    optional(v['schemaError'], isString)
  );
}

function isPart(v: unknown): v is PreviewPart {
  if (!isRecord(v)) return false;
  switch (v['kind']) {
    case 'text':
      return isString(v['text']);
    case 'media':
      return isString(v['url']) && optional(v['contentType'], isString);
    case 'section':
      return isString(v['name']);
    case 'data':
      return isString(v['json']);
    default:
      return false;
  }
}

function isPreview(v: unknown): v is PromptPreview {
  return (
    isRecord(v) &&
    typeof v['ok'] === 'boolean' &&
    optional(v['error'], isString) &&
    Array.isArray(v['turns']) &&
    v['turns'].every(
      (t) =>
        isRecord(t) && isString(t['role']) && optional(t['purpose'], isString) && Array.isArray(t['parts']) && t['parts'].every(isPart),
    ) &&
    optional(v['model'], (m) => isStringRecord(m, isString) && isString((m as Record<string, unknown>)['ref'])) &&
    optional(v['config'], (c) => isStringRecord(c, (x) => isJsonValue(x))) &&
    optional(v['options'], (c) => isStringRecord(c, (x) => isJsonValue(x))) &&
    Array.isArray(v['notes']) &&
    v['notes'].every(isString)
  );
}

function isPromptState(v: unknown): v is PromptState {
  return (
    isRecord(v) &&
    isForm(v['form']) &&
    isStringRecord(v['values'], (x) => isJsonValue(x)) &&
    optional(v['preview'], isPreview) &&
    typeof v['seq'] === 'number'
  );
}

/** Checks a message the webview received. */
export function isHostMessage(v: unknown): v is HostMessage {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'snapshot':
      return (
        Array.isArray(v['runs']) &&
        v['runs'].every(isTranscript) &&
        typeof v['activeRunId'] === 'string' &&
        optional(v['prompt'], isPromptState)
      );
    case 'append':
      return typeof v['runId'] === 'string' && isIndex(v['from']) && Array.isArray(v['tokens']) && v['tokens'].every(isToken);
    case 'status':
      return (
        typeof v['runId'] === 'string' &&
        oneOf(TRANSCRIPT_STATUSES, v['status']) &&
        isNotices(v['notices']) &&
        optional(v['stats'], isStats) &&
        optional(v['error'], isRunError)
      );
    case 'reply':
      return isIndex(v['requestId']) && typeof v['ok'] === 'boolean' && optional(v['error'], isString);
    case 'form':
      return isForm(v['form']);
    case 'preview':
      return isString(v['file']) && typeof v['seq'] === 'number' && isPreview(v['preview']);
    case 'focus':
      return optional(v['field'], isString);
    default:
      return false;
  }
}

/** Checks a message the host received. */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isRecord(v)) return false;
  if (v['type'] === 'ready') return true;
  if (v['type'] !== 'request' || !isIndex(v['requestId'])) return false;
  switch (v['action']) {
    case 'stop':
    case 'retry':
    case 'pullModel':
    case 'select':
      return typeof v['runId'] === 'string';
    case 'branch':
      return typeof v['runId'] === 'string' && isIndex(v['tokenIndex']) && typeof v['alternative'] === 'string';
    case 'showLogs':
      return true;
    case 'preview':
    case 'run':
      return isString(v['file']) && isStringRecord(v['values'], (x) => isJsonValue(x));
    default:
      return false;
  }
}

// ---- Input values: the same checks in the webview (before sending) and in the host (on receipt).

/** Why `value` does not fit `field`, or undefined when it does. */
export function checkValue(field: InputField, value: JsonValue): string | undefined {
  switch (field.kind) {
    case 'string':
      return typeof value === 'string' ? undefined : 'Expected text.';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'Expected a number.';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : 'Expected a whole number.';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'Expected true or false.';
    case 'enum':
      return (field.options ?? []).some((o) => JSON.stringify(o) === JSON.stringify(value))
        ? undefined
        : `Expected one of ${(field.options ?? []).map((o) => JSON.stringify(o)).join(', ')}.`;
    case 'json': {
      if (field.shape === 'array' && !Array.isArray(value)) return 'Expected a JSON list, e.g. ["a", "b"].';
      if (field.shape === 'object' && !isRecord(value)) return 'Expected a JSON object, e.g. {"key": "value"}.';
      if (field.shape === 'array' && field.items && Array.isArray(value)) {
        const item = { name: '', kind: field.items, type: field.items, required: true } as const;
        const bad = value.findIndex((x) => checkValue(item, x) !== undefined);
        if (bad >= 0)
          return `Item ${bad + 1}: expected ${field.items === 'string' ? 'text' : field.items === 'boolean' ? 'true or false' : `a${field.items === 'integer' ? ' whole' : ''} number`}.`;
      }
      return undefined;
    }
  }
}

/** Reads what was typed into a field: empty means "not given"; otherwise a value or an error. */
export function parseFieldText(field: InputField, text: string): { value?: JsonValue; error?: string } {
  if (field.kind === 'string') return text === '' ? {} : { value: text };
  if (text.trim() === '') return {};
  let value: JsonValue;
  if (field.kind === 'number' || field.kind === 'integer') {
    value = Number(text.trim());
    if (!Number.isFinite(value)) return { error: 'Enter a number.' };
  } else if (field.kind === 'boolean') {
    if (text !== 'true' && text !== 'false') return { error: 'Choose true or false.' };
    value = text === 'true';
  } else {
    try {
      value = JSON.parse(text) as JsonValue;
    } catch (err) {
      return { error: `Not valid JSON: ${errorMessage(err)}` };
    }
  }
  const error = checkValue(field, value);
  return error ? { error } : { value };
}

/** A value as the form shows it (the inverse of parseFieldText). */
export function fieldText(field: InputField, value: JsonValue | undefined): string {
  if (value === undefined) return '';
  if (field.kind === 'string' && typeof value === 'string') return value;
  if (field.kind === 'json') return JSON.stringify(value, null, 2);
  return JSON.stringify(value);
}

/**
 * Checks a set of values against the form: each value's type, and required inputs that have
 * neither a value nor a default. Returns the problems by input name (empty when all is well).
 */
export function checkValues(fields: readonly InputField[], values: Record<string, JsonValue>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined) {
      if (field.required && field.default === undefined) problems[field.name] = 'Required.';
      continue;
    }
    const error = checkValue(field, value);
    if (error) problems[field.name] = error;
  }
  return problems;
}
