/**
 * Shapes shared by the comparison modules: test cases and expectations, assertion results, and
 * the cells of a comparison grid (variants × models × test cases × samples).
 */
import type { RunErrorKind, RunStats } from '../providers/events';

/** What a test case expects of a reply. Every field is optional; none means "just run it". */
export interface Expectations {
  /** The whole reply, trimmed, equals this. */
  equals?: string;
  /** The reply contains each of these. */
  contains?: string[];
  /** The reply matches each of these (`pattern` or `/pattern/flags`). */
  regex?: string[];
  /** The reply is valid JSON that matches the prompt's `output.schema` (or is JSON at all when it has none). */
  schema?: boolean;
  /** The answer extracted by the answer rule equals this (case and spacing ignored). */
  answer?: string;
}

export interface TestCase {
  /** Unique in its suite: the row's `name`/`id`, else `case-<n>`. */
  id: string;
  /** 1-based line of the row in its data file; 0 for a case that comes from no file. */
  line: number;
  inputs: Record<string, unknown>;
  expect: Expectations;
}

export interface RowProblem {
  line: number;
  message: string;
}

export interface TestSuite {
  /** The data file, when the cases came from one. */
  file?: string;
  cases: TestCase[];
  /** Rows that could not be read; each was skipped, the rest still run. */
  problems: RowProblem[];
}

export type AssertionKind = 'equals' | 'contains' | 'regex' | 'schema' | 'answer' | 'run';

export interface AssertionResult {
  kind: AssertionKind;
  pass: boolean;
  /** Why it passed or failed, for a person: `expected "4", answer was "5"`. */
  reason: string;
}

export type CellStatus = 'queued' | 'running' | 'completed' | 'error' | 'stopped' | 'cancelled';

/** One prompt (the file itself or a variant) in a comparison. */
export interface CompareVariant {
  /** `base` for the prompt itself, the variant name for `name.variant.prompt`, else the file name. */
  id: string;
  file: string;
  text: string;
}

/** A column of the grid: one variant on one model. */
export interface ColumnKey {
  id: string;
  variant: string;
  /** `endpoint/model` as given. */
  model: string;
}

/** What one cell produced; a failed or stopped cell keeps its partial output. */
export interface CellResult {
  id: string;
  column: string;
  variant: string;
  model: string;
  caseId: string;
  /** 0-based sample index. */
  sample: number;
  status: CellStatus;
  content: string;
  thinking: string;
  /** Content tokens received. */
  tokenCount: number;
  /** Mean log-probability of the content tokens that carried one. */
  meanLogprob?: number;
  stats?: RunStats;
  error?: CellError;
  /** The saved run in the run history, when there is one. */
  runId?: string;
  /** Seed sent for this sample, when the comparison set one. */
  seed?: number;
  /** The answer extracted by the answer rule; undefined when the rule found none. */
  answer?: string;
  /** The model's own probability of the answer's tokens (exp of the summed log-probabilities). */
  answerProbability?: number;
  assertions: AssertionResult[];
}

/**
 * Why a cell failed: the run's own error, `prepare` when the prompt could not be rendered or its
 * model reference resolved, `skipped` when an earlier cell of the column failed in a way every
 * later one would too (model missing, server unreachable), `internal` for a bug.
 */
export interface CellError {
  kind: RunErrorKind | 'prepare' | 'skipped' | 'internal';
  message: string;
  serverMessage?: string;
  model?: string;
}
