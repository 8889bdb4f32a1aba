// The comparison runner against loopback servers speaking Ollama's protocol: columns of
// different speeds, failing columns, the concurrency limit, cancel, samples with seeds, history.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import {
  ComparisonStore,
  runComparison,
  summarizeComparison,
  type CellResult,
  type ComparisonEnv,
  type ComparisonSpec,
} from '../../src/core/compare';
import type { EndpointConfig } from '../../src/core/providers/endpoints';
import type { RunEvent } from '../../src/core/providers/events';
import { RunHistory } from '../../src/core/runs/history';
import { startCompareFake, type CompareFake } from '../fixtures/servers/compareScripts';
import type { FakeServer } from '../fixtures/servers/http';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import { startOpenAiFake } from '../fixtures/servers/openaiFake';

let lab: CompareFake;
let ollama: FakeServer;
let vllm: FakeServer & { baseUrl: string };
let endpoints: EndpointConfig[];

const PROMPT = '---\nmodel: lab/echo\ninput:\n  schema:\n    n: string\n---\nThe answer is {{n}}.\n';

before(async () => {
  lab = await startCompareFake();
  ollama = await startOllamaFake();
  vllm = await startOpenAiFake({ flavor: 'vllm' });
  endpoints = [
    { name: 'vllm', kind: 'openai', url: vllm.baseUrl },
    { name: 'lab', kind: 'ollama', url: lab.url },
    { name: 'ollama', kind: 'ollama', url: ollama.url },
  ];
});

after(async () => {
  await lab.close();
  await ollama.close();
  await vllm.close();
});

function spec(models: string[], extra: Partial<ComparisonSpec> = {}): ComparisonSpec {
  return {
    file: 'q.prompt',
    variants: [{ id: 'q', file: '/w/q.prompt', text: PROMPT }],
    models,
    cases: [
      { id: 'one', line: 1, inputs: { n: '1' }, expect: { answer: '1' } },
      { id: 'two', line: 2, inputs: { n: '2' }, expect: { answer: '2' } },
    ],
    ...extra,
  };
}

interface Recorder {
  env: ComparisonEnv;
  events: Map<string, RunEvent[]>;
  states: { id: string; status: CellResult['status'] }[];
}

function recorder(extra: Partial<ComparisonEnv> = {}): Recorder {
  const events = new Map<string, RunEvent[]>();
  const states: Recorder['states'] = [];
  return {
    events,
    states,
    env: {
      endpoints,
      onEvent: (id, event) => events.set(id, [...(events.get(id) ?? []), event]),
      onCell: (cell) => states.push({ id: cell.id, status: cell.status }),
      ...extra,
    },
  };
}

test('columns of different speeds, a mid-stream failure and a missing model: the failures never stop the others', async () => {
  const rec = recorder();
  const models = ['lab/echo', 'lab/paced-15', 'ollama/error-mid', 'lab/no-such-model', 'lab/fail-3', 'vllm/tiny'];
  const result = await runComparison(spec(models, { concurrency: 3 }), rec.env);
  const byColumn = (model: string): CellResult[] => result.cells.filter((c) => c.model === model);

  for (const model of ['lab/echo', 'lab/paced-15']) {
    assert.deepEqual(
      byColumn(model).map((c) => [c.status, c.content, c.answer]),
      [
        ['completed', 'The answer is 1.', '1'],
        ['completed', 'The answer is 2.', '2'],
      ],
      model,
    );
    assert.ok(byColumn(model).every((c) => c.assertions.every((a) => a.pass)));
  }
  const midStream = byColumn('ollama/error-mid');
  assert.deepEqual(
    midStream.map((c) => [c.status, c.content]),
    [
      ['error', 'Partial output'],
      ['error', 'Partial output'],
    ],
    'partial output kept, and the next case still ran',
  );
  assert.match(midStream[0]!.error!.serverMessage ?? '', /error was encountered/);
  const failing = byColumn('lab/fail-3');
  assert.equal(failing[0]!.content, 'The answer is');
  assert.deepEqual(
    failing[0]!.assertions.map((a) => [a.kind, a.pass]),
    [
      ['run', false],
      ['answer', false],
    ],
  );

  const missing = byColumn('lab/no-such-model');
  assert.equal(missing[0]!.error!.kind, 'model-not-found');
  assert.equal(missing[1]!.error!.kind, 'skipped', 'a missing model is not asked again for every case');
  assert.match(missing[1]!.error!.message, /Not run: an earlier cell of this column failed/);
  assert.equal(missing[1]!.assertions[0]!.pass, false, 'a skipped case with expectations fails');
  assert.equal(lab.requests.filter((r) => (r.body as { model?: string } | undefined)?.model === 'no-such-model').length, 1);

  // Every cell that ran streamed its events under its own id and ended with exactly one terminal event.
  for (const cell of result.cells.filter((c) => c.error?.kind !== 'skipped')) {
    const events = rec.events.get(cell.id) ?? [];
    const terminals = events.filter((e) => e.type === 'done' || e.type === 'error');
    assert.equal(terminals.length, 1, cell.id);
    assert.equal(events[events.length - 1], terminals[0]);
    assert.equal(
      events
        .filter((e) => e.type === 'token')
        .map((e) => (e.type === 'token' ? e.text : ''))
        .join(''),
      cell.content,
    );
  }
  // Every cell was announced as queued before anything ran.
  const firstRunning = rec.states.findIndex((s) => s.status === 'running');
  assert.equal(rec.states.slice(0, firstRunning).filter((s) => s.status === 'queued').length, result.cells.length);

  // An OpenAI-compatible server is one more column: tokens with probabilities, the same way.
  const openai = byColumn('vllm/tiny');
  assert.deepEqual(
    openai.map((c) => c.content),
    ['Hello world!', 'Hello world!'],
  );
  assert.ok(openai[0]!.meanLogprob! < 0);

  const summary = summarizeComparison(result);
  assert.deepEqual(
    summary.columns.map((c) => [c.model, c.completed, c.errors]),
    [
      ['lab/echo', 2, 0],
      ['lab/paced-15', 2, 0],
      ['ollama/error-mid', 0, 2],
      ['lab/no-such-model', 0, 2],
      ['lab/fail-3', 0, 2],
      ['vllm/tiny', 2, 0],
    ],
  );
  const echo = summary.columns[0]!;
  const paced = summary.columns[1]!;
  assert.ok(echo.metrics.tokensPerSecond! > paced.metrics.tokensPerSecond!, 'the paced model is slower');
  assert.ok(!paced.best.includes('tokensPerSecond'));
  assert.equal(summary.rows[0]!.same, false);
});

test('concurrency 1 streams one column at a time, in column order; concurrency 2 overlaps two', async () => {
  lab.maxActive = 0;
  const rec = recorder();
  const result = await runComparison(spec(['lab/paced-5', 'lab/echo', 'lab/paced-10']), rec.env);
  assert.equal(lab.maxActive, 1);
  const running = rec.states.filter((s) => s.status === 'running').map((s) => s.id.split('/')[0]);
  assert.deepEqual(running, ['c0', 'c0', 'c1', 'c1', 'c2', 'c2']);
  // While c0 ran, the others were still queued.
  const c0Done = rec.states.findIndex((s) => s.id === 'c0/r1/s0' && s.status === 'completed');
  assert.ok(!rec.states.slice(0, c0Done).some((s) => s.id.startsWith('c1') && s.status !== 'queued'));
  assert.ok(result.cells.every((c) => c.status === 'completed'));

  lab.maxActive = 0;
  await runComparison(spec(['lab/paced-20', 'lab/paced-25'], { concurrency: 2 }), recorder().env);
  assert.equal(lab.maxActive, 2);
});

test('cancel stops the running cell, keeps its partial output and every finished cell, and marks the queue', async () => {
  const controller = new AbortController();
  const long = {
    ...spec(['lab/echo', 'lab/paced-30', 'lab/echo']),
    variants: [
      {
        id: 'q',
        file: '/w/q.prompt',
        text: '---\ninput:\n  schema:\n    n: string\n---\nThe answer is {{n}} and then many more words follow here so the stream lasts long.\n',
      },
    ],
  };
  long.models = ['lab/echo', 'lab/paced-30', 'lab/fail-1'];
  let tokens = 0;
  const rec = recorder({
    signal: controller.signal,
    onEvent: (id, event) => {
      if (id.startsWith('c1/') && event.type === 'token' && ++tokens === 3) controller.abort();
    },
  });
  const result = await runComparison(long, rec.env);
  assert.equal(result.status, 'stopped');
  assert.deepEqual(
    result.cells.map((c) => c.status),
    ['completed', 'completed', 'stopped', 'cancelled', 'cancelled', 'cancelled'],
  );
  const stopped = result.cells[2]!;
  assert.equal(stopped.content, 'The answer is', 'the tokens that arrived before cancel are kept');
  assert.equal(stopped.error!.kind, 'aborted');
  assert.equal(result.cells[0]!.answer, '1 and then many more words follow here so the stream lasts long');
  assert.equal(rec.states.filter((s) => s.status === 'cancelled').length, 3);
});

test("samples: seed + i per sample, votes and the model's own answer probabilities; temperature 0 agrees", async () => {
  const sampled = await runComparison(
    spec(['lab/vote'], { samples: 5, seed: 0, temperature: 0.7, cases: [{ id: 'q', line: 0, inputs: { n: 'x' }, expect: {} }] }),
    recorder().env,
  );
  assert.deepEqual(
    sampled.cells.map((c) => c.answer),
    ['42', '42', '41', '42', '43'],
  );
  assert.deepEqual(
    sampled.cells.map((c) => c.seed),
    [0, 1, 2, 3, 4],
  );
  const bodies = lab.requests.slice(-5).map((r) => (r.body as { options: { seed: number; temperature: number } }).options);
  assert.deepEqual(
    bodies.map((o) => [o.seed, o.temperature]),
    [
      [0, 0.7],
      [1, 0.7],
      [2, 0.7],
      [3, 0.7],
      [4, 0.7],
    ],
  );
  const votes = summarizeComparison(sampled).votes[0]!.votes;
  assert.equal(votes.majority, '42');
  assert.equal(votes.agreement, 0.6);
  assert.deepEqual(
    votes.buckets.map((b) => [b.answer, b.count, Number(b.modelProbability!.toFixed(6))]),
    [
      ['42', 3, 0.9],
      ['41', 1, 0.06],
      ['43', 1, 0.04],
    ],
  );

  const greedy = await runComparison(
    spec(['lab/vote'], { samples: 3, temperature: 0, cases: [{ id: 'q', line: 0, inputs: {}, expect: {} }] }),
    recorder().env,
  );
  assert.deepEqual(
    greedy.cells.map((c) => c.answer),
    ['42', '42', '42'],
  );
  assert.deepEqual(
    greedy.cells.map((c) => c.seed),
    [undefined, undefined, undefined],
    'no seed is invented',
  );
});

test('a bad model reference fails its column at once; a throwing display callback stops nothing and is reported', async () => {
  const reported: string[] = [];
  const result = await runComparison(spec(['googleai/gemini-2.5-flash', 'lab/echo']), {
    endpoints,
    onEvent: () => {
      throw new Error('event display broke');
    },
    onCell: () => {
      throw new Error('cell display broke');
    },
    onDisplayError: (err) => reported.push((err as Error).message),
  });
  assert.ok(reported.includes('event display broke') && reported.includes('cell display broke'), reported.join(', '));
  assert.deepEqual(
    result.cells.map((c) => [c.status, c.error?.kind]),
    [
      ['error', 'prepare'],
      ['error', 'skipped'],
      ['completed', undefined],
      ['completed', undefined],
    ],
  );
  assert.match(result.cells[0]!.error!.message, /not a configured endpoint/);
  assert.equal(result.cells[2]!.content, 'The answer is 1.');
});

test('with a history every cell is a saved run, and the comparison record reopens', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'promptscope-grid-'));
  const history = new RunHistory(dir);
  const result = await runComparison(spec(['lab/echo', 'ollama/error-mid']), { endpoints, history });
  assert.ok(result.cells.every((c) => typeof c.runId === 'string'));
  const run = await history.load(result.cells[2]!.runId!);
  assert.equal(run.content, 'Partial output');
  assert.equal(run.status, 'error');
  const store = new ComparisonStore(dir);
  await store.save(result);
  const reopened = await store.load(result.id);
  assert.deepEqual(reopened.cells, result.cells);
  assert.equal((await history.list()).length, 4, 'the record does not disturb the run history');
});
