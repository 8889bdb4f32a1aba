import * as vscode from 'vscode';
import { branchPrefix, transcriptFromRecord, type RunTranscript } from '../../core/transcript/transcript';
import type { RunHistory } from '../../core/runs/history';
import { RUN_PANEL_VIEW_TYPE, RunPanel, type RunPanelDeps } from './panel';
import type { PromptPanels } from './prompts';

export { PromptPanels } from './prompts';

/** Opens saved runs (and the branches they came from) as transcripts. */
export async function loadTranscripts(
  history: RunHistory,
  ids: readonly string[],
  onUnreadable: (id: string, err: unknown) => void,
): Promise<RunTranscript[]> {
  const out = new Map<string, RunTranscript>();
  const load = async (id: string): Promise<RunTranscript | undefined> => {
    const known = out.get(id);
    if (known) return known;
    let record;
    try {
      record = await history.load(id);
    } catch (err) {
      // Deleted from history since, or damaged: the panel shows what is left and the log says why.
      onUnreadable(id, err);
      return undefined;
    }
    const origin = record.header.branchOf;
    let prefix: RunTranscript['prefix'] = [];
    if (origin) {
      const parent = await load(origin.runId);
      if (parent) prefix = branchPrefix(parent, origin.tokenIndex, origin.alternative).tokens;
    }
    const t = transcriptFromRecord(record.header, record.events, prefix);
    out.set(id, t);
    return t;
  };
  for (const id of ids) await load(id);
  return ids.map((id) => out.get(id)).filter((t): t is RunTranscript => t !== undefined);
}

/**
 * Restores run panels after a reload: the webview's saved state names the runs to reload from
 * history, and the prompt file whose form and preview the panel showed.
 */
export function registerRunPanelSerializer(deps: RunPanelDeps, history: RunHistory, prompts?: PromptPanels): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(RUN_PANEL_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      const restored = new RunPanel(panel, deps);
      const saved = (state ?? {}) as { runIds?: unknown; activeRunId?: unknown; file?: unknown };
      if (prompts && typeof saved.file === 'string') {
        await prompts
          .adopt(restored, saved.file)
          .catch((err: unknown) => deps.log.error(`restoring the form of ${saved.file as string}`, err));
      }
      const ids = Array.isArray(saved.runIds) ? saved.runIds.filter((x): x is string => typeof x === 'string') : [];
      for (const t of await loadTranscripts(history, ids, (id, err) => deps.log.error(`restoring run ${id}`, err))) restored.add(t);
      if (typeof saved.activeRunId === 'string' && restored.transcript(saved.activeRunId)) restored.select(saved.activeRunId);
    },
  });
}
