/**
 * Messages between the extension host and the run panel webview. Plain data only: no `vscode`,
 * no DOM. Every message is checked on receipt with the guards below; requests carry an id and
 * are always settled by a `reply` (or by the webview's timeout).
 */
import type { RunTranscript, TranscriptStatus, TranscriptToken } from '../core/transcript/transcript';

export type { RunTranscript, TranscriptToken, TranscriptStatus };

/** host → webview: the whole state of the panel, sent after `ready` and whenever runs are added. */
export interface SnapshotMessage {
  type: 'snapshot';
  runs: RunTranscript[];
  activeRunId: string;
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

export type HostMessage = SnapshotMessage | AppendMessage | StatusMessage | ReplyMessage;

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
  | { action: 'select'; runId: string };

/** webview → host: something the user asked for; answered with a `reply` of the same id. */
export type RequestMessage = { type: 'request'; requestId: number } & RunAction;

export type WebviewMessage = ReadyMessage | RequestMessage;

/** How long the webview waits for a reply before it gives up on a request. */
export const REQUEST_TIMEOUT_MS = 15_000;

const STATUSES: readonly string[] = ['running', 'completed', 'stopped', 'error'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isToken(v: unknown): v is TranscriptToken {
  return isRecord(v) && typeof v['text'] === 'string' && (v['channel'] === 'content' || v['channel'] === 'thinking') && typeof v['ms'] === 'number'
    && (v['logprob'] === undefined || typeof v['logprob'] === 'number')
    && (v['top'] === undefined || (Array.isArray(v['top']) && v['top'].every((a) => isRecord(a) && typeof a['text'] === 'string' && typeof a['logprob'] === 'number')))
    && (v['bytes'] === undefined || (Array.isArray(v['bytes']) && v['bytes'].every((b) => typeof b === 'number')));
}

function isTranscript(v: unknown): v is RunTranscript {
  if (!isRecord(v) || !isRecord(v['meta'])) return false;
  const meta = v['meta'];
  return typeof meta['id'] === 'string' && typeof meta['title'] === 'string' && typeof meta['model'] === 'string'
    && Array.isArray(v['tokens']) && v['tokens'].every(isToken)
    && Array.isArray(v['prefix']) && v['prefix'].every(isToken)
    && typeof v['status'] === 'string' && STATUSES.includes(v['status'])
    && Array.isArray(v['notices']);
}

/** Checks a message the webview received. */
export function isHostMessage(v: unknown): v is HostMessage {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'snapshot':
      return Array.isArray(v['runs']) && v['runs'].every(isTranscript) && typeof v['activeRunId'] === 'string';
    case 'append':
      return typeof v['runId'] === 'string' && typeof v['from'] === 'number' && Array.isArray(v['tokens']) && v['tokens'].every(isToken);
    case 'status':
      return typeof v['runId'] === 'string' && typeof v['status'] === 'string' && STATUSES.includes(v['status']) && Array.isArray(v['notices']);
    case 'reply':
      return typeof v['requestId'] === 'number' && typeof v['ok'] === 'boolean';
    default:
      return false;
  }
}

/** Checks a message the host received. */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isRecord(v)) return false;
  if (v['type'] === 'ready') return true;
  if (v['type'] !== 'request' || typeof v['requestId'] !== 'number') return false;
  switch (v['action']) {
    case 'stop':
    case 'retry':
    case 'pullModel':
    case 'select':
      return typeof v['runId'] === 'string';
    case 'branch':
      return typeof v['runId'] === 'string' && Number.isInteger(v['tokenIndex']) && typeof v['alternative'] === 'string';
    case 'showLogs':
      return true;
    default:
      return false;
  }
}
