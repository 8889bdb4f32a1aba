/**
 * Exports of a comparison grid: Markdown (a table per view, for issues and reports), CSV (one
 * row per cell, RFC 4180, for spreadsheets) and JSONL (one cell per line, for scripts).
 */
import { formatCsv } from './csv';
import type { ComparisonResult } from './grid';
import { cellMetrics, METRICS, summarizeComparison, type Metric } from './summary';
import type { CellResult, ColumnKey } from './types';

const METRIC_LABELS: Readonly<Record<Metric, string>> = {
  tokens: 'tokens',
  ttftMs: 'TTFT ms',
  tokensPerSecond: 'tokens/s',
  meanLogprob: 'mean logprob',
  length: 'length',
};

export function columnLabel(column: ColumnKey, result: Pick<ComparisonResult, 'variants'>): string {
  return result.variants.length > 1 ? `${column.variant} · ${column.model}` : column.model;
}

export function formatMetric(metric: Metric, value: number | undefined): string {
  if (value === undefined) return '–';
  if (metric === 'meanLogprob') return value.toFixed(3);
  if (metric === 'tokensPerSecond') return value.toFixed(1);
  return String(Math.round(value));
}

export function toMarkdown(result: ComparisonResult): string {
  const summary = summarizeComparison(result);
  const labels = result.columns.map((c) => columnLabel(c, result));
  const lines: string[] = [
    `# Comparison of ${result.file}`,
    '',
    `${result.startedAt} · ${result.columns.length} columns × ${result.cases.length} cases${result.samples > 1 ? ` × ${result.samples} samples` : ''}${result.temperature !== undefined ? ` · temperature ${result.temperature}` : ''}${result.status === 'stopped' ? ' · stopped' : ''}`,
    '',
  ];

  lines.push(`| case | ${labels.map(md).join(' | ')} |`, `| --- | ${labels.map(() => '---').join(' | ')} |`);
  for (const testCase of result.cases) {
    const cells = result.columns.map((column) => {
      const first = result.cells.filter((c) => c.column === column.id && c.caseId === testCase.id);
      return first.map(cellMarkdown).join('<br>―<br>');
    });
    lines.push(`| ${md(testCase.id)} | ${cells.join(' | ')} |`);
  }

  lines.push('', '## Summary', '', `| | ${labels.map(md).join(' | ')} |`, `| --- | ${labels.map(() => '---:').join(' | ')} |`);
  for (const metric of METRICS) {
    const values = summary.columns.map((c) => {
      const text = formatMetric(metric, c.metrics[metric]);
      return c.best.includes(metric) ? `**${text}**` : text;
    });
    lines.push(`| ${METRIC_LABELS[metric]} | ${values.join(' | ')} |`);
  }
  if (summary.columns.some((c) => c.casesChecked > 0))
    lines.push(`| passed | ${summary.columns.map((c) => `${c.casesPassed}/${c.casesChecked}`).join(' | ')} |`);
  lines.push(`| errors | ${summary.columns.map((c) => String(c.errors)).join(' | ')} |`);

  if (result.samples > 1) {
    lines.push(
      '',
      '## Votes',
      '',
      '| case | column | majority | agreement | answer: votes (frequency / model probability) |',
      '| --- | --- | --- | ---: | --- |',
    );
    for (const entry of summary.votes) {
      const column = result.columns.find((c) => c.id === entry.column)!;
      const { votes } = entry;
      const buckets = votes.buckets.map(
        (b) => `${md(b.answer)}: ${b.count} (${pct(b.frequency)} / ${b.modelProbability === undefined ? '–' : pct(b.modelProbability)})`,
      );
      if (votes.missing > 0) buckets.push(`no answer: ${votes.missing}`);
      lines.push(
        `| ${md(entry.caseId)} | ${md(columnLabel(column, result))} | ${md(votes.majority ?? '–')}${votes.tie ? ' (tie)' : ''} | ${pct(votes.agreement)} | ${buckets.join('; ')} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function cellMarkdown(cell: CellResult): string {
  const parts: string[] = [];
  const checks = cell.assertions;
  if (checks.length > 0)
    parts.push(
      checks.every((a) => a.pass)
        ? '✅'
        : `❌ ${checks
            .filter((a) => !a.pass)
            .map((a) => a.reason)
            .join('; ')}`,
    );
  if (cell.error) parts.push(`⚠ ${cell.error.message}`);
  if (cell.status === 'cancelled') parts.push('(cancelled)');
  if (cell.content !== '') parts.push(cell.content);
  return md(parts.join('\n'));
}

/** Escapes a value for a Markdown table cell: pipes, HTML and line breaks. */
function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, '<br>');
}

function pct(value: number): string {
  return `${Math.round(value * 100)}%`;
}

const CELL_FIELDS = [
  'column',
  'variant',
  'model',
  'case',
  'sample',
  'status',
  'answer',
  'answer probability',
  'passed',
  'failed',
  'failures',
  ...METRICS.map((m) => METRIC_LABELS[m]),
  'error',
  'content',
];

export function toCsv(result: ComparisonResult): string {
  const rows: string[][] = [CELL_FIELDS];
  for (const cell of result.cells) {
    const metrics = cellMetrics(cell);
    rows.push([
      cell.column,
      cell.variant,
      cell.model,
      cell.caseId,
      String(cell.sample),
      cell.status,
      cell.answer ?? '',
      cell.answerProbability === undefined ? '' : cell.answerProbability.toFixed(4),
      String(cell.assertions.filter((a) => a.pass).length),
      String(cell.assertions.filter((a) => !a.pass).length),
      cell.assertions
        .filter((a) => !a.pass)
        .map((a) => `${a.kind}: ${a.reason}`)
        .join('; '),
      ...METRICS.map((m) => (metrics[m] === undefined ? '' : String(metrics[m]))),
      cell.error?.message ?? '',
      cell.content,
    ]);
  }
  return formatCsv(rows);
}

export function toJsonl(result: ComparisonResult): string {
  const inputs = new Map(result.cases.map((c) => [c.id, c.inputs]));
  return result.cells
    .map((cell) => JSON.stringify({ comparison: result.id, ...cell, inputs: inputs.get(cell.caseId) ?? {}, metrics: cellMetrics(cell) }))
    .join('\n')
    .concat(result.cells.length > 0 ? '\n' : '');
}
