/**
 * Messages between the extension host and the comparison panel webview. Plain data only: no
 * `vscode`, no DOM. The host owns the comparison: the webview says `ready`, receives one
 * `snapshot`, then batched `update`s (new tokens per cell with their position, changed cells,
 * a fresh summary). Every message is checked on receipt with the guards below; requests carry
 * an id and are always settled by a `reply` (or by the webview's timeout).
 */
import type { AssertionResult, CellError, CellStatus } from '../core/compare/types';
import type { RunStats } from '../core/providers/events';
import type { TokenColumns } from '../core/transcript/store';
export { toColumns } from '../core/transcript/store';
import type { TranscriptToken } from '../core/transcript/transcript';
import { ASSERTION_KINDS, CELL_STATUSES, isNumber, isRecord, isString, isToken, listOf, oneOf, optional } from './protocol-guards';

export type { AssertionResult, CellError, CellStatus, RunStats, TokenColumns, TranscriptToken };

export const COMPARE_METRICS = ['tokens', 'ttftMs', 'tokensPerSecond', 'meanLogprob', 'length'] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];

/** A column of the grid: one prompt variant on one model. */
export interface CompareColumn {
  id: string;
  variant: string;
  model: string;
  /** `model`, or `variant · model` when the comparison has several variants. */
  label: string;
}

/** A row of the grid: one test case. */
export interface CompareCase {
  id: string;
  /** 1-based line in the data file; 0 when the case came from no file. */
  line: number;
  inputs: Record<string, unknown>;
  /** Whether the case expects anything (pass/fail is shown only then). */
  checked: boolean;
}

/** What a cell is, without its tokens. */
export interface CellState {
  id: string;
  column: string;
  caseId: string;
  sample: number;
  status: CellStatus;
  /** Content tokens received so far (the webview counts what it was sent; this is the runner's count). */
  tokenCount: number;
  stats?: RunStats;
  error?: CellError;
  answer?: string;
  answerProbability?: number;
  meanLogprob?: number;
  assertions: AssertionResult[];
  /** The saved run in the run history. */
  runId?: string;
  notices: string[];
}

export interface CompareCell extends CellState {
  /** Content and thinking tokens in arrival order. */
  tokens: TokenColumns;
}

export interface ColumnSummaryView {
  column: string;
  metrics: Partial<Record<CompareMetric, number>>;
  /** Metrics on which this column is best (only with two or more columns having the metric). */
  best: CompareMetric[];
  cells: number;
  completed: number;
  errors: number;
  stopped: number;
  passed: number;
  failed: number;
  casesPassed: number;
  casesChecked: number;
}

export interface VoteBucketView {
  answer: string;
  count: number;
  /** count / all samples. */
  frequency: number;
  /** The model's own mean probability of this answer's tokens. */
  modelProbability?: number;
}

export interface VoteView {
  caseId: string;
  column: string;
  total: number;
  missing: number;
  buckets: VoteBucketView[];
  majority?: string;
  agreement: number;
  tie: boolean;
  calibrationGap?: number;
}

export interface SummaryView {
  columns: ColumnSummaryView[];
  votes: VoteView[];
  /** Rows where every column completed and agreed (hidden by "different only"). */
  rows: { caseId: string; same: boolean }[];
}

export const COMPARISON_STATUSES = ['running', 'completed', 'stopped'] as const;
export type ComparisonStatus = (typeof COMPARISON_STATUSES)[number];

export interface ComparisonView {
  /** The saved comparison's id; '' until it has been saved. */
  id: string;
  title: string;
  file: string;
  status: ComparisonStatus;
  startedAt: string;
  samples: number;
  temperature?: number;
  /** Columns streaming at once. */
  concurrency: number;
  columns: CompareColumn[];
  cases: CompareCase[];
  cells: CompareCell[];
  summary: SummaryView;
  notices: string[];
}

export interface TokenBatch {
  cell: string;
  /** Index in the cell's tokens of the first token here; a mismatch means a lost message. */
  from: number;
  tokens: TokenColumns;
}

/** host → webview: the whole comparison, after `ready` and after anything that replaces it. */
export interface CompareSnapshotMessage {
  type: 'snapshot';
  comparison: ComparisonView;
}

/** host → webview: what changed since the last update (batched every few tens of ms). */
export interface CompareUpdateMessage {
  type: 'update';
  tokens: TokenBatch[];
  cells: CellState[];
  summary?: SummaryView;
  status?: ComparisonStatus;
  id?: string;
  notices?: string[];
}

export interface CompareReplyMessage {
  type: 'reply';
  requestId: number;
  ok: boolean;
  error?: string;
  /** A word for the user on success (e.g. where an export was written). */
  message?: string;
  /** The answer to a `token` request: the token with its alternatives. */
  token?: TranscriptToken;
}

export type CompareHostMessage = CompareSnapshotMessage | CompareUpdateMessage | CompareReplyMessage;

export const EXPORT_FORMATS = ['markdown', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type CompareAction =
  | { action: 'cancel' }
  | { action: 'export'; format: ExportFormat }
  | { action: 'openRun'; cellId: string }
  | { action: 'token'; cellId: string; index: number }
  | { action: 'showLogs' };

export type CompareRequestMessage = { type: 'request'; requestId: number } & CompareAction;

/** webview → host: what the panel shows, after a snapshot and when the comparison has ended. */
export interface RenderedReport {
  type: 'rendered';
  id: string;
  status: ComparisonStatus;
  columns: number;
  cells: number;
  /** Tokens the panel holds (all cells). */
  tokens: number;
}

export type CompareWebviewMessage = { type: 'ready' } | RenderedReport | CompareRequestMessage;

/** How long the webview waits for a reply (an export waits for a save dialog). */
export const COMPARE_REQUEST_TIMEOUT_MS = 120_000;

function isAssertion(v: unknown): boolean {
  return isRecord(v) && oneOf(ASSERTION_KINDS, v['kind']) && typeof v['pass'] === 'boolean' && isString(v['reason']);
}

function isCellState(v: unknown): v is CellState {
  if (!isRecord(v)) return false;
  return (
    isString(v['id']) &&
    isString(v['column']) &&
    isString(v['caseId']) &&
    isNumber(v['sample']) &&
    oneOf(CELL_STATUSES, v['status']) &&
    isNumber(v['tokenCount']) &&
    optional(v['stats'], (s) => isRecord(s) && isNumber(s['wallMs'])) &&
    optional(v['error'], (e) => isRecord(e) && isString(e['kind']) && isString(e['message'])) &&
    optional(v['answer'], isString) &&
    optional(v['answerProbability'], isNumber) &&
    optional(v['meanLogprob'], isNumber) &&
    listOf(v['assertions'], isAssertion) &&
    optional(v['runId'], isString) &&
    listOf(v['notices'], isString)
  );
}

function isColumns(v: unknown): v is TokenColumns {
  if (!isRecord(v) || !listOf(v['text'], isString) || !listOf(v['ms'], isNumber) || !listOf(v['logprob'], (x) => x === null || isNumber(x)))
    return false;
  const n = (v['text'] as unknown[]).length;
  return (
    (v['ms'] as unknown[]).length === n &&
    (v['logprob'] as unknown[]).length === n &&
    optional(v['thinking'], (t) => listOf(t, (i) => Number.isInteger(i) && (i as number) >= 0 && (i as number) < n))
  );
}

function isCell(v: unknown): v is CompareCell {
  return isCellState(v) && isColumns((v as unknown as Record<string, unknown>)['tokens']);
}

function isVote(v: unknown): boolean {
  return (
    isRecord(v) &&
    isString(v['caseId']) &&
    isString(v['column']) &&
    isNumber(v['total']) &&
    isNumber(v['missing']) &&
    isNumber(v['agreement']) &&
    typeof v['tie'] === 'boolean' &&
    optional(v['majority'], isString) &&
    optional(v['calibrationGap'], isNumber) &&
    listOf(
      v['buckets'],
      (b) =>
        isRecord(b) &&
        isString(b['answer']) &&
        isNumber(b['count']) &&
        isNumber(b['frequency']) &&
        optional(b['modelProbability'], isNumber),
    )
  );
}

function isSummary(v: unknown): v is SummaryView {
  return (
    isRecord(v) &&
    listOf(
      v['columns'],
      (c) =>
        isRecord(c) &&
        isString(c['column']) &&
        isRecord(c['metrics']) &&
        Object.values(c['metrics']).every(isNumber) &&
        listOf(c['best'], (m) => oneOf(COMPARE_METRICS, m)) &&
        ['cells', 'completed', 'errors', 'stopped', 'passed', 'failed', 'casesPassed', 'casesChecked'].every((k) => isNumber(c[k])),
    ) &&
    listOf(v['votes'], isVote) &&
    listOf(v['rows'], (r) => isRecord(r) && isString(r['caseId']) && typeof r['same'] === 'boolean')
  );
}

function isComparison(v: unknown): v is ComparisonView {
  if (!isRecord(v)) return false;
  return (
    isString(v['id']) &&
    isString(v['title']) &&
    isString(v['file']) &&
    oneOf(COMPARISON_STATUSES, v['status']) &&
    isString(v['startedAt']) &&
    isNumber(v['samples']) &&
    optional(v['temperature'], isNumber) &&
    isNumber(v['concurrency']) &&
    listOf(
      v['columns'],
      (c) => isRecord(c) && isString(c['id']) && isString(c['variant']) && isString(c['model']) && isString(c['label']),
    ) &&
    listOf(
      v['cases'],
      (c) => isRecord(c) && isString(c['id']) && isNumber(c['line']) && isRecord(c['inputs']) && typeof c['checked'] === 'boolean',
    ) &&
    listOf(v['cells'], isCell) &&
    isSummary(v['summary']) &&
    listOf(v['notices'], isString)
  );
}

/** Checks a message the webview received. */
export function isCompareHostMessage(v: unknown): v is CompareHostMessage {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'snapshot':
      return isComparison(v['comparison']);
    case 'update':
      return (
        listOf(v['tokens'], (b) => isRecord(b) && isString(b['cell']) && Number.isInteger(b['from']) && isColumns(b['tokens'])) &&
        listOf(v['cells'], isCellState) &&
        optional(v['summary'], isSummary) &&
        optional(v['status'], (s) => oneOf(COMPARISON_STATUSES, s)) &&
        optional(v['id'], isString) &&
        optional(v['notices'], (n) => listOf(n, isString))
      );
    case 'reply':
      return (
        isNumber(v['requestId']) &&
        typeof v['ok'] === 'boolean' &&
        optional(v['error'], isString) &&
        optional(v['message'], isString) &&
        optional(v['token'], isToken)
      );
    default:
      return false;
  }
}

/** Checks a message the host received. */
export function isCompareWebviewMessage(v: unknown): v is CompareWebviewMessage {
  if (!isRecord(v)) return false;
  if (v['type'] === 'ready') return true;
  if (v['type'] === 'rendered') {
    return (
      isString(v['id']) &&
      oneOf(COMPARISON_STATUSES, v['status']) &&
      ['columns', 'cells', 'tokens'].every((k) => Number.isInteger(v[k]) && (v[k] as number) >= 0)
    );
  }
  if (v['type'] !== 'request' || !Number.isInteger(v['requestId'])) return false;
  switch (v['action']) {
    case 'cancel':
    case 'showLogs':
      return true;
    case 'export':
      return oneOf(EXPORT_FORMATS, v['format']);
    case 'openRun':
      return isString(v['cellId']);
    case 'token':
      return isString(v['cellId']) && Number.isInteger(v['index']) && (v['index'] as number) >= 0;
    default:
      return false;
  }
}
