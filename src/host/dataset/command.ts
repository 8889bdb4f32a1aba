import { open as openFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  AtomicFile,
  dataFileFormat,
  DatasetPromptError,
  defaultNotes,
  exportDataset,
  formatProblems,
  outputProblem,
  streamDataRows,
  summaryLine,
  type DatasetFormat,
  type ExportSummary,
  type RowProblem,
} from '../../core/dataset';
import { confine, diskRealPath } from '../../core/io/confine';
import { LANGUAGE_ID, partialContextFor } from '../language/settings';
import type { Log } from '../log';
import { pickDataFile, pickFormat, pickOutput, readExportArgs } from './pick';
import { errorMessage } from '../../core/errors';

export interface DatasetDeps {
  context: vscode.ExtensionContext;
  log: Log;
  /** Bad rows, shown in the Problems view on the data file. */
  problems: vscode.DiagnosticCollection;
}

/** What the command did, for tests and callers; undefined when the user dismissed a picker. */
export interface ExportOutcome {
  out: string;
  format: DatasetFormat;
  records: number;
  problems: RowProblem[];
  cancelled: boolean;
}

/**
 * "Export Dataset…": the prompt rendered for every row of a JSONL or CSV file into fine-tuning
 * records. Asks for the rows, the format and where to save, then writes with progress (the file
 * appears only when the export finished). Bad rows go to the Problems view on the data file and
 * to the log; the summary offers to open the result and to show them. Local files only.
 */
export async function exportDatasetCommand(deps: DatasetDeps, arg: unknown): Promise<ExportOutcome | undefined> {
  const args = readExportArgs(arg);
  const document = args.uri ? await vscode.workspace.openTextDocument(args.uri) : vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== LANGUAGE_ID || document.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a saved .prompt file to export a dataset from it.'));
    return undefined;
  }
  const data = args.data ?? (await pickDataFile(document.uri));
  if (!data) return undefined;
  const dataFormat = dataFileFormat(data.fsPath);
  if (dataFormat === undefined) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Rows must be a .jsonl or .csv file.'));
    return undefined;
  }
  const format = args.format ?? (await pickFormat(deps.context.workspaceState));
  if (!format) return undefined;
  const out = args.out ?? (await pickOutput(document.uri, format));
  if (!out) return undefined;
  if (out.scheme !== 'file' || data.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Dataset export reads and writes local files only.'));
    return undefined;
  }
  // Before any row is rendered: a folder, or an input under any name (a symlink too), cannot take the records.
  if (
    outputProblem(out.fsPath, [
      { path: data.fsPath, label: 'rows' },
      { path: document.uri.fsPath, label: 'prompt' },
    ]) !== undefined
  ) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Choose another output file: this one is an input of the export or a folder.'));
    return undefined;
  }

  const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath ?? path.dirname(document.uri.fsPath);
  const confined = confine(data.fsPath, {
    base: root,
    roots: [root],
    realPath: diskRealPath,
    shown: vscode.workspace.asRelativePath(data, false),
  });
  if (confined.kind === 'outside') {
    void vscode.window.showErrorMessage(vscode.l10n.t('The rows were not read: {0}.', confined.message));
    return undefined;
  }

  // Unsaved edits in an open editor count, as they do for prompts and partials; otherwise the
  // file is streamed from disk (any size, bytes that are not UTF-8 reported per row).
  const open = vscode.workspace.textDocuments.find(
    (d) => d.uri.scheme === 'file' && d.isDirty && path.resolve(d.uri.fsPath) === path.resolve(data.fsPath),
  );
  let source: { bytes: AsyncIterable<Uint8Array>; size: number; close: () => Promise<void> };
  try {
    source = open ? editorBytes(open.getText()) : await fileBytes(confined.real ?? confined.path);
  } catch (err) {
    void deps.log.showError(vscode.l10n.t('Cannot read {0}: {1}', vscode.workspace.asRelativePath(data, false), errorMessage(err)));
    return undefined;
  }

  const dataLabel = vscode.workspace.asRelativePath(data, false);
  const outLabel = vscode.workspace.asRelativePath(out, false);
  let target: AtomicFile | undefined;
  let summary: ExportSummary;
  try {
    target = AtomicFile.open(out.fsPath);
    const file = target;
    summary = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Exporting {0}', path.basename(out.fsPath)),
        cancellable: true,
      },
      async (progress, token) => {
        const controller = new AbortController();
        const stop = token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        let readBytes = 0;
        try {
          return await exportDataset({
            promptText: document.getText(),
            promptPath: document.uri.fsPath,
            partials: partialContextFor(document),
            rows: streamDataRows(
              counted(source.bytes, (bytes) => (readBytes = bytes)),
              dataFormat,
            ),
            format,
            write: (line) => file.write(line),
            signal: controller.signal,
            onProgress: (done) => {
              const percent = Math.floor((readBytes / Math.max(source.size, 1)) * 100);
              if (percent > reported) {
                progress.report({ increment: percent - reported, message: vscode.l10n.t('{0} rows', done) });
                reported = percent;
              }
            },
          });
        } finally {
          stop.dispose();
          await source.close();
        }
      },
    );
  } catch (err) {
    target?.abort();
    await source.close();
    if (err instanceof DatasetPromptError) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Nothing was exported: the prompt does not render. {0}', err.message));
    } else {
      deps.log.error('dataset export', err);
      void deps.log.showError(vscode.l10n.t('The dataset could not be exported: {0}', errorMessage(err)));
    }
    return undefined;
  }

  showProblems(deps.problems, data, summary.problems);
  deps.log.info(
    `export-dataset ${vscode.workspace.asRelativePath(document.uri, false)} (${format}): ${summaryLine(summary, summary.cancelled ? undefined : outLabel)}`,
  );
  for (const line of formatProblems(dataLabel, summary.problems)) deps.log.warn(line);
  for (const note of defaultNotes(summary)) deps.log.info(`note: ${note}`);

  const outcome: ExportOutcome = {
    out: out.fsPath,
    format,
    records: summary.records,
    problems: summary.problems,
    cancelled: summary.cancelled,
  };
  if (summary.cancelled) {
    target.abort();
    void vscode.window.showInformationMessage(vscode.l10n.t('Export cancelled: nothing was written.'));
    return outcome;
  }
  try {
    target.commit();
  } catch (err) {
    void deps.log.showError(vscode.l10n.t('The dataset could not be saved to {0}: {1}', outLabel, errorMessage(err)));
    return undefined;
  }
  void announce(deps, out, summary, outLabel);
  return outcome;
}

/** The closing message; not awaited, so the command's result does not wait for the user. */
async function announce(deps: DatasetDeps, out: vscode.Uri, summary: ExportSummary, outLabel: string): Promise<void> {
  const open = vscode.l10n.t('Open');
  const problems = vscode.l10n.t('Show Problems');
  const logs = vscode.l10n.t('Show Logs');
  const bad = summary.problems.length;
  const picked =
    bad === 0
      ? await vscode.window.showInformationMessage(vscode.l10n.t('{0} records written to {1}.', summary.records, outLabel), open)
      : await vscode.window.showWarningMessage(
          vscode.l10n.t('{0} records written to {1}; {2} bad rows were not exported.', summary.records, outLabel, bad),
          open,
          problems,
          logs,
        );
  if (picked === open) await vscode.window.showTextDocument(out, { preview: false });
  else if (picked === problems) await vscode.commands.executeCommand('workbench.actions.view.problems');
  else if (picked === logs) deps.log.channel.show(true);
}

/** Each bad row as a warning on its line of the data file (the whole line). */
function showProblems(collection: vscode.DiagnosticCollection, data: vscode.Uri, problems: readonly RowProblem[]): void {
  if (problems.length === 0) {
    collection.delete(data);
    return;
  }
  collection.set(
    data,
    problems.map((p) => {
      const line = Math.max(0, p.line - 1);
      // The whole line: the editor clamps the end to the line's length (the file was streamed, not kept).
      const range = new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER);
      const diagnostic = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'Promptscope';
      diagnostic.code = 'dataset-row';
      return diagnostic;
    }),
  );
}

async function fileBytes(file: string): Promise<{ bytes: AsyncIterable<Uint8Array>; size: number; close: () => Promise<void> }> {
  const handle = await openFile(file, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(vscode.l10n.t('it is not a file'));
    return {
      bytes: handle.createReadStream({ highWaterMark: 256 * 1024, autoClose: false }),
      size: info.size,
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function editorBytes(text: string): { bytes: AsyncIterable<Uint8Array>; size: number; close: () => Promise<void> } {
  const bytes = Buffer.from(text, 'utf8');
  const once = async function* (): AsyncGenerator<Uint8Array> {
    yield bytes;
  };
  return { bytes: once(), size: bytes.length, close: async () => undefined };
}

async function* counted(bytes: AsyncIterable<Uint8Array>, onTotal: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of bytes) {
    total += chunk.length;
    onTotal(total);
    yield chunk;
  }
}
