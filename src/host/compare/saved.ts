import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ComparisonRecord, ComparisonStore } from '../../core/compare';
import type { RunHistory } from '../../core/runs/history';
import { transcriptFromRecord, type TranscriptToken } from '../../core/transcript/transcript';
import type { Log } from '../log';
import { compareConcurrency, SETTINGS_SECTION } from '../settings';
import { ComparisonModel } from '../../core/compare/model';
import { COMPARE_VIEW_TYPE, ComparePanel, type ComparePanelDeps } from './panel';
import { errorMessage } from '../../core/errors';

export interface SavedDeps {
  store: ComparisonStore;
  history: RunHistory;
  log: Log;
  panel: ComparePanelDeps;
}

function concurrencySetting(): number {
  return compareConcurrency(vscode.workspace.getConfiguration(SETTINGS_SECTION));
}

/**
 * A saved comparison as a model: the grid from its record, each cell's tokens (with their
 * probabilities) read back from the run history; a cell whose run is gone shows its text.
 */
async function modelFromRecord(record: ComparisonRecord, history: RunHistory, log: Log): Promise<ComparisonModel> {
  const tokens = new Map<string, TranscriptToken[]>();
  for (const cell of record.cells) {
    if (cell.runId === undefined) continue;
    try {
      const run = await history.load(cell.runId);
      tokens.set(cell.id, transcriptFromRecord(run.header, run.events).tokens);
    } catch (err) {
      log.debug(`comparison ${record.id}: run ${cell.runId} is no longer in the history (${errorMessage(err)})`);
    }
  }
  const model = new ComparisonModel({
    title: vscode.l10n.t('Compare {0}', path.basename(record.file)),
    file: record.file,
    variants: record.variants,
    columns: record.columns,
    cases: record.cases,
    samples: record.samples,
    ...(record.temperature !== undefined ? { temperature: record.temperature } : {}),
    concurrency: concurrencySetting(),
    startedAt: record.startedAt,
  });
  model.restore(record, record.id, (cell) => tokens.get(cell.id));
  return model;
}

/** "Open Comparison…": a saved comparison by id, or one picked from the list. */
export async function openSavedComparison(deps: SavedDeps, arg: unknown): Promise<ComparePanel | undefined> {
  let id =
    typeof arg === 'string'
      ? arg
      : arg !== null && typeof arg === 'object' && typeof (arg as { id?: unknown }).id === 'string'
        ? (arg as { id: string }).id
        : undefined;
  if (id === undefined) {
    const list = await deps.store.list((unreadable, err) =>
      deps.log.warn(`saved comparison ${unreadable} is not listed: ${errorMessage(err)}`),
    );
    if (list.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No saved comparisons yet. Run "Compare" on a .prompt file.'));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      list.map((c) => ({
        label: c.file,
        description: c.models.join(', '),
        detail: `${new Date(c.startedAt).toLocaleString()} · ${c.cases} case(s)${c.samples > 1 ? ` × ${c.samples}` : ''}${c.status === 'stopped' ? ' · stopped' : ''}`,
        id: c.id,
      })),
      { title: vscode.l10n.t('Saved comparisons'), matchOnDescription: true, matchOnDetail: true },
    );
    if (!picked) return undefined;
    id = picked.id;
  }
  try {
    const record = await deps.store.load(id);
    return ComparePanel.create(deps.panel, await modelFromRecord(record, deps.history, deps.log));
  } catch (err) {
    deps.log.error(`opening comparison ${id}`, err);
    await deps.log.showError(vscode.l10n.t('That comparison could not be read: {0}', errorMessage(err)));
    return undefined;
  }
}

/** Restores comparison panels after a reload from the comparison id the webview saved. */
export function registerCompareSerializer(deps: SavedDeps): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      const id = state !== null && typeof state === 'object' ? (state as { comparisonId?: unknown }).comparisonId : undefined;
      let model: ComparisonModel;
      try {
        if (typeof id !== 'string' || id === '')
          throw new Error(vscode.l10n.t('it was still running when the window closed, so it was not saved'));
        model = await modelFromRecord(await deps.store.load(id), deps.history, deps.log);
      } catch (err) {
        model = new ComparisonModel({
          title: vscode.l10n.t('Comparison'),
          file: '',
          variants: [],
          columns: [],
          cases: [],
          samples: 1,
          concurrency: concurrencySetting(),
        });
        model.finish(
          {
            id: '',
            startedAt: new Date().toISOString(),
            finishedAt: new Date().toISOString(),
            status: 'stopped',
            file: '',
            variants: [],
            models: [],
            columns: [],
            cases: [],
            samples: 1,
            cells: [],
          },
          '',
        );
        model.addNotice(vscode.l10n.t('This comparison could not be restored: {0}', errorMessage(err)));
      }
      new ComparePanel(panel, model, deps.panel);
    },
  });
}
