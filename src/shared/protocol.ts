/**
 * Messages between the extension host and the run panel webview. Plain data only: no `vscode`,
 * no DOM. Every message is checked on receipt with the guards below; requests carry an id and
 * are always settled by a `reply` (or by the webview's timeout).
 */
import type { RunTranscript, TranscriptStatus, TranscriptToken } from '../core/transcript/transcript';
import { RUN_KINDS } from '../core/runs/kind';
import {
  isIndex,
  isNumber,
  isRecord,
  isString,
  isToken,
  listOf,
  NOTICE_CODES,
  oneOf,
  optional,
  RUN_ERROR_KINDS,
  TRANSCRIPT_STATUSES,
} from './protocol-guards';
import { isForm, isJsonValue, isStringRecord, type JsonValue, type PromptForm } from './protocol-form';
import {
  isModelChoice,
  isPreview,
  isPromptState,
  isRunSent,
  type ModelChoice,
  type PromptPreview,
  type PromptState,
  type RunSent,
} from './protocol-prompt';

export type { RunTranscript, TranscriptToken, TranscriptStatus };
export * from './protocol-form';
export * from './protocol-prompt';

/** host → webview: the whole state of the panel, sent after `ready` and whenever runs are added. */
export interface SnapshotMessage {
  type: 'snapshot';
  runs: RunTranscript[];
  activeRunId: string;
  /** Absent for panels that only show saved runs (History). */
  prompt?: PromptState;
  /** What saved runs sent (their inputs and messages), for the runs that have a record. */
  sent?: RunSent[];
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

/** host → webview: the model of the next run changed (here, in the status bar or the Models view), or the model lists arrived. */
export interface ModelsMessage {
  type: 'models';
  choice: ModelChoice;
}

/** host → webview: the answer to a request. */
export interface ReplyMessage {
  type: 'reply';
  requestId: number;
  ok: boolean;
  error?: string;
}

export type HostMessage =
  SnapshotMessage | AppendMessage | StatusMessage | ReplyMessage | FormMessage | PreviewMessage | FocusMessage | ModelsMessage;

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
  | { action: 'run'; file: string; values: Record<string, JsonValue> }
  /** Use this model for the next runs of the file, without editing it (the same choice as the status bar's). */
  | { action: 'useModel'; file: string; ref: string }
  /** Write the model the next run uses into the file's frontmatter (one undoable edit). */
  | { action: 'writeModel'; file: string }
  /** Ask every endpoint for its models again. */
  | { action: 'refreshModels'; file: string };

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

/** Checks a message the webview received. */
export function isHostMessage(v: unknown): v is HostMessage {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'snapshot':
      return (
        Array.isArray(v['runs']) &&
        v['runs'].every(isTranscript) &&
        typeof v['activeRunId'] === 'string' &&
        optional(v['prompt'], isPromptState) &&
        optional(v['sent'], (s) => listOf(s, isRunSent))
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
    case 'models':
      return isModelChoice(v['choice']);
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
    case 'useModel':
      return isString(v['file']) && isString(v['ref']) && v['ref'].trim() !== '';
    case 'writeModel':
    case 'refreshModels':
      return isString(v['file']);
    default:
      return false;
  }
}
