import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  addVariantFiles,
  ComparisonStore,
  comparisonSettings,
  discoverVariants,
  locateTestFile,
  parseTestFile,
  runComparison,
  summarizeComparison,
  toCsv,
  toJsonl,
  toMarkdown,
  type ComparisonResult,
  type ComparisonSummary,
  type CompareVariant,
  type RowProblem,
  type TestCase,
} from '../../core/compare';
import { readPromptFile } from '../../core/io/read-prompt';
import { RunHistory } from '../../core/runs/history';
import { parseArgs, stringFlag, UsageError, type ParsedArgs } from '../args';
import { cliEndpoints, ENDPOINT_USAGE, ENDPOINT_VALUE_FLAGS, takeModels, topLogprobsFlag } from '../endpoints';
import { EXIT, type CliIo } from '../io';
import { errorMessage } from '../../core/errors';
import { field, message } from '../json';
import { columnProgress, formatTable, jsonDocument } from './compare-output';
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
      onDisplayError: (err) => io.err(`promptscope: could not show a comparison update: ${errorMessage(err)}\n`),
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
