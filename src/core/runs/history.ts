/**
 * Run history on disk, in a folder the caller names (the host uses `.promptscope/runs/` in the
 * workspace so the CLI and the editor share it).
 *
 * Layout, one run per pair of files:
 * - `<id>.jsonl` — line 1 the header (`"type":"header"`: file, inputs, endpoint, model, rendered
 *   request), then one RunEvent per line (eventCodec.ts; tokens as compact arrays) appended as it
 *   streams, so a crash or kill keeps every token received; a truncated last line is tolerated.
 * - `<id>.meta.json` — a RunSummary, written when the run starts and when it ends; listing reads
 *   only these.
 * Ids sort by start time. Which runs are kept is retention.ts's rule (entries by count, bytes and
 * age; a comparison's runs are one entry), applied after each run.
 *
 * Reading never writes: listing and loading work on a read-only or full disk. A run left
 * "running" by a dead process is shown as interrupted; saving that repair happens on the write
 * path (after a run finishes) and is skipped and logged when it cannot be written.
 */
import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../providers/events';
import { LineAppender } from './appender';
import { decodeEvent, encodeEvent, EventDecodeError } from './eventCodec';
import { RunAccumulator, type RunHeader, type RunRecord, type RunSummary } from './record';
import { DEFAULT_RETENTION, entriesToDelete, retentionEntries, type RetainedRun, type RetentionLimits } from './retention';

/** The file-system calls the history makes (node:fs/promises by default; tests inject failures). */
export type HistoryFs = Pick<typeof nodeFs, 'mkdir' | 'open' | 'readdir' | 'readFile' | 'rm' | 'stat' | 'writeFile' | 'rename'>;

export interface RunHistoryOptions {
  /** Entries kept (a run, or a whole comparison); older ones are deleted after each run. Default 500. */
  maxRuns?: number;
  /** Bytes the kept entries may take. Default 1 GiB. */
  maxBytes?: number;
  /** Entries older than this are deleted. Default 180. */
  maxAgeDays?: number;
  fs?: HistoryFs;
  /** Where skipped repairs and cleanups are reported. */
  log?: (message: string) => void;
}

/** A saved comparison beside the runs (compare/record.ts); deleted with its runs. */
const COMPARISON_SUFFIX = '.comparison.json';

const META = '.meta.json';
const EVENTS = '.jsonl';
/** A run whose event file changed this recently may still be streaming in another process (the CLI). */
const LIVE_WINDOW_MS = 30_000;
const INTERRUPTED =
  'Interrupted: the run never finished (the editor or CLI was closed or crashed). The output received before that is kept.';

export class RunHistoryError extends Error {
  override name = 'RunHistoryError';
}

/** Writes one run: events go to disk as they are appended. */
export class RunWriter {
  readonly accumulator: RunAccumulator;
  private closed = false;

  constructor(
    private readonly history: RunHistory,
    private readonly appender: LineAppender,
    header: RunHeader,
    keepEvents: boolean,
  ) {
    this.accumulator = new RunAccumulator(header, keepEvents);
  }

  get id(): string {
    return this.accumulator.header.id;
  }

  /** The first disk error, if writing failed; the run itself goes on. */
  get error(): Error | undefined {
    return this.appender.error;
  }

  append(event: RunEvent): void {
    this.accumulator.apply(event);
    this.appender.append(`${encodeEvent(event)}\n`);
  }

  /** Flushes events, writes the final summary and prunes old runs. Rejects on a disk error. */
  async finish(): Promise<RunSummary> {
    if (this.closed) return this.accumulator.summary();
    this.closed = true;
    this.accumulator.finish();
    try {
      await this.appender.close();
    } finally {
      this.history.released(this.id);
    }
    const summary = this.accumulator.summary();
    await this.history.writeSummary(summary);
    await this.history.prune();
    // A good moment to save repairs of runs other processes left behind: we are writing anyway.
    await this.history.repair();
    return summary;
  }
}

export class RunHistory {
  private readonly limits: RetentionLimits;
  private readonly active = new Set<string>();
  private readonly fs: HistoryFs;
  private readonly log: (message: string) => void;
  /** Retention facts of finished runs (they no longer change), so pruning reads each summary once. */
  private readonly finished = new Map<string, RetainedRun>();

  constructor(
    readonly folder: string,
    options: RunHistoryOptions = {},
  ) {
    this.limits = {
      maxEntries: Math.max(1, options.maxRuns ?? DEFAULT_RETENTION.maxEntries),
      maxBytes: options.maxBytes ?? DEFAULT_RETENTION.maxBytes,
      maxAgeDays: options.maxAgeDays ?? DEFAULT_RETENTION.maxAgeDays,
    };
    this.fs = options.fs ?? nodeFs;
    this.log = options.log ?? (() => undefined);
  }

  /** Creates the run's files and returns a writer for its events. */
  async begin(header: RunHeader, options: { keepEvents?: boolean } = {}): Promise<RunWriter> {
    await this.fs.mkdir(this.folder, { recursive: true });
    const handle = await this.fs.open(this.eventsPath(header.id), 'a');
    const appender = new LineAppender(handle);
    appender.append(`${JSON.stringify(header)}\n`);
    const writer = new RunWriter(this, appender, header, options.keepEvents ?? false);
    try {
      await this.writeSummary(writer.accumulator.summary());
    } catch (error) {
      await appender.close();
      throw error;
    }
    this.active.add(header.id);
    return writer;
  }

  /**
   * Newest first. Runs left "running" by a dead process are reported as interrupted errors (in
   * the list only: nothing is written). A run whose events cannot be read is listed as it was.
   */
  async list(): Promise<RunSummary[]> {
    const names = await this.names();
    const summaries: RunSummary[] = [];
    for (const id of names.reverse()) {
      const summary = await this.readSummary(id);
      if (summary !== undefined) summaries.push(await this.settle(summary));
    }
    return summaries;
  }

  /**
   * Saves the interrupted status of runs left "running" by a dead process. A summary that cannot
   * be written (read-only or full disk) is skipped and logged; this never throws.
   */
  async repair(): Promise<{ repaired: string[]; skipped: string[] }> {
    const repaired: string[] = [];
    const skipped: string[] = [];
    let names: string[];
    try {
      names = await this.names();
    } catch (error) {
      this.log(`Run history ${this.folder}: not repaired, the folder cannot be read (${(error as Error).message})`);
      return { repaired, skipped };
    }
    for (const id of names) {
      if (this.finished.has(id)) continue;
      const summary = await this.readSummary(id);
      if (summary === undefined) continue;
      const healed = await this.settle(summary);
      if (healed === summary) continue;
      try {
        await this.writeSummary(healed);
        repaired.push(id);
      } catch (error) {
        skipped.push(id);
        this.log(`Run ${id}: its interrupted status was not saved (${(error as Error).message}); it is still shown as interrupted`);
      }
    }
    return { repaired, skipped };
  }

  /** Rebuilds a run from its event file (the source of truth). */
  async load(id: string): Promise<RunRecord> {
    return (await this.replay(id)).record();
  }

  async delete(id: string): Promise<void> {
    assertId(id);
    await this.fs.rm(this.eventsPath(id), { force: true });
    await this.fs.rm(this.metaPath(id), { force: true });
    this.finished.delete(id);
  }

  /** Deletes what retention.ts's rule does not keep; returns the deleted run ids. */
  async prune(): Promise<string[]> {
    const names = await this.names();
    const runs: RetainedRun[] = [];
    for (const id of names) {
      const run = this.finished.get(id) ?? (await this.retained(id));
      if (run !== undefined) runs.push({ ...run, active: this.active.has(id) });
    }
    const records = new Map<string, number>();
    for (const group of new Set(runs.map((r) => r.group).filter((g): g is string => g !== undefined))) {
      records.set(group, await this.size(join(this.folder, `${group}${COMPARISON_SUFFIX}`)));
    }
    const deleted: string[] = [];
    for (const entry of entriesToDelete(retentionEntries(runs, records), this.limits, Date.now())) {
      for (const id of entry.runs) await this.delete(id);
      if (entry.group) await this.fs.rm(join(this.folder, `${entry.key}${COMPARISON_SUFFIX}`), { force: true });
      deleted.push(...entry.runs);
    }
    return deleted;
  }

  /** A run's retention facts; cached once it has finished. */
  private async retained(id: string): Promise<RetainedRun | undefined> {
    const summary = await this.readSummary(id);
    if (summary === undefined) return undefined;
    const run: RetainedRun = {
      id,
      group: summary.group,
      startedAt: summary.startedAt,
      bytes: (await this.size(this.eventsPath(id))) + (await this.size(this.metaPath(id))),
      active: false,
    };
    if (summary.status !== 'running') this.finished.set(id, run);
    return run;
  }

  private async size(file: string): Promise<number> {
    try {
      return (await this.fs.stat(file)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
  }

  /** @internal used by RunWriter */
  async writeSummary(summary: RunSummary): Promise<void> {
    // Write-then-rename so a reader never sees half a summary.
    const target = this.metaPath(summary.id);
    const temp = `${target}.tmp`;
    try {
      await this.fs.writeFile(temp, JSON.stringify(summary));
      await this.fs.rename(temp, target);
    } catch (error) {
      // A full disk can leave half a temporary file; it must not linger.
      await this.fs
        .rm(temp, { force: true })
        .catch((cleanup: Error) => this.log(`Run ${summary.id}: ${temp} was not removed (${cleanup.message})`));
      throw error;
    }
  }

  /** @internal used by RunWriter */
  released(id: string): void {
    this.active.delete(id);
  }

  /** A summary left "running" by a dead process, rebuilt from its events (in memory only). */
  private async settle(summary: RunSummary): Promise<RunSummary> {
    if (summary.status !== 'running' || (await this.isLive(summary.id))) return summary;
    try {
      return (await this.replay(summary.id)).summary();
    } catch (error) {
      if (!(error instanceof RunHistoryError)) throw error;
      // Events unreadable: still say it never finished, with the reason.
      this.log(`Run ${summary.id}: ${error.message}`);
      return { ...summary, status: 'error', errorKind: 'stream-cut', errorMessage: `${INTERRUPTED} (${error.message})` };
    }
  }

  private async replay(id: string): Promise<RunAccumulator> {
    assertId(id);
    let text: string;
    try {
      text = await this.fs.readFile(this.eventsPath(id), 'utf8');
    } catch (error) {
      throw new RunHistoryError(`Run ${id} is not in ${this.folder}: ${(error as Error).message}`);
    }
    const lines = text.split('\n');
    const header = parseLine(lines[0] ?? '');
    if (!isHeader(header)) throw new RunHistoryError(`Run ${id} has no readable header`);
    const accumulator = new RunAccumulator(header);
    for (let i = 1; i < lines.length; i += 1) {
      const line = lines[i] as string;
      if (line === '') continue;
      let event: RunEvent;
      try {
        event = decodeEvent(line);
      } catch (error) {
        // Only the last line can be cut short by a crash; skip it rather than lose the run.
        if (error instanceof EventDecodeError && i === lines.length - 1) continue;
        throw new RunHistoryError(`Run ${id}: line ${i + 1} is not an event (${(error as Error).message})`);
      }
      accumulator.apply(event);
    }
    if (accumulator.currentStatus === 'running' && !(await this.isLive(id))) {
      const summary = await this.readSummary(id);
      const info = await this.fs.stat(this.eventsPath(id));
      accumulator.finish(summary?.finishedAt ? new Date(summary.finishedAt) : info.mtime, INTERRUPTED);
    } else if (accumulator.currentStatus !== 'running') {
      const summary = await this.readSummary(id);
      accumulator.finish(summary?.finishedAt ? new Date(summary.finishedAt) : new Date());
    }
    return accumulator;
  }

  private async isLive(id: string): Promise<boolean> {
    if (this.active.has(id)) return true;
    try {
      const info = await this.fs.stat(this.eventsPath(id));
      return Date.now() - info.mtimeMs < LIVE_WINDOW_MS;
    } catch {
      return false; // no event file: nothing is being written
    }
  }

  private async readSummary(id: string): Promise<RunSummary | undefined> {
    try {
      return JSON.parse(await this.fs.readFile(this.metaPath(id), 'utf8')) as RunSummary;
    } catch {
      return undefined; // deleted meanwhile, or cut short by a crash: the run is skipped in lists
    }
  }

  /** Run ids, oldest first. */
  private async names(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await this.fs.readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .filter((name) => name.endsWith(META))
      .map((name) => name.slice(0, -META.length))
      .sort();
  }

  private eventsPath(id: string): string {
    return join(this.folder, `${id}${EVENTS}`);
  }

  private metaPath(id: string): string {
    return join(this.folder, `${id}${META}`);
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

function isHeader(value: unknown): value is RunHeader {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'header';
}

/** Ids come from callers (a History view, the CLI); keep them from naming other paths. */
function assertId(id: string): void {
  if (!/^[0-9A-Za-z-]+$/.test(id)) throw new RunHistoryError(`"${id}" is not a run id`);
}
