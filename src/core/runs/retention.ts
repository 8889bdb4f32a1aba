/**
 * Which runs the history keeps. The rule (also in the README's run-history section):
 *
 * - Entries, not runs: a run on its own is one entry; a comparison (every run it made, tagged
 *   with the comparison's id as `group`, plus its saved `<id>.comparison.json`) is one entry, so
 *   a comparison is kept or deleted whole and a large one counts once against the cap.
 * - Newest entries first (an entry is as new as its newest run), an entry is kept while all of
 *   these hold: fewer than `maxEntries` newer entries are kept (default 500), the bytes of the
 *   kept entries including this one stay within `maxBytes` (default 1 GiB), and it is younger
 *   than `maxAgeDays` (default 180).
 * - Always kept: the newest entry (the run or comparison just written) and any entry with a run
 *   still being written.
 */

export interface RetentionLimits {
  maxEntries: number;
  maxBytes: number;
  maxAgeDays: number;
}

export const DEFAULT_RETENTION: RetentionLimits = { maxEntries: 500, maxBytes: 1024 ** 3, maxAgeDays: 180 };

export interface RetainedRun {
  id: string;
  /** The comparison the run belongs to. */
  group?: string | undefined;
  /** ISO time the run started. */
  startedAt: string;
  /** Bytes on disk (events and summary). */
  bytes: number;
  /** Still being written: its entry is never deleted. */
  active: boolean;
}

export interface RetentionEntry {
  /** The comparison id, or the run id of a run on its own. */
  key: string;
  runs: string[];
  /** A comparison's entry: its record file goes with its runs. */
  group: boolean;
  newest: number;
  bytes: number;
  active: boolean;
}

/** Groups runs into entries, newest first. `extraBytes` adds files outside the runs (a comparison record). */
export function retentionEntries(runs: readonly RetainedRun[], extraBytes: ReadonlyMap<string, number> = new Map()): RetentionEntry[] {
  const entries = new Map<string, RetentionEntry>();
  for (const run of runs) {
    const key = run.group ?? run.id;
    let entry = entries.get(key);
    if (entry === undefined) {
      entry = {
        key,
        runs: [],
        group: run.group !== undefined,
        newest: Number.NEGATIVE_INFINITY,
        bytes: extraBytes.get(key) ?? 0,
        active: false,
      };
      entries.set(key, entry);
    }
    entry.runs.push(run.id);
    const started = Date.parse(run.startedAt);
    entry.newest = Math.max(entry.newest, Number.isFinite(started) ? started : 0);
    entry.bytes += run.bytes;
    entry.active ||= run.active;
  }
  // Ties (same millisecond) fall back to the key, which sorts by time too.
  return [...entries.values()].sort((a, b) => b.newest - a.newest || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
}

/** The entries to delete under `limits`, oldest last. */
export function entriesToDelete(entries: readonly RetentionEntry[], limits: RetentionLimits, now: number): RetentionEntry[] {
  const oldest = now - limits.maxAgeDays * 24 * 60 * 60 * 1000;
  const doomed: RetentionEntry[] = [];
  let kept = 0;
  let bytes = 0;
  entries.forEach((entry, index) => {
    const fits = kept < limits.maxEntries && bytes + entry.bytes <= limits.maxBytes && entry.newest >= oldest;
    if (fits || index === 0 || entry.active) {
      kept += 1;
      bytes += entry.bytes;
    } else {
      doomed.push(entry);
    }
  });
  return doomed;
}
