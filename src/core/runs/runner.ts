/**
 * Runs one request on a provider, records every event (to disk when a history is given) and
 * hands each event to the caller's sink. Whatever happens — error, cancel, a sink that throws —
 * the run is saved with its partial output and a final status.
 */
import type { Provider, RunEvent, RunRequest } from '../providers/events';
import type { RunHistory, RunWriter } from './history';
import { RunAccumulator, createHeader, type RunInfo, type RunRecord, type RunSummary } from './record';

export interface ExecuteRunOptions {
  history?: RunHistory;
  signal?: AbortSignal;
  /** Called for every event, in order, as it arrives. */
  onEvent?: (event: RunEvent) => void;
  /**
   * Also keep every event in the returned record. Default false: events go to `onEvent` and to
   * the history as they arrive, and holding 100k+ token objects until the end costs memory and
   * GC time for nothing; `history.load(id)` reads them back.
   */
  keepEvents?: boolean;
}

export interface RunResult {
  record: RunRecord;
  summary: RunSummary;
  /** Set when the run could not be saved; the run itself is unaffected. */
  historyError?: Error;
}

export async function executeRun(
  provider: Provider,
  request: RunRequest,
  info: RunInfo,
  options: ExecuteRunOptions = {},
): Promise<RunResult> {
  const header = createHeader(info, request);
  const keepEvents = options.keepEvents ?? false;
  let writer: RunWriter | undefined;
  let historyError: Error | undefined;
  if (options.history !== undefined) {
    try {
      writer = await options.history.begin(header, { keepEvents });
    } catch (error) {
      historyError = asError(error);
    }
  }
  const accumulator = writer?.accumulator ?? new RunAccumulator(header, keepEvents);
  const record = (event: RunEvent): void => (writer !== undefined ? writer.append(event) : accumulator.apply(event));

  let sinkError: Error | undefined;
  for await (const event of provider.run(request, options.signal)) {
    record(event);
    try {
      options.onEvent?.(event);
    } catch (error) {
      // Stop the run (leaving the loop closes the HTTP stream) but still save what arrived.
      sinkError = asError(error);
      break;
    }
  }
  if (sinkError !== undefined && accumulator.currentStatus === 'running') {
    record({
      type: 'error',
      kind: 'aborted',
      message: `Run stopped because showing its output failed: ${sinkError.message}`,
      stats: { wallMs: 0 },
    });
  }

  let summary: RunSummary;
  if (writer !== undefined) {
    try {
      summary = await writer.finish();
    } catch (error) {
      historyError = asError(error);
      summary = accumulator.summary();
    }
    historyError ??= writer.error;
  } else {
    accumulator.finish();
    summary = accumulator.summary();
  }
  if (sinkError !== undefined) throw sinkError;
  const result: RunResult = { record: accumulator.record(), summary };
  if (historyError !== undefined) result.historyError = historyError;
  return result;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
