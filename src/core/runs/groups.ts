import type { RunSummary } from './record';

/** Runs that belong together in the History view: one prompt file's, or one comparison's. */
export type RunGroup = { kind: 'file'; file: string; runs: RunSummary[] } | { kind: 'comparison'; group: string; runs: RunSummary[] };

/**
 * Groups runs, newest first: each comparison on its own (its runs belong together) and every
 * other run under the prompt file it came from; groups are ordered by their newest run.
 */
export function groupRuns(runs: readonly RunSummary[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const run of runs) {
    const key = run.group !== undefined ? `comparison:${run.group}` : `file:${run.file ?? ''}`;
    let node = groups.get(key);
    if (!node) {
      node =
        run.group !== undefined ? { kind: 'comparison', group: run.group, runs: [] } : { kind: 'file', file: run.file ?? '', runs: [] };
      groups.set(key, node);
    }
    node.runs.push(run);
  }
  for (const node of groups.values()) node.runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const newest = (node: RunGroup): string => node.runs[0]?.startedAt ?? '';
  return [...groups.values()].sort((a, b) => newest(b).localeCompare(newest(a)));
}
