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
 * Ids sort by start time; the store keeps the newest `maxRuns` runs and deletes older ones.
 */
import { mkdir, open, readdir, readFile, rm, stat, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../providers/events';
import { LineAppender } from './appender';
import { decodeEvent, encodeEvent, EventDecodeError } from './eventCodec';
import { RunAccumulator, type RunHeader, type RunRecord, type RunSummary } from './record';

export interface RunHistoryOptions {
  /** Runs kept; older ones are deleted after each run. Default 500. */
  maxRuns?: number;
}

const META = '.meta.json';
const EVENTS = '.jsonl';
/** A run whose event file changed this recently may still be streaming in another process (the CLI). */
const LIVE_WINDOW_MS = 30_000;
const INTERRUPTED = 'Interrupted: the run never finished (the editor or CLI was closed or crashed). The output received before that is kept.';

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
    return summary;
  }
}

export class RunHistory {
  private readonly maxRuns: number;
  private readonly active = new Set<string>();

  constructor(
    readonly folder: string,
    options: RunHistoryOptions = {},
  ) {
    this.maxRuns = Math.max(1, options.maxRuns ?? 500);
  }

  /** Creates the run's files and returns a writer for its events. */
  async begin(header: RunHeader, options: { keepEvents?: boolean } = {}): Promise<RunWriter> {
    await mkdir(this.folder, { recursive: true });
    const handle = await open(this.eventsPath(header.id), 'a');
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

  /** Newest first. Runs left "running" by a dead process are reported as interrupted errors. */
  async list(): Promise<RunSummary[]> {
    const names = await this.names();
    const summaries: RunSummary[] = [];
    for (const id of names.reverse()) {
      const summary = await this.readSummary(id);
      if (summary !== undefined) summaries.push(await this.settle(summary));
    }
    return summaries;
  }

  /** Rebuilds a run from its event file (the source of truth). */
  async load(id: string): Promise<RunRecord> {
    return (await this.replay(id)).record();
  }

  async delete(id: string): Promise<void> {
    assertId(id);
    await rm(this.eventsPath(id), { force: true });
    await rm(this.metaPath(id), { force: true });
  }

  /** Deletes the oldest runs beyond `maxRuns` (never one still being written). */
  async prune(): Promise<string[]> {
    const names = await this.names();
    const excess = names.slice(0, Math.max(0, names.length - this.maxRuns)).filter((id) => !this.active.has(id));
    for (const id of excess) await this.delete(id);
    return excess;
  }

  /** @internal used by RunWriter */
  async writeSummary(summary: RunSummary): Promise<void> {
    // Write-then-rename so a reader never sees half a summary.
    const target = this.metaPath(summary.id);
    const temp = `${target}.tmp`;
    await writeFile(temp, JSON.stringify(summary));
    await rename(temp, target);
  }

  /** @internal used by RunWriter */
  released(id: string): void {
    this.active.delete(id);
  }

  /** A summary left "running" by a dead process is rebuilt from its events and saved again. */
  private async settle(summary: RunSummary): Promise<RunSummary> {
    if (summary.status !== 'running' || (await this.isLive(summary.id))) return summary;
    const healed = (await this.replay(summary.id)).summary();
    await this.writeSummary(healed);
    return healed;
  }

  private async replay(id: string): Promise<RunAccumulator> {
    assertId(id);
    let text: string;
    try {
      text = await readFile(this.eventsPath(id), 'utf8');
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
      const info = await stat(this.eventsPath(id));
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
      const info = await stat(this.eventsPath(id));
      return Date.now() - info.mtimeMs < LIVE_WINDOW_MS;
    } catch {
      return false; // no event file: nothing is being written
    }
  }

  private async readSummary(id: string): Promise<RunSummary | undefined> {
    try {
      return JSON.parse(await readFile(this.metaPath(id), 'utf8')) as RunSummary;
    } catch {
      return undefined; // deleted meanwhile, or cut short by a crash: the run is skipped in lists
    }
  }

  /** Run ids, oldest first. */
  private async names(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries.filter((name) => name.endsWith(META)).map((name) => name.slice(0, -META.length)).sort();
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
