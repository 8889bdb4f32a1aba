import { open, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import {
  AtomicFile,
  DATASET_FORMATS,
  dataFileFormat,
  DatasetPromptError,
  defaultNotes,
  exportDataset,
  formatProblems,
  outputProblem,
  streamDataRows,
  summaryLine,
  type DatasetFormat,
} from '../../core/dataset';
import { parseArgs, stringFlag, UsageError } from '../args';
import { EXIT, type CliIo } from '../io';
import { field, message } from '../json';
import { describeReadError, partialContextFor, readPromptOrReport, singleFile, workspaceRootFor } from '../workspace';
import { confine, diskRealPath } from '../../core/io/confine';

export const exportDatasetUsage =
  'promptscope export-dataset <file> --data <rows.jsonl|rows.csv> [--format instruction|chat] [--out <file>] [--workspace <dir>] [--partials <dir>]';

/**
 * Renders the prompt for every row of the data file and writes JSONL records to --out (atomically)
 * or stdout. Bad rows go to stderr as `data:line: message` with a summary; the good rows are
 * written all the same, and the exit code is 1 when any row was bad.
 */
export async function exportDatasetCommand(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const args = parseArgs(argv, ['data', 'format', 'out', 'workspace', 'partials'], []);
  const file = singleFile(args, 'export-dataset', exportDatasetUsage);
  const data = stringFlag(args, 'data');
  if (data === undefined) throw new UsageError(`--data <rows.jsonl|rows.csv> is required. Usage: ${exportDatasetUsage}`);
  const dataFormat = dataFileFormat(data);
  if (dataFormat === undefined) throw new UsageError(`--data must be a .jsonl or .csv file, not "${field(path.basename(data))}"`);
  const format = datasetFormat(stringFlag(args, 'format'));
  const out = stringFlag(args, 'out');
  const outPath = out === undefined ? undefined : path.resolve(io.cwd, out);

  // The rows go into records (and so to whoever trains on them): read them only inside the workspace.
  const dataConfined = confine(data, {
    base: io.cwd,
    roots: [workspaceRootFor(args, io)],
    realPath: diskRealPath,
    shown: `--data ${data}`,
  });
  if (dataConfined.kind === 'outside') throw new UsageError(`${dataConfined.message} (give --workspace to widen it)`);
  // Checked before any row is rendered: a folder, or an input under any name, cannot take the records.
  if (outPath !== undefined) {
    const problem = outputProblem(outPath, [
      { path: path.resolve(io.cwd, file), label: `the prompt (${file})` },
      { path: path.resolve(io.cwd, data), label: `the data file (${data})` },
    ]);
    if (problem !== undefined) throw new UsageError(`--out ${problem}`);
  }

  const promptText = readPromptOrReport(file, io);
  if (promptText === undefined) return EXIT.usage;
  const dataFile = dataConfined.real ?? dataConfined.path;
  let dataHandle: FileHandle;
  try {
    dataHandle = await open(dataFile, 'r');
    if ((await dataHandle.stat()).isDirectory()) throw Object.assign(new Error('it is a directory'), { code: 'EISDIR' });
  } catch (err) {
    io.err(`promptscope: ${describeReadError(data, err)}\n`);
    return EXIT.usage;
  }

  let target: AtomicFile | undefined;
  if (outPath !== undefined) {
    try {
      target = AtomicFile.open(outPath);
    } catch (err) {
      await dataHandle.close();
      io.err(
        `promptscope: cannot write ${field(out)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : field((err as Error).message)}\n`,
      );
      return EXIT.usage;
    }
  }
  // Streamed: rows are rendered while the rest of the file is read, in bounded memory. The
  // stream closes the file when it ends or is destroyed (a cancel does not wait for a pending read).
  const bytes = dataHandle.createReadStream({ highWaterMark: 256 * 1024, ...(signal ? { signal } : {}) });
  let summary;
  try {
    summary = await exportDataset({
      promptText,
      promptPath: path.resolve(io.cwd, file),
      partials: partialContextFor(file, args, io),
      rows: streamDataRows(bytes, dataFormat),
      format,
      write: target ? (line) => target.write(line) : (line) => io.out(line),
      ...(signal ? { signal } : {}),
    });
    if (summary.cancelled) {
      target?.abort();
      bytes.destroy();
    } else target?.commit();
  } catch (err) {
    target?.abort();
    bytes.destroy();
    if (signal?.aborted && (err as Error).name === 'AbortError') {
      io.err(`promptscope: export-dataset interrupted${out ? `; ${out} was not written` : ''}\n`);
      return EXIT.interrupted;
    }
    if (!(err instanceof DatasetPromptError)) throw err;
    io.err(`promptscope: ${field(file)}: ${message(err.message)}\nNothing was exported: the prompt does not render.\n`);
    return EXIT.findings;
  }

  for (const line of formatProblems(field(data), summary.problems)) io.err(`${line}\n`);
  for (const note of defaultNotes(summary)) io.err(`note: ${note}\n`);
  io.err(`${summaryLine(summary, summary.cancelled || out === undefined ? undefined : field(out))}\n`);
  if (summary.cancelled) {
    io.err(`promptscope: export-dataset interrupted${out ? `; ${field(out)} was not written` : ''}\n`);
    return EXIT.interrupted;
  }
  return summary.problems.length > 0 ? EXIT.findings : EXIT.ok;
}

function datasetFormat(value: string | undefined): DatasetFormat {
  if (value === undefined) return 'instruction';
  const found = DATASET_FORMATS.find((f) => f === value.toLowerCase());
  if (!found) throw new UsageError(`--format must be ${DATASET_FORMATS.join(' or ')}, not "${value}"`);
  return found;
}
