import * as vscode from 'vscode';
import { branchPrefix, transcriptFromRecord, type RunTranscript } from '../../core/transcript/transcript';
import type { RunHistory } from '../../core/runs/history';
import type { RunSent } from '../../shared/protocol';
import { sentOf } from './preview';
import { RUN_PANEL_VIEW_TYPE, RunPanel, type RunPanelDeps } from './panel';
import type { PromptPanels } from './prompts';

export { PromptPanels } from './prompts';

/** A saved run as a panel shows it: its tokens, and the inputs and messages it sent. */
export interface LoadedRun {
  transcript: RunTranscript;
  sent: RunSent;
}

/** Opens saved runs (and the branches they came from) as transcripts, with what each sent. */
export async function loadTranscripts(
  history: RunHistory,
  ids: readonly string[],
  onUnreadable: (id: string, err: unknown) => void,
): Promise<LoadedRun[]> {
  const out = new Map<string, RunTranscript>();
  const sent = new Map<string, RunSent>();
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
    sent.set(id, sentOf(record.header));
    return t;
  };
  for (const id of ids) await load(id);
  return ids.flatMap((id) => {
    const transcript = out.get(id);
    const what = sent.get(id);
    return transcript && what ? [{ transcript, sent: what }] : [];
  });
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
      for (const run of await loadTranscripts(history, ids, (id, err) => deps.log.error(`restoring run ${id}`, err)))
        restored.add(run.transcript, run.sent);
      if (typeof saved.activeRunId === 'string' && restored.transcript(saved.activeRunId)) restored.select(saved.activeRunId);
    },
  });
}
