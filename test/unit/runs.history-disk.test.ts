/**
 * Run history on a disk that refuses writes (read-only or full) and its retention rule: listing
 * never writes, a repair that cannot be saved is skipped and logged, and a large comparison
 * cannot evict the older runs. Write failures are injected through the history's file-system
 * layer, so they happen even when the tests run as root (where chmod does not stop writes).
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OllamaProvider } from '../../src/core/providers/ollama';
import { RunHistory, type HistoryFs } from '../../src/core/runs/history';
import { createHeader, type RunInfo } from '../../src/core/runs/record';
import { entriesToDelete, retentionEntries, type RetainedRun } from '../../src/core/runs/retention';
import { executeRun } from '../../src/core/runs/runner';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import type { FakeServer } from '../fixtures/servers/http';
import { request } from '../fixtures/servers/runHelpers';

function failing(code: 'EROFS' | 'ENOSPC'): HistoryFs & { attempts: string[] } {
  const attempts: string[] = [];
  const refuse = (what: string, file: unknown): never => {
    attempts.push(`${what} ${String(file)}`);
    throw Object.assign(
      new Error(`${code}: ${code === 'EROFS' ? 'read-only file system' : 'no space left on device'}, ${what} '${String(file)}'`),
      { code },
    );
  };
  return {
    ...nodeFs,
    attempts,
    mkdir: (async (file: string) => refuse('mkdir', file)) as HistoryFs['mkdir'],
    open: (async (file: string) => refuse('open', file)) as HistoryFs['open'],
    rename: async (from) => refuse('rename', from),
    rm: async (file) => refuse('rm', file),
    // A full disk takes part of the file before it refuses the rest.
    writeFile: (async (file: string, data: string) => {
      if (code === 'ENOSPC') await nodeFs.writeFile(file, data.slice(0, 5));
      return refuse('write', file);
    }) as HistoryFs['writeFile'],
  };
}

describe('run history on a read-only or full disk', () => {
  let fake: FakeServer;
  let folder: string;
  let headerId: string;
  const info: RunInfo = { file: 'p.prompt', endpoint: { name: 'ollama', kind: 'ollama', url: 'http://127.0.0.1:9' } };

  beforeEach(async () => {
    folder = await nodeFs.mkdtemp(join(tmpdir(), 'promptscope-history-ro-'));
    // A run that a dead process left "running": events with no end, old enough not to be live.
    const history = new RunHistory(folder);
    const header = createHeader(info, request('tiny'));
    headerId = header.id;
    const writer = await history.begin(header);
    writer.append({ type: 'token', text: 'Kept', channel: 'content', msSinceStart: 5, logprob: -0.1 });
    await (writer as unknown as { appender: { close(): Promise<void> } }).appender.close();
    const past = new Date(Date.now() - 120_000);
    await nodeFs.utimes(join(folder, `${header.id}.jsonl`), past, past);
  });
  after(() => fake?.close());
  before(async () => {
    fake = await startOllamaFake();
  });

  for (const code of ['EROFS', 'ENOSPC'] as const) {
    it(`${code}: listing works, shows the run as interrupted and writes nothing; the repair is skipped and logged`, async () => {
      const fs = failing(code);
      const logged: string[] = [];
      const history = new RunHistory(folder, { fs, log: (m) => logged.push(m) });
      const [summary] = await history.list();
      assert.equal(summary?.status, 'error');
      assert.equal(summary?.preview, 'Kept');
      assert.match(summary?.errorMessage ?? '', /Interrupted/);
      assert.deepEqual(fs.attempts, [], 'listing tried to write');
      assert.equal((await history.load(headerId)).status, 'error');
      assert.deepEqual(fs.attempts, [], 'loading tried to write');

      const outcome = await history.repair();
      assert.deepEqual(outcome, { repaired: [], skipped: [headerId] });
      assert.match(logged.join('\n'), new RegExp(`Run ${headerId}: its interrupted status was not saved \\(${code}`));
      const left = (await nodeFs.readdir(folder)).sort();
      assert.deepEqual(
        left,
        [`${headerId}.jsonl`, `${headerId}.meta.json`, ...(code === 'ENOSPC' ? [`${headerId}.meta.json.tmp`] : [])],
        'the injected rm refuses too, so a cut temp file may stay',
      );
    });
  }

  it('a full disk: the cut temporary summary is removed when removing works', async () => {
    const fs = { ...failing('ENOSPC'), rm: nodeFs.rm };
    const history = new RunHistory(folder, { fs, log: () => undefined });
    assert.deepEqual((await history.repair()).skipped, [headerId]);
    assert.deepEqual((await nodeFs.readdir(folder)).sort(), [`${headerId}.jsonl`, `${headerId}.meta.json`]);
  });

  it('a run that finishes with a writable disk saves the repairs of runs left behind', async () => {
    const history = new RunHistory(folder);
    const provider = new OllamaProvider({ url: fake.url });
    await executeRun(provider, request('tiny'), { ...info, endpoint: { ...info.endpoint, url: fake.url } }, { history });
    const meta = JSON.parse(await nodeFs.readFile(join(folder, `${headerId}.meta.json`), 'utf8'));
    assert.equal(meta.status, 'error');
  });
});

describe('retention: entries by count, bytes and age; a comparison is one entry', () => {
  let fake: FakeServer;
  let folder: string;
  let provider: OllamaProvider;
  let info: RunInfo;

  before(async () => {
    fake = await startOllamaFake();
    provider = new OllamaProvider({ url: fake.url });
    info = { file: 'p.prompt', endpoint: { name: 'ollama', kind: 'ollama', url: fake.url } };
  });
  after(() => fake.close());
  beforeEach(async () => {
    folder = await nodeFs.mkdtemp(join(tmpdir(), 'promptscope-retention-'));
  });

  it('a comparison with more runs than the cap keeps the older runs, and is later deleted whole with its record', async () => {
    const history = new RunHistory(folder, { maxRuns: 3 });
    const singles: string[] = [];
    for (let i = 0; i < 2; i += 1) singles.push((await executeRun(provider, request('tiny'), info, { history })).summary.id);
    const group = 'G-comparison';
    await nodeFs.writeFile(join(folder, `${group}.comparison.json`), '{}');
    const grouped: string[] = [];
    for (let i = 0; i < 5; i += 1) grouped.push((await executeRun(provider, request('tiny'), { ...info, group }, { history })).summary.id);
    const listed = (await history.list()).map((s) => s.id);
    assert.deepEqual(listed.sort(), [...singles, ...grouped].sort(), 'the comparison evicted older runs');

    // Two newer runs: the two older single runs go; the comparison stays whole.
    const newer: string[] = [];
    for (let i = 0; i < 2; i += 1) newer.push((await executeRun(provider, request('tiny'), info, { history })).summary.id);
    assert.deepEqual((await history.list()).map((s) => s.id).sort(), [...grouped, ...newer].sort());
    // One more: the comparison is now the oldest of four entries and goes whole, with its record.
    newer.push((await executeRun(provider, request('tiny'), info, { history })).summary.id);
    assert.deepEqual((await history.list()).map((s) => s.id).sort(), [...newer].sort());
    await assert.rejects(nodeFs.stat(join(folder, `${group}.comparison.json`)), /ENOENT/);
  });

  it('bytes: the oldest entries go once the kept ones would take more than maxBytes; the newest always stays', async () => {
    const history = new RunHistory(folder, { maxBytes: 1 });
    const first = (await executeRun(provider, request('tiny'), info, { history })).summary.id;
    const second = (await executeRun(provider, request('tiny'), info, { history })).summary.id;
    assert.notEqual(first, second);
    assert.deepEqual(
      (await history.list()).map((s) => s.id),
      [second],
    );
  });

  it('the rule itself: count, bytes, age, the newest and active entries', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    const run = (id: string, day: number, bytes: number, extra: Partial<RetainedRun> = {}): RetainedRun => ({
      id,
      startedAt: new Date(now - day * 86_400_000).toISOString(),
      bytes,
      active: false,
      ...extra,
    });
    const runs = [
      run('a', 400, 10),
      run('b', 30, 10),
      run('c1', 2, 10, { group: 'c' }),
      run('c2', 1, 10, { group: 'c' }),
      run('d', 0.5, 10),
      run('e', 40, 10, { active: true }),
    ];
    const entries = retentionEntries(runs, new Map([['c', 5]]));
    assert.deepEqual(
      entries.map((e) => [e.key, e.bytes]),
      [
        ['d', 10],
        ['c', 25],
        ['b', 10],
        ['e', 10],
        ['a', 10],
      ],
    );
    const keys = (limits: { maxEntries: number; maxBytes: number; maxAgeDays: number }): string[] =>
      entriesToDelete(entries, limits, now).map((e) => e.key);
    assert.deepEqual(keys({ maxEntries: 500, maxBytes: 1e9, maxAgeDays: 180 }), ['a'], 'age');
    assert.deepEqual(keys({ maxEntries: 2, maxBytes: 1e9, maxAgeDays: 1000 }), ['b', 'a'], 'count; the active entry stays');
    assert.deepEqual(keys({ maxEntries: 500, maxBytes: 40, maxAgeDays: 1000 }), ['b', 'a'], 'bytes: d and c take 35, b would make 45');
  });
});
