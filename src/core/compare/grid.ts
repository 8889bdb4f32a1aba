/**
 * The comparison runner: a grid of prompt variants × models (the columns) × test cases (the
 * rows) × samples. Columns stream in parallel up to a concurrency limit (default 1, right for one
 * local GPU: Ollama would queue parallel requests anyway); within a column cells run in order,
 * and columns of the same model are adjacent so a local server swaps models as little as
 * possible. Every event reaches the caller tagged with its cell id.
 *
 * Failures stay in their cell: a render error, a missing model or a mid-stream error marks that
 * cell (keeping its partial output) and the others go on. When the failure would repeat for every
 * later cell of the column (model missing, server unreachable, bad model reference), those cells
 * are marked `skipped` instead of being run. Cancelling stops the running cells (their output is
 * kept) and marks the queued ones `cancelled`.
 */
import { prepareRun, type PreparedRun } from '../execution/prepare';
import { createProvider, apiKeyFromEnv, displayUrl } from '../providers';
import { ModelRefError, type EndpointConfig } from '../providers/endpoints';
import type { Provider, RunEvent } from '../providers/events';
import type { RunDefaults } from '../providers/request';
import type { PartialContext } from '../prompt/partials';
import type { RunHistory } from '../runs/history';
import { newRunId } from '../runs/record';
import { executeRun } from '../runs/runner';
import { answerSpecFor, findAnswer, type AnswerSpec } from './answers';
import { checkExpectations } from './assertions';
import { TokenTrack } from './tokenTrack';
import type { CellError, CellResult, ColumnKey, CompareVariant, TestCase } from './types';
import { errorMessage } from '../errors';

export interface ComparisonSpec {
  /** The prompt the comparison was started from (for the record and the run history). */
  file: string;
  variants: CompareVariant[];
  /** `endpoint/model` references. */
  models: string[];
  /** At least one; a comparison without a data file has one case with the given inputs. */
  cases: TestCase[];
  /** Samples per cell (self-consistency); default 1. */
  samples?: number;
  /** Replaces the prompt's `config.temperature`. */
  temperature?: number;
  /** Sample i is sent seed + i. Without it, samples > 1 vary the prompt's own `config.seed` the same way. */
  seed?: number;
  /** Alternatives per token; default 5. */
  topLogprobs?: number;
  /** Columns streaming at once; default 1. */
  concurrency?: number;
}

export interface ComparisonEnv {
  endpoints: readonly EndpointConfig[];
  /** Partials context for a variant's file. */
  partialsFor?: (file: string) => PartialContext | undefined;
  /** One provider per endpoint; default `createProvider` with the endpoint's API key from the environment. */
  providerFor?: (endpoint: EndpointConfig) => Provider;
  history?: RunHistory;
  signal?: AbortSignal;
  /** Every event of every cell, as it arrives. */
  onEvent?: (cellId: string, event: RunEvent) => void;
  /** A cell changed state (queued → running → completed/error/stopped/cancelled) or finished. */
  onCell?: (cell: Readonly<CellResult>) => void;
  /** onEvent or onCell threw: the comparison goes on, and the caller logs what broke its display. */
  onDisplayError?: (error: unknown) => void;
  /** First-token timeout and keep-alive, as for single runs. */
  defaults?: Omit<RunDefaults, 'topLogprobs'>;
}

export interface ComparisonResult {
  id: string;
  startedAt: string;
  finishedAt: string;
  /** `stopped` when cancelled. */
  status: 'completed' | 'stopped';
  file: string;
  variants: { id: string; file: string }[];
  models: string[];
  columns: ColumnKey[];
  cases: TestCase[];
  samples: number;
  temperature?: number;
  seed?: number;
  /** Column by column; within a column by case, then sample. */
  cells: CellResult[];
}

/** Errors that every later cell of the same column would meet again. */
const COLUMN_FATAL = new Set<CellError['kind']>(['model-not-found', 'connection-refused', 'host-not-found', 'unauthorized']);

export function columnsFor(variants: readonly CompareVariant[], models: readonly string[]): ColumnKey[] {
  const columns: ColumnKey[] = [];
  // Same model adjacent: a local server keeps one model loaded across the variants.
  for (const model of models) for (const variant of variants) columns.push({ id: `c${columns.length}`, variant: variant.id, model });
  return columns;
}

export function cellId(column: string, caseIndex: number, sample: number): string {
  return `${column}/r${caseIndex}/s${sample}`;
}

export async function runComparison(spec: ComparisonSpec, env: ComparisonEnv): Promise<ComparisonResult> {
  const samples = Math.max(1, Math.floor(spec.samples ?? 1));
  const concurrency = Math.max(1, Math.floor(spec.concurrency ?? 1));
  if (spec.cases.length === 0) throw new Error('A comparison needs at least one test case.');
  if (new Set(spec.cases.map((c) => c.id)).size !== spec.cases.length) throw new Error('Test case ids must be unique.');
  if (new Set(spec.variants.map((v) => v.id)).size !== spec.variants.length) throw new Error('Variant ids must be unique.');
  const startedAt = new Date();
  // Known up front: every run is tagged with it, so the history keeps the comparison's runs together.
  const comparisonId = newRunId(startedAt);
  const columns = columnsFor(spec.variants, spec.models);
  const variants = new Map(spec.variants.map((v) => [v.id, v]));
  const caseById = new Map(spec.cases.map((c) => [c.id, c]));
  const lanes = columns.map((column) => {
    const cells: CellResult[] = [];
    spec.cases.forEach((testCase, caseIndex) => {
      for (let sample = 0; sample < samples; sample += 1) {
        cells.push({
          id: cellId(column.id, caseIndex, sample),
          column: column.id,
          variant: column.variant,
          model: column.model,
          caseId: testCase.id,
          sample,
          status: 'queued',
          content: '',
          thinking: '',
          tokenCount: 0,
          assertions: [],
        });
      }
    });
    return { column, cells };
  });
  const notify = (cell: CellResult): void => {
    try {
      env.onCell?.(cell);
    } catch (err) {
      // A display callback that throws must not stop the comparison; its owner hears of it.
      reportDisplayError(env, err);
    }
  };
  for (const lane of lanes) for (const cell of lane.cells) notify(cell);

  const providers = new Map<string, Provider>();
  const providerFor = (endpoint: EndpointConfig): Provider => {
    let provider = providers.get(endpoint.name);
    if (provider === undefined) {
      provider = env.providerFor?.(endpoint) ?? defaultProvider(endpoint);
      providers.set(endpoint.name, provider);
    }
    return provider;
  };

  const runLane = async (lane: (typeof lanes)[number]): Promise<void> => {
    let fatal: CellError | undefined;
    for (const cell of lane.cells) {
      if (env.signal?.aborted) {
        cell.status = 'cancelled';
        notify(cell);
        continue;
      }
      if (fatal !== undefined) {
        cell.status = 'error';
        cell.error = { ...fatal, kind: 'skipped', message: `Not run: an earlier cell of this column failed (${fatal.message})` };
        cell.assertions = checkExpectations('', caseById.get(cell.caseId)!.expect, { runError: cell.error.message });
        notify(cell);
        continue;
      }
      const testCase = caseById.get(cell.caseId)!;
      const variant = variants.get(cell.variant)!;
      const columnWide = await runCell(cell, variant, testCase, spec, env, providerFor, notify, comparisonId);
      if (cell.error !== undefined && (columnWide || COLUMN_FATAL.has(cell.error.kind))) fatal = cell.error;
    }
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < lanes.length) {
      const lane = lanes[next]!;
      next += 1;
      await runLane(lane);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lanes.length) }, () => worker()));

  const result: ComparisonResult = {
    id: comparisonId,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    status: env.signal?.aborted ? 'stopped' : 'completed',
    file: spec.file,
    variants: spec.variants.map((v) => ({ id: v.id, file: v.file })),
    models: [...spec.models],
    columns,
    cases: spec.cases,
    samples,
    cells: lanes.flatMap((lane) => lane.cells),
  };
  if (spec.temperature !== undefined) result.temperature = spec.temperature;
  if (spec.seed !== undefined) result.seed = spec.seed;
  return result;
}

async function runCell(
  cell: CellResult,
  variant: CompareVariant,
  testCase: TestCase,
  spec: ComparisonSpec,
  env: ComparisonEnv,
  providerFor: (endpoint: EndpointConfig) => Provider,
  notify: (cell: CellResult) => void,
  group: string,
): Promise<boolean> {
  cell.status = 'running';
  notify(cell);
  let prepared: PreparedRun;
  let answerSpec: AnswerSpec;
  try {
    const partials = env.partialsFor?.(variant.file);
    prepared = await prepareRun(variant.text, {
      input: testCase.inputs,
      endpoints: env.endpoints,
      model: cell.model,
      ...(partials ? { partials } : {}),
      defaults: { ...(env.defaults ?? {}), topLogprobs: spec.topLogprobs ?? 5 },
    });
    answerSpec = answerSpecFor(prepared.rendered.ext?.['promptscope']);
  } catch (error) {
    finishWithError(cell, { kind: 'prepare', message: errorMessage(error) }, testCase, notify);
    // A bad model reference fails the same way for every case; a render error may depend on the case's inputs.
    return error instanceof ModelRefError;
  }
  applySampling(prepared, cell, spec);

  const track = new TokenTrack();
  const onEvent = (event: RunEvent): void => {
    if (event.type === 'token' && event.channel === 'content') {
      track.push(event.text, event.logprob);
      cell.content += event.text;
      cell.tokenCount = track.count;
    } else if (event.type === 'token') {
      cell.thinking += event.text;
    }
    try {
      env.onEvent?.(cell.id, event);
    } catch (err) {
      // The display failed, not the run: keep streaming into the cell; its owner hears of it.
      reportDisplayError(env, err);
    }
  };
  try {
    const endpoint = prepared.ref.endpoint;
    const result = await executeRun(
      providerFor(endpoint),
      prepared.request,
      {
        kind: 'comparison',
        file: variant.file,
        inputs: testCase.inputs,
        endpoint: { name: endpoint.name, kind: endpoint.kind, url: displayUrl(endpoint.url) },
        group,
      },
      { onEvent, ...(env.history ? { history: env.history } : {}), ...(env.signal ? { signal: env.signal } : {}) },
    );
    const { record } = result;
    if (env.history !== undefined && result.historyError === undefined) cell.runId = result.summary.id;
    cell.content = record.content;
    cell.thinking = record.thinking;
    if (record.stats !== undefined) cell.stats = record.stats;
    cell.status = record.status === 'running' ? 'error' : record.status;
    if (record.error !== undefined) {
      const error: CellError = { kind: record.error.kind, message: record.error.message };
      if (record.error.serverMessage !== undefined) error.serverMessage = record.error.serverMessage;
      if (record.error.model !== undefined) error.model = record.error.model;
      cell.error = error;
    }
  } catch (error) {
    cell.status = 'error';
    cell.error = { kind: 'internal', message: errorMessage(error) };
  }
  const mean = track.meanLogprob;
  if (mean !== undefined) cell.meanLogprob = mean;
  const found = findAnswer(answerSpec, cell.content);
  if (found !== undefined) {
    cell.answer = found.answer;
    if (found.start !== undefined && found.end !== undefined) {
      const probability = track.spanProbability(found.start, found.end);
      if (probability !== undefined) cell.answerProbability = probability;
    }
  }
  cell.assertions = checkExpectations(cell.content, testCase.expect, {
    outputSchema: (prepared.rendered.output as { schema?: unknown } | undefined)?.schema,
    ...(cell.answer !== undefined ? { answer: cell.answer } : {}),
    ...(cell.error !== undefined ? { runError: cell.error.message } : {}),
  });
  notify(cell);
  return false;
}

function finishWithError(cell: CellResult, error: CellError, testCase: TestCase, notify: (cell: CellResult) => void): void {
  cell.status = 'error';
  cell.error = error;
  cell.assertions = checkExpectations('', testCase.expect, { runError: error.message });
  notify(cell);
}

/** Temperature and per-sample seeds go into the request's model config. */
function applySampling(prepared: PreparedRun, cell: CellResult, spec: ComparisonSpec): void {
  const config = { ...(prepared.request.config ?? {}) };
  if (spec.temperature !== undefined) config.temperature = spec.temperature;
  const base = spec.seed ?? (spec.samples !== undefined && spec.samples > 1 && typeof config.seed === 'number' ? config.seed : undefined);
  if (base !== undefined) {
    config.seed = base + cell.sample;
    cell.seed = config.seed;
  }
  if (Object.keys(config).length > 0) prepared.request.config = config;
}

function defaultProvider(endpoint: EndpointConfig): Provider {
  const apiKey = apiKeyFromEnv(endpoint, process.env);
  return createProvider(endpoint, apiKey !== undefined ? { apiKey } : {});
}

function reportDisplayError(env: { onDisplayError?: (error: unknown) => void }, err: unknown): void {
  try {
    env.onDisplayError?.(err);
  } catch (reportFailed) {
    // Nothing is left to tell: the reporter itself is the display that failed.
    void reportFailed;
  }
}
