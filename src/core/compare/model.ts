/**
 * The state of one comparison panel (the host holds it; the benchmark drives it in plain Node):
 * cells as the runner reports them, every token of every cell in one compact store per cell, and
 * the messages that keep a webview in step — a snapshot on `ready`, then one batched `update` per
 * flush interval with the new tokens per cell, the cells that changed and, when any did, a fresh
 * summary. Batching and snapshot chunking are the run panel's (../transcript/batcher).
 */
import type {
  CellState,
  CompareCell,
  CompareHostMessage,
  ComparisonStatus,
  ComparisonView,
  SummaryView,
} from '../../shared/compare-protocol';
import type { RunEvent } from '../providers/events';
import { chunks, FLUSH_MS, MAX_BATCH_TOKENS, TokenBatcher, type Batch, type Timer } from '../transcript/batcher';
import { TokenStore } from '../transcript/store';
import { tokenOf, type TranscriptToken } from '../transcript/transcript';
import { hasExpectations } from './assertions';
import { columnLabel } from './exports';
import { summarizeComparison, type ComparisonSummary } from './summary';
import type { ComparisonResult } from './grid';
import type { CellResult, ColumnKey, TestCase } from './types';

export interface ComparisonModelInit {
  title: string;
  file: string;
  variants: { id: string; file: string }[];
  columns: ColumnKey[];
  cases: TestCase[];
  samples: number;
  temperature?: number;
  concurrency: number;
  startedAt?: string;
}

interface CellEntry {
  result: CellResult;
  tokens: TokenStore;
  notices: string[];
}

export class ComparisonModel {
  private readonly cells = new Map<string, CellEntry>();
  private status: ComparisonStatus = 'running';
  private id = '';
  private readonly notices: string[] = [];
  private readonly startedAt: string;
  private summaryCache: SummaryView | undefined;
  private final: ComparisonResult | undefined;
  // What changed since the last update, besides the new tokens the batcher notes.
  private readonly pendingCells = new Set<string>();
  private pendingStatus = false;
  private pendingNotices = false;
  private readonly batcher: TokenBatcher;
  private post: ((message: CompareHostMessage) => void) | undefined;

  constructor(
    readonly init: ComparisonModelInit,
    options: { flushMs?: number; timer?: Timer } = {},
  ) {
    this.startedAt = init.startedAt ?? new Date().toISOString();
    this.batcher = new TokenBatcher((batches) => this.sendUpdate(batches), {
      intervalMs: options.flushMs ?? FLUSH_MS,
      maxBatch: MAX_BATCH_TOKENS,
      ...(options.timer ? { timer: options.timer } : {}),
    });
  }

  /** Where messages go; nothing is sent before the webview is attached. */
  attach(post: (message: CompareHostMessage) => void): void {
    this.post = post;
  }

  get comparisonId(): string {
    return this.id;
  }

  get running(): boolean {
    return this.status === 'running';
  }

  /** A cell was created or changed state (the runner passes its live object). */
  onCell(cell: Readonly<CellResult>): void {
    const entry = this.cells.get(cell.id);
    if (entry === undefined) this.cells.set(cell.id, { result: cell as CellResult, tokens: new TokenStore(), notices: [] });
    else entry.result = cell as CellResult;
    this.pendingCells.add(cell.id);
    this.summaryCache = undefined;
    this.batcher.schedule();
  }

  onEvent(cellId: string, event: RunEvent): void {
    const entry = this.cells.get(cellId);
    if (entry === undefined) return;
    if (event.type === 'notice') {
      if (!entry.notices.includes(event.message)) entry.notices.push(event.message);
      this.pendingCells.add(cellId);
      this.batcher.schedule();
      return;
    }
    const token = tokenOf(event);
    if (token !== undefined) this.batcher.push(cellId, entry.tokens.push(token));
  }

  addNotice(message: string): void {
    if (this.notices.includes(message)) return;
    this.notices.push(message);
    this.pendingNotices = true;
    this.batcher.schedule();
  }

  /** The comparison ended (and was saved under `id`, when it was). */
  finish(result: ComparisonResult, id: string): void {
    this.final = result;
    for (const cell of result.cells) this.onCell(cell);
    this.status = result.status;
    this.id = id;
    this.pendingStatus = true;
    this.flush();
  }

  /** The cells' tokens for a comparison restored from its record (tokens read back from the run history). */
  restore(result: ComparisonResult, id: string, tokensFor: (cell: CellResult) => TranscriptToken[] | undefined): void {
    for (const cell of result.cells) {
      const tokens = tokensFor(cell) ?? (cell.content === '' ? [] : [{ text: cell.content, channel: 'content' as const, ms: 0 }]);
      this.cells.set(cell.id, { result: cell, tokens: TokenStore.from(tokens), notices: [] });
    }
    this.final = result;
    this.status = result.status;
    this.id = id;
    this.summaryCache = undefined;
  }

  /** One token with its alternatives (the panel asks when the user looks at it). */
  tokenAt(cellId: string, index: number): TranscriptToken | undefined {
    return this.cells.get(cellId)?.tokens.at(index);
  }

  /** The grid as a result (for exports while running, and for the summary). */
  toResult(): ComparisonResult {
    if (this.final !== undefined && this.status !== 'running') return this.final;
    const now = new Date().toISOString();
    const result: ComparisonResult = {
      id: this.id,
      startedAt: this.startedAt,
      finishedAt: now,
      status: this.status === 'running' ? 'stopped' : this.status,
      file: this.init.file,
      variants: this.init.variants,
      models: [...new Set(this.init.columns.map((c) => c.model))],
      columns: this.init.columns,
      cases: this.init.cases,
      samples: this.init.samples,
      cells: [...this.cells.values()].map((e) => e.result),
    };
    if (this.init.temperature !== undefined) result.temperature = this.init.temperature;
    return result;
  }

  summary(): SummaryView {
    this.summaryCache ??= summaryView(summarizeComparison(this.toResult()), this.init.samples > 1);
    return this.summaryCache;
  }

  /** The whole comparison; without the tokens (they follow in updates) when `withTokens` is false. */
  snapshot(withTokens = true): ComparisonView {
    const view: ComparisonView = {
      id: this.id,
      title: this.init.title,
      file: this.init.file,
      status: this.status,
      startedAt: this.startedAt,
      samples: this.init.samples,
      concurrency: this.init.concurrency,
      columns: this.init.columns.map((c) => ({ ...c, label: columnLabel(c, this.init) })),
      cases: this.init.cases.map((c) => ({ id: c.id, line: c.line, inputs: c.inputs, checked: hasExpectations(c.expect) })),
      cells: [...this.cells.values()].map((e): CompareCell => ({
        ...cellState(e),
        tokens: withTokens ? e.tokens.columns() : { text: [], ms: [], logprob: [] },
      })),
      summary: this.summary(),
      notices: [...this.notices],
    };
    if (this.init.temperature !== undefined) view.temperature = this.init.temperature;
    return view;
  }

  /**
   * The webview (re)loaded: everything queued is part of what follows. The snapshot carries the
   * grid without tokens; the tokens follow in updates of at most MAX_BATCH_TOKENS, so restoring a
   * 100,000-token comparison is many short tasks for the webview, not one long one. A finished
   * comparison ends with its status again, after which the webview reports what it shows.
   */
  sendSnapshot(): void {
    this.clearPending();
    const post = this.post;
    if (post === undefined) return;
    post({ type: 'snapshot', comparison: this.snapshot(false) });
    for (const [cell, entry] of this.cells) {
      for (const { from, to } of chunks(entry.tokens.length))
        post({ type: 'update', tokens: [{ cell, from, tokens: entry.tokens.columns(from, to) }], cells: [] });
    }
    if (this.status !== 'running') post({ type: 'update', tokens: [], cells: [], status: this.status, id: this.id });
  }

  /** Sends what is pending now. */
  flush(): void {
    this.batcher.flush();
  }

  private sendUpdate(batches: readonly Batch[]): void {
    if (batches.length === 0 && this.pendingCells.size === 0 && !this.pendingStatus && !this.pendingNotices) return;
    const cells = [...this.pendingCells]
      .map((id) => this.cells.get(id))
      .filter((e): e is CellEntry => e !== undefined)
      .map(cellState);
    const tokens = batches.flatMap(({ stream, from, to }) => {
      const store = this.cells.get(stream)?.tokens;
      return store ? [{ cell: stream, from, tokens: store.columns(from, to) }] : [];
    });
    const message: CompareHostMessage = { type: 'update', tokens, cells };
    if (cells.length > 0 || this.pendingStatus) message.summary = this.summary();
    if (this.pendingStatus) {
      message.status = this.status;
      message.id = this.id;
    }
    if (this.pendingNotices) message.notices = [...this.notices];
    this.clearPending();
    this.post?.(message);
  }

  dispose(): void {
    this.batcher.dispose();
    this.post = undefined;
  }

  private clearPending(): void {
    this.batcher.discard();
    this.pendingCells.clear();
    this.pendingStatus = false;
    this.pendingNotices = false;
  }
}

function cellState(entry: CellEntry): CellState {
  const c = entry.result;
  const state: CellState = {
    id: c.id,
    column: c.column,
    caseId: c.caseId,
    sample: c.sample,
    status: c.status,
    tokenCount: c.tokenCount,
    assertions: c.assertions,
    notices: entry.notices,
  };
  if (c.stats !== undefined) state.stats = c.stats;
  if (c.error !== undefined) state.error = c.error;
  if (c.answer !== undefined) state.answer = shortAnswer(c.answer);
  if (c.answerProbability !== undefined) state.answerProbability = c.answerProbability;
  if (c.meanLogprob !== undefined) state.meanLogprob = c.meanLogprob;
  if (c.runId !== undefined) state.runId = c.runId;
  return state;
}

/**
 * Answers as the panel shows them. Without an answer phrase the whole reply is the answer, and
 * a 100,000-token reply must not travel again with every update: the panel shows the start.
 */
const ANSWER_CHARS = 400;

function shortAnswer(answer: string): string {
  return answer.length > ANSWER_CHARS ? `${answer.slice(0, ANSWER_CHARS - 1)}…` : answer;
}

/** The summary as the panel shows it; votes only matter with several samples. */
function summaryView(summary: ComparisonSummary, withVotes = true): SummaryView {
  return {
    columns: summary.columns.map((c) => ({
      column: c.id,
      metrics: c.metrics,
      best: c.best,
      cells: c.cells,
      completed: c.completed,
      errors: c.errors,
      stopped: c.stopped,
      passed: c.passed,
      failed: c.failed,
      casesPassed: c.casesPassed,
      casesChecked: c.casesChecked,
    })),
    votes: (withVotes ? summary.votes : []).map((v) => {
      const view: SummaryView['votes'][number] = {
        caseId: v.caseId,
        column: v.column,
        total: v.votes.total,
        missing: v.votes.missing,
        agreement: v.votes.agreement,
        tie: v.votes.tie,
        buckets: v.votes.buckets.map((b) => ({
          answer: shortAnswer(b.answer),
          count: b.count,
          frequency: b.frequency,
          ...(b.modelProbability !== undefined ? { modelProbability: b.modelProbability } : {}),
        })),
      };
      if (v.votes.majority !== undefined) view.majority = shortAnswer(v.votes.majority);
      if (v.calibrationGap !== undefined) view.calibrationGap = v.calibrationGap;
      return view;
    }),
    rows: summary.rows.map((r) => ({ caseId: r.caseId, same: r.same })),
  };
}
