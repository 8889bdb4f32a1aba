// What `compare` prints: progress lines on stderr, the table, and the --json document.
import {
  columnLabel,
  diffWords,
  formatMetric,
  METRICS,
  type CellResult,
  type ComparisonResult,
  type ComparisonSummary,
  type Metric,
  type RowProblem,
  type VoteSummary,
} from '../../core/compare';
import { asDisplayText } from '../../core/text/terminal';
import { errorJson, field, message, numberOrNull, statsJson } from '../json';
import type { CliIo } from '../io';

const METRIC_HEADS: Record<Metric, string> = {
  tokens: 'tokens',
  ttftMs: 'TTFT ms',
  tokensPerSecond: 'tok/s',
  meanLogprob: 'mean logprob',
  length: 'length',
};

/** Stderr lines as columns start and finish; queued columns are counted. */
export function columnProgress(io: CliIo): (cell: Readonly<CellResult>) => void {
  const columns = new Map<string, { model: string; variant: string; total: number; finished: number; errors: number; started: boolean }>();
  return (cell) => {
    let column = columns.get(cell.column);
    if (column === undefined) {
      column = { model: cell.model, variant: cell.variant, total: 0, finished: 0, errors: 0, started: false };
      columns.set(cell.column, column);
    }
    if (cell.status === 'queued') {
      column.total += 1;
      return;
    }
    if (cell.status === 'running') {
      if (!column.started) {
        column.started = true;
        const queued = [...columns.values()].filter((c) => !c.started).length;
        io.err(
          `  ${field(cell.column)} ${field(cell.model)}: running${queued > 0 ? ` (${queued} column${queued === 1 ? '' : 's'} queued)` : ''}\n`,
        );
      }
      return;
    }
    column.finished += 1;
    if (cell.status === 'error') column.errors += 1;
    if (column.finished === column.total) {
      io.err(
        `  ${field(cell.column)} ${field(cell.model)}: finished${column.errors > 0 ? `, ${column.errors} of ${column.total} cells failed` : ''}\n`,
      );
    }
  };
}

export function formatTable(result: ComparisonResult, summary: ComparisonSummary, withDiff: boolean): string {
  const labels = new Map(result.columns.map((c) => [c.id, field(`${c.id} ${columnLabel(c, result)}`)]));
  const width = Math.min(40, Math.max(...[...labels.values()].map((l) => l.length)));
  const out: string[] = [];
  const baseline = result.columns[0]?.id;
  for (const testCase of result.cases) {
    out.push(
      '',
      `case ${field(testCase.id)}${testCase.line > 0 ? ` (line ${testCase.line})` : ''}${summary.rows.find((r) => r.caseId === testCase.id)?.same && result.columns.length > 1 ? ' — all columns agree' : ''}`,
    );
    for (const column of result.columns) {
      const cells = result.cells.filter((c) => c.column === column.id && c.caseId === testCase.id);
      const label = labels.get(column.id)!.padEnd(width);
      const first = cells[0]!;
      if (result.samples === 1) {
        let reply = oneLine(first.content);
        const base = result.cells.find((c) => c.column === baseline && c.caseId === testCase.id);
        if (withDiff && base !== undefined && column.id !== baseline && base.status === 'completed' && first.status === 'completed') {
          reply = oneLine(
            diffWords(base.content, first.content)
              .parts.map((p) => (p.op === 'equal' ? p.text : p.op === 'insert' ? `{+${p.text}+}` : `[-${p.text}-]`))
              .join(''),
          );
        }
        out.push(`  ${label}  ${mark(first)}  ${reply}${problemText(first)}`);
      } else {
        const answers = cells.map((c) => (c.status === 'cancelled' ? '·' : (c.answer ?? '∅'))).join(', ');
        const failures = cells.filter((c) => c.assertions.some((a) => !a.pass)).length;
        const errors = cells.filter((c) => c.status === 'error').length;
        out.push(
          `  ${label}  ${failures > 0 || errors > 0 ? '✗' : cells.some((c) => c.assertions.length > 0) ? '✓' : '·'}  answers: ${oneLine(answers)}${errors > 0 ? ` — ${errors} failed: ${field(message(cells.find((c) => c.error)!.error!.message))}` : ''}`,
        );
        const votes = summary.votes.find((v) => v.caseId === testCase.id && v.column === column.id)?.votes;
        if (votes !== undefined && votes.buckets.length > 0) out.push(`  ${''.padEnd(width)}     ${voteLine(votes)}`);
        for (const cell of cells)
          for (const a of cell.assertions)
            if (!a.pass && cell.error === undefined) out.push(`  ${''.padEnd(width)}     sample ${cell.sample + 1}: ${field(a.reason)}`);
      }
    }
  }
  out.push('', 'Summary (* best)');
  const heads = ['column'.padEnd(width), ...METRICS.map((m) => METRIC_HEADS[m].padStart(12)), 'passed'.padStart(8), 'errors'.padStart(7)];
  out.push(`  ${heads.join(' ')}`);
  for (const column of summary.columns) {
    const metrics = METRICS.map((m) => `${formatMetric(m, column.metrics[m])}${column.best.includes(m) ? '*' : ' '}`.padStart(12));
    const passed = column.casesChecked > 0 ? `${column.casesPassed}/${column.casesChecked}` : '–';
    out.push(`  ${labels.get(column.id)!.padEnd(width)} ${metrics.join(' ')} ${passed.padStart(8)} ${String(column.errors).padStart(7)}`);
  }
  if (result.status === 'stopped') out.push('', 'Stopped: the output received so far is kept.');
  return `${out.join('\n').replace(/^\n/, '')}\n`;
}

function mark(cell: CellResult): string {
  if (cell.status === 'cancelled') return '·';
  if (cell.status === 'error' || cell.status === 'stopped') return cell.assertions.length > 0 ? '✗' : '⚠';
  if (cell.assertions.length === 0) return ' ';
  return cell.assertions.every((a) => a.pass) ? '✓' : '✗';
}

function problemText(cell: CellResult): string {
  const parts: string[] = [];
  // A failed run's error says it all; its assertions fail because the reply is missing.
  if (cell.error === undefined) for (const a of cell.assertions) if (!a.pass) parts.push(field(a.reason));
  if (cell.error)
    parts.push(
      `${cell.status === 'stopped' ? 'stopped' : 'error'}: ${field(message(cell.error.message))}${cell.error.serverMessage ? ` (server said: ${field(message(cell.error.serverMessage))})` : ''}`,
    );
  if (cell.status === 'cancelled') parts.push('cancelled');
  return parts.length > 0 ? `  — ${parts.join('; ')}` : '';
}

function voteLine(votes: VoteSummary): string {
  const buckets = votes.buckets.map(
    (b) =>
      `${field(b.answer)} ×${b.count} (${pct(b.frequency)}${b.modelProbability !== undefined ? `, model p=${b.modelProbability.toFixed(2)}` : ''})`,
  );
  if (votes.missing > 0) buckets.push(`no answer ×${votes.missing}`);
  return `votes: ${buckets.join(' · ')} → ${votes.majority === undefined ? '–' : field(votes.majority)}${votes.tie ? ' (tie)' : ''}, agreement ${pct(votes.agreement)}`;
}

function pct(value: number): string {
  return `${Math.round(value * 100)}%`;
}

/** A reply on one table line: whitespace folded, cut to `max`, control characters shown. */
function oneLine(text: unknown, max = 100): string {
  const flat = field(asDisplayText(text).replace(/\s+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function jsonDocument(
  result: ComparisonResult,
  summary: ComparisonSummary,
  problems: RowProblem[],
  testsFile: string | undefined,
  exitCode: number,
): unknown {
  return {
    id: result.id,
    file: result.file,
    status: result.status,
    exitCode,
    samples: result.samples,
    temperature: result.temperature ?? null,
    seed: result.seed ?? null,
    tests: testsFile ?? null,
    problems,
    variants: result.variants,
    models: result.models,
    columns: summary.columns.map((c) => ({
      ...c,
      metrics: Object.fromEntries(METRICS.map((m) => [m, numberOrNull(c.metrics[m])])),
      label: columnLabel(c, result),
    })),
    cases: result.cases.map((testCase) => ({
      id: testCase.id,
      line: testCase.line,
      inputs: testCase.inputs,
      expect: testCase.expect,
      same: summary.rows.find((r) => r.caseId === testCase.id)?.same ?? false,
      cells: result.cells
        .filter((c) => c.caseId === testCase.id)
        .map((c) => ({
          id: c.id,
          column: c.column,
          sample: c.sample,
          status: c.status,
          content: c.content,
          answer: c.answer ?? null,
          answerProbability: numberOrNull(c.answerProbability),
          seed: c.seed ?? null,
          tokens: c.tokenCount,
          meanLogprob: numberOrNull(c.meanLogprob),
          stats: statsJson(c.stats),
          error: c.error === undefined ? null : errorJson(c.error),
          runId: c.runId ?? null,
          assertions: c.assertions,
        })),
      votes: summary.votes
        .filter((v) => v.caseId === testCase.id)
        .map((v) => ({
          column: v.column,
          ...v.votes,
          buckets: v.votes.buckets.map((b) => ({ ...b, modelProbability: numberOrNull(b.modelProbability) })),
          majority: v.votes.majority ?? null,
          calibrationGap: numberOrNull(v.calibrationGap),
        })),
    })),
  };
}
