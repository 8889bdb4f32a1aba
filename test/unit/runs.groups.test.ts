import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupRuns } from '../../src/core/runs/groups';
import type { RunSummary } from '../../src/core/runs/record';

const run = (id: string, startedAt: string, extra: Partial<RunSummary> = {}): RunSummary => ({
  id,
  startedAt,
  endpoint: 'ollama',
  model: 'tiny',
  status: 'completed',
  preview: '',
  tokenCount: 0,
  ...extra,
});

test('History groups: one per prompt file and one per comparison, newest first inside and across groups', () => {
  const groups = groupRuns([
    run('a', '2026-12-01T10:00:00Z', { file: 'a.prompt' }),
    run('b', '2026-12-01T12:00:00Z', { file: 'b.prompt' }),
    run('c1', '2026-12-01T11:00:00Z', { file: 'a.prompt', group: 'cmp-1' }),
    run('c2', '2026-12-01T11:00:01Z', { file: 'a.prompt', group: 'cmp-1' }),
    run('a2', '2026-12-01T13:00:00Z', { file: 'a.prompt' }),
    run('u', '2026-12-01T09:00:00Z'),
  ]);
  assert.deepEqual(
    groups.map((g) => (g.kind === 'file' ? `file ${g.file}` : `comparison ${g.group}`)),
    ['file a.prompt', 'file b.prompt', 'comparison cmp-1', 'file '],
  );
  assert.deepEqual(
    groups[0]!.runs.map((r) => r.id),
    ['a2', 'a'],
    'a comparison run of a.prompt stays with its comparison',
  );
  assert.deepEqual(
    groups[2]!.runs.map((r) => r.id),
    ['c2', 'c1'],
  );
});
