/**
 * What a grid adds up to: a summary row per column (tokens, time to first token, tokens per
 * second, mean log-probability, length) with the best value of each marked, pass counts, the
 * vote of each column's samples per test case, and which rows differ between columns.
 */
import { normalizeAnswer } from './answers';
import type { ComparisonResult } from './grid';
import type { CellResult, ColumnKey } from './types';
import { calibrationGap, tallyVotes, type VoteSummary } from './voting';

export type Metric = 'tokens' | 'ttftMs' | 'tokensPerSecond' | 'meanLogprob' | 'length';

/** Which way is better: fewer tokens, sooner first token, faster, more confident, shorter. */
export const METRIC_DIRECTION: Readonly<Record<Metric, 'min' | 'max'>> = {
  tokens: 'min',
  ttftMs: 'min',
  tokensPerSecond: 'max',
  meanLogprob: 'max',
  length: 'min',
};

export const METRICS = Object.keys(METRIC_DIRECTION) as Metric[];

export interface ColumnSummary extends ColumnKey {
  cells: number;
  completed: number;
  errors: number;
  stopped: number;
  /** Means over the column's cells that have the value. */
  metrics: Partial<Record<Metric, number>>;
  /** Metrics on which this column is best (ties all marked). */
  best: Metric[];
  /** Assertions that passed / failed over all the column's cells. */
  passed: number;
  failed: number;
  /** Cells whose every assertion passed / cells that had assertions. */
  casesPassed: number;
  casesChecked: number;
}

export interface CaseVotes {
  caseId: string;
  column: string;
  votes: VoteSummary;
  /** See calibrationGap: 0 when the model's answer probabilities match the observed frequencies. */
  calibrationGap?: number;
}

export interface RowAgreement {
  caseId: string;
  /** Whether every column completed and gave the same reply (with samples: the same majority answer). */
  same: boolean;
}

export interface ComparisonSummary {
  columns: ColumnSummary[];
  votes: CaseVotes[];
  rows: RowAgreement[];
  assertionsFailed: number;
  cellErrors: number;
}

export function cellMetrics(cell: CellResult): Partial<Record<Metric, number>> {
  const metrics: Partial<Record<Metric, number>> = {};
  // Partial replies of failed or stopped cells would make "fewest tokens" and "fastest" meaningless.
  if (cell.status !== 'completed') return metrics;
  metrics.tokens = cell.stats?.outputTokens ?? cell.tokenCount;
  metrics.length = cell.content.length;
  if (cell.stats?.ttftMs !== undefined) metrics.ttftMs = cell.stats.ttftMs;
  const rate = tokensPerSecond(cell);
  if (rate !== undefined) metrics.tokensPerSecond = rate;
  if (cell.meanLogprob !== undefined) metrics.meanLogprob = cell.meanLogprob;
  return metrics;
}

/** The server's own eval rate when it reports one, else tokens over the time after the first token. */
export function tokensPerSecond(cell: CellResult): number | undefined {
  const stats = cell.stats;
  if (stats === undefined) return undefined;
  if (stats.evalRate !== undefined && Number.isFinite(stats.evalRate)) return stats.evalRate;
  const streaming = stats.wallMs - (stats.ttftMs ?? 0);
  return cell.tokenCount > 1 && streaming > 0 ? ((cell.tokenCount - 1) / streaming) * 1000 : undefined;
}

export function summarizeComparison(result: ComparisonResult): ComparisonSummary {
  const byColumn = new Map<string, CellResult[]>();
  for (const cell of result.cells) {
    const list = byColumn.get(cell.column) ?? [];
    list.push(cell);
    byColumn.set(cell.column, list);
  }
  const columns = result.columns.map((column) => columnSummary(column, byColumn.get(column.id) ?? []));
  markBest(columns);

  const votes: CaseVotes[] = [];
  const rows: RowAgreement[] = [];
  for (const testCase of result.cases) {
    const perColumn: string[] = [];
    let allRan = true;
    for (const column of result.columns) {
      const cells = (byColumn.get(column.id) ?? []).filter(
        (c) => c.caseId === testCase.id && c.status !== 'queued' && c.status !== 'cancelled',
      );
      const tally = tallyVotes(
        cells.map((c) => ({
          ...(c.answer !== undefined ? { answer: c.answer } : {}),
          ...(c.answerProbability !== undefined ? { probability: c.answerProbability } : {}),
        })),
      );
      const entry: CaseVotes = { caseId: testCase.id, column: column.id, votes: tally };
      const gap = calibrationGap(tally);
      if (gap !== undefined) entry.calibrationGap = gap;
      votes.push(entry);
      if (!cells.some((c) => c.status === 'completed')) allRan = false;
      perColumn.push(
        result.samples > 1 ? (tally.majority !== undefined ? normalizeAnswer(tally.majority) : '') : (cells[0]?.content.trim() ?? ''),
      );
    }
    rows.push({ caseId: testCase.id, same: allRan && perColumn.every((v) => v === perColumn[0]) });
  }
  return {
    columns,
    votes,
    rows,
    assertionsFailed: columns.reduce((n, c) => n + c.failed, 0),
    cellErrors: columns.reduce((n, c) => n + c.errors, 0),
  };
}

function columnSummary(column: ColumnKey, cells: CellResult[]): ColumnSummary {
  const sums: Partial<Record<Metric, { total: number; count: number }>> = {};
  let completed = 0;
  let errors = 0;
  let stopped = 0;
  let passed = 0;
  let failed = 0;
  let casesPassed = 0;
  let casesChecked = 0;
  for (const cell of cells) {
    if (cell.status === 'completed') completed += 1;
    else if (cell.status === 'error') errors += 1;
    else if (cell.status === 'stopped' || cell.status === 'cancelled') stopped += 1;
    for (const [metric, value] of Object.entries(cellMetrics(cell)) as [Metric, number][]) {
      const sum = (sums[metric] ??= { total: 0, count: 0 });
      sum.total += value;
      sum.count += 1;
    }
    const checks = cell.assertions;
    if (checks.length > 0) {
      casesChecked += 1;
      if (checks.every((a) => a.pass)) casesPassed += 1;
    }
    for (const a of checks) a.pass ? (passed += 1) : (failed += 1);
  }
  const metrics: Partial<Record<Metric, number>> = {};
  for (const metric of METRICS) {
    const sum = sums[metric];
    if (sum !== undefined && sum.count > 0) metrics[metric] = sum.total / sum.count;
  }
  return { ...column, cells: cells.length, completed, errors, stopped, metrics, best: [], passed, failed, casesPassed, casesChecked };
}

/** Marks the best value of each metric; only with two or more columns that have it. */
function markBest(columns: ColumnSummary[]): void {
  for (const metric of METRICS) {
    const having = columns.filter((c) => c.metrics[metric] !== undefined);
    if (having.length < 2) continue;
    const values = having.map((c) => c.metrics[metric]!);
    const best = METRIC_DIRECTION[metric] === 'min' ? Math.min(...values) : Math.max(...values);
    for (const column of having) if (column.metrics[metric] === best) column.best.push(metric);
  }
}
