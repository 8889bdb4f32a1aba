/**
 * Runner and run history: every run is saved with its partial output and a status, whatever
 * happens; the store survives crashes, caps itself and lists/reloads runs.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OllamaProvider } from '../../src/core/providers/ollama';
import type { RunEvent } from '../../src/core/providers/events';
import { RunHistory, RunHistoryError } from '../../src/core/runs/history';
import { createHeader, type RunInfo } from '../../src/core/runs/record';
import { executeRun } from '../../src/core/runs/runner';
import { decodeEvent } from '../../src/core/runs/eventCodec';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import type { FakeServer } from '../fixtures/servers/http';
import { request } from '../fixtures/servers/runHelpers';

describe('runner + history', () => {
  let fake: FakeServer;
  let provider: OllamaProvider;
  let folder: string;
  let history: RunHistory;
  let info: RunInfo;

  before(async () => {
    fake = await startOllamaFake();
    provider = new OllamaProvider({ url: fake.url });
    info = { file: 'prompts/hello.prompt', inputs: { name: 'Ada' }, endpoint: { name: 'ollama', kind: 'ollama', url: fake.url } };
  });
  after(() => fake.close());
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'promptscope-runs-'));
    history = new RunHistory(join(folder, 'runs'), { maxRuns: 3 });
  });

  it('saves a completed run: header, every event, summary; lists and reloads it', async () => {
    const seen: RunEvent[] = [];
    const result = await executeRun(provider, request('tiny', { topLogprobs: 1 }), info, {
      history,
      keepEvents: true,
      onEvent: (e) => seen.push(e),
    });
    assert.equal(result.historyError, undefined);
    assert.equal(result.record.status, 'completed');
    assert.equal(result.record.content, 'Hello world!');
    assert.equal(result.summary.tokenCount, 3);
    assert.equal(result.summary.preview, 'Hello world!');
    assert.equal(result.summary.stats?.outputTokens, 3);
    assert.deepEqual(result.record.events, seen);

    const lines = (await readFile(join(history.folder, `${result.summary.id}.jsonl`), 'utf8')).trim().split('\n');
    const header = JSON.parse(lines[0] ?? '');
    assert.equal(header.type, 'header');
    assert.equal(header.file, 'prompts/hello.prompt');
    assert.deepEqual(header.inputs, { name: 'Ada' });
    assert.equal(header.request.messages[0].content[0].text, 'Say hello');
    assert.deepEqual(lines.slice(1).map(decodeEvent), seen);

    const listed = await history.list();
    assert.deepEqual(
      listed.map((s) => [s.id, s.status, s.model, s.file]),
      [[result.summary.id, 'completed', 'tiny', 'prompts/hello.prompt']],
    );
    const loaded = await history.load(result.summary.id);
    assert.equal(loaded.content, 'Hello world!');
    assert.equal(loaded.status, 'completed');
    assert.deepEqual(loaded.events, seen);
    assert.equal(loaded.finishedAt, result.summary.finishedAt);
  });

  it('a failed run keeps its partial output and is marked error', async () => {
    const result = await executeRun(provider, request('error-mid'), info, { history });
    assert.equal(result.summary.status, 'error');
    assert.equal(result.summary.errorKind, 'server-error');
    assert.equal((await history.load(result.summary.id)).content, 'Partial output');
    assert.equal((await history.list())[0]?.preview, 'Partial output');
  });

  it('a cancelled run is marked stopped with what arrived', async () => {
    const controller = new AbortController();
    let tokens = 0;
    const result = await executeRun(provider, request('slow'), info, {
      history,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'token' && ++tokens === 2) controller.abort();
      },
    });
    assert.equal(result.summary.status, 'stopped');
    assert.ok((await history.load(result.summary.id)).content.startsWith('t0 t1 '));
  });

  it('a sink that throws stops the run, which is still saved, and the error reaches the caller', async () => {
    const hungUp = fake.nextHangUp();
    await assert.rejects(
      executeRun(provider, request('slow'), info, {
        history,
        onEvent: (event) => {
          if (event.type === 'token') throw new Error('panel disposed');
        },
      }),
      /panel disposed/,
    );
    assert.equal(await hungUp, '/api/chat');
    const [summary] = await history.list();
    assert.equal(summary?.status, 'stopped');
    assert.match(summary?.errorMessage ?? '', /panel disposed/);
    assert.equal(summary?.tokenCount, 1);
  });

  it('does not hold events in memory unless asked', async () => {
    const result = await executeRun(provider, request('tiny'), info, { history });
    assert.deepEqual(result.record.events, []);
    assert.equal(result.record.content, 'Hello world!');
    assert.equal((await history.load(result.summary.id)).events.length, 4);
  });

  it('runs without a history, and reports (not throws) when the history cannot be written', async () => {
    const plain = await executeRun(provider, request('tiny'), info);
    assert.equal(plain.record.content, 'Hello world!');
    const blocker = join(folder, 'file');
    await writeFile(blocker, 'not a folder');
    const broken = await executeRun(provider, request('tiny'), info, { history: new RunHistory(join(blocker, 'runs')) });
    assert.equal(broken.record.status, 'completed');
    assert.match(broken.historyError?.message ?? '', /ENOTDIR|EEXIST|not a directory/);
  });

  it('keeps only the newest maxRuns runs', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await executeRun(provider, request('tiny'), info, { history })).summary.id);
    const listed = (await history.list()).map((s) => s.id);
    assert.deepEqual(listed, ids.slice(2).reverse());
    assert.equal((await readdir(history.folder)).length, 6);
  });

  it('deletes a run and refuses ids that are paths', async () => {
    const { summary } = await executeRun(provider, request('tiny'), info, { history });
    await history.delete(summary.id);
    assert.deepEqual(await history.list(), []);
    await assert.rejects(history.load('../../etc/passwd'), RunHistoryError);
    await assert.rejects(history.load(summary.id), RunHistoryError);
  });

  it('after a crash mid-run: tokens kept, a cut last line tolerated, status healed to interrupted', async () => {
    const header = createHeader(info, request('tiny'));
    const writer = await history.begin(header);
    writer.append({ type: 'token', text: 'Kept', channel: 'content', msSinceStart: 5, logprob: -0.1 });
    writer.append({ type: 'token', text: ' too', channel: 'content', msSinceStart: 6, logprob: -0.2 });
    // Simulate the process dying: the writer is never finished; the last write was cut short.
    await new Promise((resolve) => setImmediate(resolve));
    const eventsFile = join(history.folder, `${header.id}.jsonl`);
    await waitForLines(eventsFile, 3);
    await appendFile(eventsFile, '{"type":"token","te');
    const past = new Date(Date.now() - 120_000);
    await utimes(eventsFile, past, past);

    const reopened = new RunHistory(history.folder);
    const [summary] = await reopened.list();
    assert.equal(summary?.status, 'error');
    assert.equal(summary?.preview, 'Kept too');
    assert.match(summary?.errorMessage ?? '', /Interrupted/);
    const record = await reopened.load(header.id);
    assert.equal(record.content, 'Kept too');
    assert.equal(record.status, 'error');
    const metaFile = join(history.folder, `${header.id}.meta.json`);
    assert.equal(JSON.parse(await readFile(metaFile, 'utf8')).status, 'running', 'listing and loading never write');
    assert.deepEqual(await reopened.repair(), { repaired: [header.id], skipped: [] });
    assert.equal(JSON.parse(await readFile(metaFile, 'utf8')).status, 'error', 'the repair saved the healed summary');
  });

  it('lists nothing for a folder that does not exist yet', async () => {
    assert.deepEqual(await new RunHistory(join(folder, 'nope')).list(), []);
    await rm(folder, { recursive: true, force: true });
  });
});

/** Waits until the appender has written `count` lines (it writes asynchronously). */
async function waitForLines(file: string, count: number): Promise<void> {
  for (;;) {
    const text = await readFile(file, 'utf8');
    if (text.split('\n').filter(Boolean).length >= count) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
