import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  addVariantFiles,
  columnLabel,
  ComparisonStore,
  comparisonSettings,
  diffWords,
  discoverVariants,
  locateTestFile,
  formatMetric,
  METRICS,
  parseTestFile,
  runComparison,
  summarizeComparison,
  toCsv,
  toJsonl,
  toMarkdown,
  type CellResult,
  type ComparisonResult,
  type ComparisonSummary,
  type CompareVariant,
  type Metric,
  type RowProblem,
  type TestCase,
  type VoteSummary,
} from '../../core/compare';
import { readPromptFile } from '../../core/io/read-prompt';
import { RunHistory } from '../../core/runs/history';
import { parseArgs, stringFlag, UsageError, type ParsedArgs } from '../args';
import { cliEndpoints, ENDPOINT_USAGE, ENDPOINT_VALUE_FLAGS, takeModels, topLogprobsFlag } from '../endpoints';
import { EXIT, type CliIo } from '../io';
import { asDisplayText } from '../../core/text/terminal';
import { errorJson, field, message, numberOrNull, statsJson } from '../json';
import { describeReadError, partialContextFor, workspaceRootFor } from '../workspace';
import { confine, diskRealPath } from '../../core/io/confine';
import { readInput } from './render';

export const compareUsage = `promptscope compare <file> [more.prompt …] ${ENDPOINT_USAGE} [--variants] [--tests <file>] [--samples K] [--temperature T] [--seed N] [--concurrency N] [--input <json>|@<file>] [--history <dir>] [--export <file.md|.csv|.jsonl>] [--diff] [--json] [--workspace <dir>] [--partials <dir>]`;

const VALUE_FLAGS = [
  ...ENDPOINT_VALUE_FLAGS,
  'tests',
  'samples',
  'temperature',
  'seed',
  'concurrency',
  'input',
  'history',
  'export',
  'workspace',
  'partials',
];
const METRIC_HEADS: Record<Metric, string> = {
  tokens: 'tokens',
  ttftMs: 'TTFT ms',
  tokensPerSecond: 'tok/s',
  meanLogprob: 'mean logprob',
  length: 'length',
};

/**
 * Runs a prompt (and its variants) on several models over test cases; prints a table, or one
 * JSON document with --json. Exit 3 when an assertion fails, 1 when nothing could run.
 */
export async function compareCommand(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { models: modelFlags, rest } = takeModels(argv);
  const args = parseArgs(rest, VALUE_FLAGS, ['json', 'variants', 'diff']);
  const [file, ...extraFiles] = args.positionals;
  if (!file) throw new UsageError(`no file given. Usage: ${compareUsage}`);
  const json = args.flags.has('json');
  const samplesFlag = optionalInt(args, 'samples', 1, 100);
  const concurrency = optionalInt(args, 'concurrency', 1, 64) ?? 1;
  const seed = optionalInt(args, 'seed', 0, 2 ** 31 - 1);
  const topLogprobs = topLogprobsFlag(args);
  const temperatureFlag = optionalNumber(args, 'temperature');
  const exportFile = stringFlag(args, 'export');
  if (exportFile !== undefined && !/\.(md|markdown|csv|jsonl)$/i.test(exportFile))
    throw new UsageError('--export must name a .md, .csv or .jsonl file');
  const input = readInput(stringFlag(args, 'input'), io) ?? {};
  const endpoints = cliEndpoints(args, io);

  const main = readVariant(file, file, io);
  const settings = comparisonSettings(main.text);
  for (const problem of settings.problems) io.err(`promptscope: ${field(file)}: ${field(problem)}\n`);
  const models = modelFlags.length > 0 ? modelFlags : settings.models;
  if (models.length === 0)
    throw new UsageError('no models: give --model <endpoint/model> (repeat it to compare), or list them in promptscope.models');

  const mainPath = path.resolve(io.cwd, file);
  let variantFiles = args.flags.has('variants')
    ? discoverVariants(mainPath, readdirSync(path.dirname(mainPath)))
    : [{ id: path.basename(file).replace(/\.prompt$/i, ''), file: mainPath }];
  variantFiles = addVariantFiles(
    variantFiles,
    extraFiles.map((f) => path.resolve(io.cwd, f)),
    io.cwd,
  );
  const variants: CompareVariant[] = variantFiles.map((v) =>
    path.resolve(v.file) === mainPath ? { ...main, id: v.id } : { ...readVariant(v.file, v.id, io), id: v.id },
  );

  const tests = loadCases(args, mainPath, settings.tests, input, io);
  for (const problem of tests.problems)
    io.err(`promptscope: ${field(tests.file ?? 'tests')}:${problem.line}: ${field(problem.message)} (row skipped)\n`);
  if (tests.cases.length === 0) {
    io.err(`promptscope: ${field(tests.file ?? 'tests')}: no test case could be read\n`);
    return EXIT.findings;
  }

  const samples = samplesFlag ?? settings.samples ?? 1;
  const history = stringFlag(args, 'history');
  const runHistory = history ? new RunHistory(path.resolve(io.cwd, history)) : undefined;
  if (!json)
    io.err(
      `Comparing ${field(file)}: ${variants.length > 1 ? `${variants.length} variants × ` : ''}${models.length} models × ${tests.cases.length} cases${samples > 1 ? ` × ${samples} samples` : ''}${concurrency > 1 ? `, ${concurrency} columns at a time` : ''}\n`,
    );
  const progress = json ? undefined : columnProgress(io);
  const result = await runComparison(
    {
      file,
      variants,
      models,
      cases: tests.cases,
      samples,
      concurrency,
      topLogprobs,
      ...(temperatureFlag !== undefined ? { temperature: temperatureFlag } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
    {
      endpoints,
      partialsFor: (variantFile) => partialContextFor(variantFile, args, io),
      ...(runHistory ? { history: runHistory } : {}),
      ...(signal ? { signal } : {}),
      ...(progress ? { onCell: progress } : {}),
    },
  );
  const summary = summarizeComparison(result);

  if (runHistory) {
    try {
      const saved = await new ComparisonStore(runHistory.folder).save(result);
      if (!json) io.err(`Saved comparison ${field(result.id)} (${field(path.relative(io.cwd, saved))})\n`);
    } catch (error) {
      io.err(`promptscope: the comparison could not be saved: ${message((error as Error).message)}\n`);
    }
  }
  if (exportFile) {
    const text = /\.csv$/i.test(exportFile) ? toCsv(result) : /\.jsonl$/i.test(exportFile) ? toJsonl(result) : toMarkdown(result);
    try {
      writeFileSync(path.resolve(io.cwd, exportFile), text);
    } catch (error) {
      io.err(`promptscope: cannot write ${field(exportFile)}: ${message((error as Error).message)}\n`);
    }
  }

  const code = exitCode(result, summary);
  if (json) io.out(`${JSON.stringify(jsonDocument(result, summary, tests.problems, tests.file, code), null, 2)}\n`);
  else io.out(formatTable(result, summary, args.flags.has('diff')));
  return code;
}

function exitCode(result: ComparisonResult, summary: ComparisonSummary): number {
  if (result.status === 'stopped') return EXIT.interrupted;
  // Nothing ran (no model reachable, the prompt does not render): the comparison itself failed.
  if (result.cells.every((c) => c.status === 'error')) return EXIT.findings;
  if (summary.assertionsFailed > 0) return EXIT.assertions;
  return EXIT.ok;
}

function optionalInt(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const value = stringFlag(args, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}

function optionalNumber(args: ParsedArgs, name: string): number | undefined {
  const value = stringFlag(args, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number of 0 or more, not "${value}"`);
  return n;
}

function readVariant(file: string, id: string, io: CliIo): CompareVariant {
  const resolved = path.resolve(io.cwd, file);
  try {
    return { id, file: resolved, text: readPromptFile(resolved).text };
  } catch (error) {
    throw new UsageError(describeReadError(file, error));
  }
}

interface LoadedCases {
  file?: string;
  cases: TestCase[];
  problems: RowProblem[];
}

/** --tests, else the frontmatter's promptscope.tests, else name.tests.* beside the prompt, else one case of --input. */
function loadCases(
  args: ParsedArgs,
  promptPath: string,
  fromFrontmatter: string | undefined,
  input: Record<string, unknown>,
  io: CliIo,
): LoadedCases {
  const flag = stringFlag(args, 'tests');
  const roots = [workspaceRootFor(args, io)];
  let location: { path: string; readPath: string } | undefined;
  if (flag !== undefined) {
    // The same confinement as a file the prompt names; --workspace widens it.
    const confined = confine(flag, { base: io.cwd, roots, realPath: diskRealPath, shown: `--tests ${flag}` });
    if (confined.kind === 'outside') throw new UsageError(`${confined.message} (give --workspace to widen it)`);
    location = { path: confined.path, readPath: confined.real ?? confined.path };
  } else {
    const found = locateTestFile(promptPath, fromFrontmatter, roots);
    if (found.kind === 'refused')
      throw new UsageError(`${path.relative(io.cwd, promptPath) || promptPath}: ${found.message}; the test cases were not read`);
    if (found.kind === 'found') location = { path: found.location.path, readPath: found.readPath };
  }
  if (location === undefined) return { cases: [{ id: 'default', line: 0, inputs: input, expect: {} }], problems: [] };
  const shown = path.relative(io.cwd, location.path) || location.path;
  let text: string;
  try {
    text = readFileSync(location.readPath, 'utf8');
  } catch (error) {
    throw new UsageError(describeReadError(shown, error));
  }
  const suite = parseTestFile(text, location.path);
  // --input gives defaults every case can override.
  return { file: shown, cases: suite.cases.map((c) => ({ ...c, inputs: { ...input, ...c.inputs } })), problems: suite.problems };
}

/** Stderr lines as columns start and finish; queued columns are counted. */
function columnProgress(io: CliIo): (cell: Readonly<CellResult>) => void {
  const columns = new Map<string, { model: string; variant: string; total: number; finished: number; errors: number; started: boolean }>();
  return (cell) => {
    let column = columns.get(cell.column);
    if (column === undefined) {
      column = { model: cell.model, variant: cell.variant, total: 0, finished: 0, errors: 0, started: false };
      columns.set(cell.column, column);
    }
    if (cell.status === 'queued') {
      column.total += 1;
      return;
    }
    if (cell.status === 'running') {
      if (!column.started) {
        column.started = true;
        const queued = [...columns.values()].filter((c) => !c.started).length;
        io.err(
          `  ${field(cell.column)} ${field(cell.model)}: running${queued > 0 ? ` (${queued} column${queued === 1 ? '' : 's'} queued)` : ''}\n`,
        );
      }
      return;
    }
    column.finished += 1;
    if (cell.status === 'error') column.errors += 1;
    if (column.finished === column.total) {
      io.err(
        `  ${field(cell.column)} ${field(cell.model)}: finished${column.errors > 0 ? `, ${column.errors} of ${column.total} cells failed` : ''}\n`,
      );
    }
  };
}

function formatTable(result: ComparisonResult, summary: ComparisonSummary, withDiff: boolean): string {
  const labels = new Map(result.columns.map((c) => [c.id, field(`${c.id} ${columnLabel(c, result)}`)]));
  const width = Math.min(40, Math.max(...[...labels.values()].map((l) => l.length)));
  const out: string[] = [];
  const baseline = result.columns[0]?.id;
  for (const testCase of result.cases) {
    out.push(
      '',
      `case ${field(testCase.id)}${testCase.line > 0 ? ` (line ${testCase.line})` : ''}${summary.rows.find((r) => r.caseId === testCase.id)?.same && result.columns.length > 1 ? ' — all columns agree' : ''}`,
    );
    for (const column of result.columns) {
      const cells = result.cells.filter((c) => c.column === column.id && c.caseId === testCase.id);
      const label = labels.get(column.id)!.padEnd(width);
      const first = cells[0]!;
      if (result.samples === 1) {
        let reply = oneLine(first.content);
        const base = result.cells.find((c) => c.column === baseline && c.caseId === testCase.id);
        if (withDiff && base !== undefined && column.id !== baseline && base.status === 'completed' && first.status === 'completed') {
          reply = oneLine(
            diffWords(base.content, first.content)
              .parts.map((p) => (p.op === 'equal' ? p.text : p.op === 'insert' ? `{+${p.text}+}` : `[-${p.text}-]`))
              .join(''),
          );
        }
        out.push(`  ${label}  ${mark(first)}  ${reply}${problemText(first)}`);
      } else {
        const answers = cells.map((c) => (c.status === 'cancelled' ? '·' : (c.answer ?? '∅'))).join(', ');
        const failures = cells.filter((c) => c.assertions.some((a) => !a.pass)).length;
        const errors = cells.filter((c) => c.status === 'error').length;
        out.push(
          `  ${label}  ${failures > 0 || errors > 0 ? '✗' : cells.some((c) => c.assertions.length > 0) ? '✓' : '·'}  answers: ${oneLine(answers)}${errors > 0 ? ` — ${errors} failed: ${field(message(cells.find((c) => c.error)!.error!.message))}` : ''}`,
        );
        const votes = summary.votes.find((v) => v.caseId === testCase.id && v.column === column.id)?.votes;
        if (votes !== undefined && votes.buckets.length > 0) out.push(`  ${''.padEnd(width)}     ${voteLine(votes)}`);
        for (const cell of cells)
          for (const a of cell.assertions)
            if (!a.pass && cell.error === undefined) out.push(`  ${''.padEnd(width)}     sample ${cell.sample + 1}: ${field(a.reason)}`);
      }
    }
  }
  out.push('', 'Summary (* best)');
  const heads = ['column'.padEnd(width), ...METRICS.map((m) => METRIC_HEADS[m].padStart(12)), 'passed'.padStart(8), 'errors'.padStart(7)];
  out.push(`  ${heads.join(' ')}`);
  for (const column of summary.columns) {
    const metrics = METRICS.map((m) => `${formatMetric(m, column.metrics[m])}${column.best.includes(m) ? '*' : ' '}`.padStart(12));
    const passed = column.casesChecked > 0 ? `${column.casesPassed}/${column.casesChecked}` : '–';
    out.push(`  ${labels.get(column.id)!.padEnd(width)} ${metrics.join(' ')} ${passed.padStart(8)} ${String(column.errors).padStart(7)}`);
  }
  if (result.status === 'stopped') out.push('', 'Stopped: the output received so far is kept.');
  return `${out.join('\n').replace(/^\n/, '')}\n`;
}

function mark(cell: CellResult): string {
  if (cell.status === 'cancelled') return '·';
  if (cell.status === 'error' || cell.status === 'stopped') return cell.assertions.length > 0 ? '✗' : '⚠';
  if (cell.assertions.length === 0) return ' ';
  return cell.assertions.every((a) => a.pass) ? '✓' : '✗';
}

function problemText(cell: CellResult): string {
  const parts: string[] = [];
  // A failed run's error says it all; its assertions fail because the reply is missing.
  if (cell.error === undefined) for (const a of cell.assertions) if (!a.pass) parts.push(field(a.reason));
  if (cell.error)
    parts.push(
      `${cell.status === 'stopped' ? 'stopped' : 'error'}: ${field(message(cell.error.message))}${cell.error.serverMessage ? ` (server said: ${field(message(cell.error.serverMessage))})` : ''}`,
    );
  if (cell.status === 'cancelled') parts.push('cancelled');
  return parts.length > 0 ? `  — ${parts.join('; ')}` : '';
}

function voteLine(votes: VoteSummary): string {
  const buckets = votes.buckets.map(
    (b) =>
      `${field(b.answer)} ×${b.count} (${pct(b.frequency)}${b.modelProbability !== undefined ? `, model p=${b.modelProbability.toFixed(2)}` : ''})`,
  );
  if (votes.missing > 0) buckets.push(`no answer ×${votes.missing}`);
  return `votes: ${buckets.join(' · ')} → ${votes.majority === undefined ? '–' : field(votes.majority)}${votes.tie ? ' (tie)' : ''}, agreement ${pct(votes.agreement)}`;
}

function pct(value: number): string {
  return `${Math.round(value * 100)}%`;
}

/** A reply on one table line: whitespace folded, cut to `max`, control characters shown. */
function oneLine(text: unknown, max = 100): string {
  const flat = field(asDisplayText(text).replace(/\s+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function jsonDocument(
  result: ComparisonResult,
  summary: ComparisonSummary,
  problems: RowProblem[],
  testsFile: string | undefined,
  exitCode: number,
): unknown {
  return {
    id: result.id,
    file: result.file,
    status: result.status,
    exitCode,
    samples: result.samples,
    temperature: result.temperature ?? null,
    seed: result.seed ?? null,
    tests: testsFile ?? null,
    problems,
    variants: result.variants,
    models: result.models,
    columns: summary.columns.map((c) => ({
      ...c,
      metrics: Object.fromEntries(METRICS.map((m) => [m, numberOrNull(c.metrics[m])])),
      label: columnLabel(c, result),
    })),
    cases: result.cases.map((testCase) => ({
      id: testCase.id,
      line: testCase.line,
      inputs: testCase.inputs,
      expect: testCase.expect,
      same: summary.rows.find((r) => r.caseId === testCase.id)?.same ?? false,
      cells: result.cells
        .filter((c) => c.caseId === testCase.id)
        .map((c) => ({
          id: c.id,
          column: c.column,
          sample: c.sample,
          status: c.status,
          content: c.content,
          answer: c.answer ?? null,
          answerProbability: numberOrNull(c.answerProbability),
          seed: c.seed ?? null,
          tokens: c.tokenCount,
          meanLogprob: numberOrNull(c.meanLogprob),
          stats: statsJson(c.stats),
          error: c.error === undefined ? null : errorJson(c.error),
          runId: c.runId ?? null,
          assertions: c.assertions,
        })),
      votes: summary.votes
        .filter((v) => v.caseId === testCase.id)
        .map((v) => ({
          column: v.column,
          ...v.votes,
          buckets: v.votes.buckets.map((b) => ({ ...b, modelProbability: numberOrNull(b.modelProbability) })),
          majority: v.votes.majority ?? null,
          calibrationGap: numberOrNull(v.calibrationGap),
        })),
    })),
  };
}
