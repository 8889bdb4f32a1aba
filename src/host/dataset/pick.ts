import * as path from 'node:path';
import * as vscode from 'vscode';
import { dataFileFormat, type DatasetFormat } from '../../core/dataset';

/** The command's optional argument: a prompt Uri, or everything needed to export without asking. */
export interface ExportArgs {
  uri?: vscode.Uri;
  /** The rows: a .jsonl or .csv file. */
  data?: vscode.Uri;
  format?: DatasetFormat;
  /** Where the records go; asked for when absent. */
  out?: vscode.Uri;
}

const LAST_FORMAT = 'promptscope.dataset.format';

export function readExportArgs(arg: unknown): ExportArgs {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (arg === null || typeof arg !== 'object') return {};
  const a = arg as Record<string, unknown>;
  const uri = (v: unknown): vscode.Uri | undefined =>
    v instanceof vscode.Uri
      ? v
      : typeof v === 'string' && v !== ''
        ? path.isAbsolute(v)
          ? vscode.Uri.file(v)
          : vscode.Uri.parse(v)
        : undefined;
  const out: ExportArgs = {};
  const prompt = uri(a['uri']);
  if (prompt) out.uri = prompt;
  const data = uri(a['data']);
  if (data) out.data = data;
  const target = uri(a['out']);
  if (target) out.out = target;
  if (a['format'] === 'instruction' || a['format'] === 'chat') out.format = a['format'];
  return out;
}

export async function pickDataFile(promptUri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Rows to export: JSONL or CSV, one record per row, with an "output" field'),
    openLabel: vscode.l10n.t('Use These Rows'),
    canSelectMany: false,
    canSelectFolders: false,
    defaultUri: vscode.Uri.file(path.dirname(promptUri.fsPath)),
    filters: { [vscode.l10n.t('Rows (JSONL, CSV)')]: ['jsonl', 'ndjson', 'csv'] },
  });
  const file = picked?.[0];
  if (file && dataFileFormat(file.fsPath) === undefined) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Rows must be a .jsonl or .csv file.'));
    return undefined;
  }
  return file;
}

export async function pickFormat(state: vscode.Memento): Promise<DatasetFormat | undefined> {
  const items: (vscode.QuickPickItem & { format: DatasetFormat })[] = [
    { format: 'instruction', label: vscode.l10n.t('Instruction records'), detail: '{"instruction": …, "input": …, "output": …}' },
    {
      format: 'chat',
      label: vscode.l10n.t('Chat messages'),
      detail: '{"messages": [{"role": "system" | "user" | "assistant", "content": …}, …]}',
    },
  ];
  const last = state.get<DatasetFormat>(LAST_FORMAT);
  items.sort((a, b) => Number(b.format === last) - Number(a.format === last));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Record format'),
    placeHolder: vscode.l10n.t('How each row is written'),
  });
  if (picked) await state.update(LAST_FORMAT, picked.format);
  return picked?.format;
}

export async function pickOutput(promptUri: vscode.Uri, format: DatasetFormat): Promise<vscode.Uri | undefined> {
  const stem = path.basename(promptUri.fsPath).replace(/\.prompt$/i, '');
  return vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the dataset as'),
    saveLabel: vscode.l10n.t('Export'),
    defaultUri: vscode.Uri.file(path.join(path.dirname(promptUri.fsPath), `${stem}.${format}.jsonl`)),
    filters: { 'JSON Lines': ['jsonl'] },
  });
}
