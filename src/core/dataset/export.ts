/**
 * Dataset export: the prompt rendered through the `dotprompt` library (via renderPrompt) for every
 * row of a data file, each result written as one JSON line. Rows that cannot become a record are
 * collected with their line numbers; the good rows are still written, in file order.
 */
import { analyzePrompt } from '../prompt/analyze';
import type { PartialContext } from '../prompt/partials';
import { compilePrompt, PromptRenderError, type RenderData, type RenderedPrompt } from '../prompt/render';
import { planInputs, rowInputs } from './inputs';
import { buildRecord, type DatasetFormat } from './records';
import type { DataRows, RowItem, RowProblem } from './rows';

export interface ExportRequest {
  /** The `.prompt` file's text. */
  promptText: string;
  /** The prompt's absolute path, for partial cycle checks. */
  promptPath?: string;
  partials?: PartialContext | undefined;
  /** All rows at once, or a stream of them (streamDataRows) for files of any size. */
  rows: DataRows | AsyncIterable<RowItem>;
  format: DatasetFormat;
  /** Receives each record as one line of JSON (with its line break), in row order. */
  write: (line: string) => void | Promise<void>;
  /** Called after each row with the rows handled so far and the total (undefined for a stream). */
  onProgress?: (done: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

export interface ExportSummary {
  /** Records written. */
  records: number;
  /** Rows read from the file, good and bad (a broken CSV header counts as one). */
  rows: number;
  /** Every bad row with its line, in line order: unreadable rows, missing inputs, render errors. */
  problems: RowProblem[];
  /** Optional inputs filled from frontmatter defaults: input name → number of records. */
  defaulted: Record<string, number>;
  /** True when the signal stopped the export before every row was handled. */
  cancelled: boolean;
}

/** The prompt itself does not render (bad YAML, a template syntax error…): no row can. */
export class DatasetPromptError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'DatasetPromptError';
  }
}

export async function exportDataset(request: ExportRequest): Promise<ExportSummary> {
  const analysis = await analyzePrompt(request.promptText, {
    ...(request.partials ? { partials: request.partials } : {}),
    ...(request.promptPath ? { filePath: request.promptPath } : {}),
  });
  const plan = planInputs(analysis);
  // Compiled once for every row: a fresh Handlebars environment per row made memory grow with the file.
  let render: (data: RenderData) => Promise<RenderedPrompt>;
  try {
    render = await compilePrompt(request.promptText, request.partials ? { partials: request.partials } : {});
  } catch (err) {
    if (err instanceof PromptRenderError) throw new DatasetPromptError(err.message, err.code);
    throw err;
  }
  const problems: RowProblem[] = [];
  const defaulted: Record<string, number> = {};
  const total = 'rows' in request.rows ? request.rows.rows.length : undefined;
  let records = 0;
  let done = 0;
  let read = 0;
  let cancelled = false;

  const items = rowItems(request.rows);
  for (;;) {
    const next = await nextUnlessAborted(items, request.signal);
    if (next === ABORTED || request.signal?.aborted) {
      cancelled = true;
      // Ends the reader once its pending read settles; nothing waits for that.
      items.return(undefined).catch(ignoreReadAfterCancel);
      break;
    }
    if (next.done === true) break;
    const item = next.value;
    read += 1;
    if (item.kind === 'problem') {
      problems.push(item.problem);
      continue;
    }
    const row = item.row;
    const prepared = rowInputs(plan, row);
    if (!prepared.ok) {
      problems.push({ line: row.line, message: prepared.message });
    } else {
      let rendered;
      try {
        rendered = await render({ input: prepared.inputs });
      } catch (err) {
        if (!(err instanceof PromptRenderError)) throw err;
        // Only 'render-failed' depends on the values; the other codes are the prompt's own.
        if (err.code !== 'render-failed') throw new DatasetPromptError(err.message, err.code);
        problems.push({ line: row.line, message: err.message });
      }
      if (rendered) {
        const record = buildRecord(rendered, prepared.output, request.format);
        if ('problem' in record) {
          problems.push({ line: row.line, message: record.problem });
        } else {
          await request.write(`${JSON.stringify(record)}\n`);
          records += 1;
          for (const name of prepared.defaulted) defaulted[name] = (defaulted[name] ?? 0) + 1;
        }
      }
    }
    done += 1;
    request.onProgress?.(done, total);
  }
  if (!cancelled && request.signal?.aborted) cancelled = true;
  problems.sort((a, b) => a.line - b.line);
  return { records, rows: read, problems, defaulted, cancelled };
}

const ABORTED = Symbol('aborted');

/**
 * The next row item, or ABORTED as soon as the signal fires: a read that waits (a slow disk, a
 * pipe) must not hold up a cancel. The listener lives for one read only. Racing every read against
 * one promise that stays pending for the whole export would leave a reaction on it per row, each
 * keeping its row alive: memory grew with the file (400 MB for a 50 MB file).
 */
function nextUnlessAborted(
  items: AsyncGenerator<RowItem>,
  signal: AbortSignal | undefined,
): Promise<IteratorResult<RowItem> | typeof ABORTED> {
  if (signal === undefined) return items.next();
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    items.next().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // After a cancel the export has already ended and written nothing more, so a read that
        // fails now (an aborted read, a closed pipe) changes no output; before it, it is the export's error.
        if (signal.aborted) ignoreReadAfterCancel(err);
        else reject(err);
      },
    );
  });
}

function ignoreReadAfterCancel(err: unknown): void {
  // Handled by design: see nextUnlessAborted.
  void err;
}

/** Rows given at once are replayed in line order, problems among them, as a stream gives them. */
async function* rowItems(rows: DataRows | AsyncIterable<RowItem>): AsyncGenerator<RowItem> {
  if (!('rows' in rows)) {
    yield* rows;
    return;
  }
  const items: RowItem[] = [
    ...rows.problems.map((problem) => ({ kind: 'problem', problem }) as RowItem),
    ...rows.rows.map((row) => ({ kind: 'row', row }) as RowItem),
  ];
  items.sort((a, b) => (a.kind === 'row' ? a.row.line : a.problem.line) - (b.kind === 'row' ? b.row.line : b.problem.line));
  yield* items;
}

/** One line per bad row, `file:line: message`, the way compilers report. */
export function formatProblems(file: string, problems: readonly RowProblem[]): string[] {
  return problems.map((p) => `${file}${p.line > 0 ? `:${p.line}` : ''}: ${p.message}`);
}

/** The closing summary, e.g. "12 records written to out.jsonl; 2 bad rows (of 14) were not exported". */
export function summaryLine(summary: ExportSummary, destination?: string): string {
  const bad = summary.problems.length;
  const records = `${summary.records} record${summary.records === 1 ? '' : 's'} written${destination ? ` to ${destination}` : ''}`;
  const stopped = summary.cancelled ? ' before the export was cancelled' : '';
  if (bad === 0) return `${records}${stopped}; no bad rows`;
  return `${records}${stopped}; ${bad} bad row${bad === 1 ? '' : 's'} (of ${summary.rows}) ${bad === 1 ? 'was' : 'were'} not exported`;
}

/** Notes on optional inputs that frontmatter defaults filled, e.g. `"tone" from the default in 3 records`. */
export function defaultNotes(summary: ExportSummary): string[] {
  return Object.entries(summary.defaulted).map(
    ([name, count]) => `"${name}" came from the frontmatter default in ${count} record${count === 1 ? '' : 's'}`,
  );
}
