import * as path from 'node:path';
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../language/settings';
import { PromptBinding, type PromptServices } from './binding';
import { RunPanel, type RunPanelDeps } from './panel';

export type OpenMode =
  /** Run at once when every required input has a remembered or default value; else focus the form. */
  | 'run'
  /** Show the form (and preview) without running. */
  | 'form';

/**
 * One run panel per prompt file, showing the file's variables form, its live preview and its
 * runs. The Run command opens (or reveals) it and starts a run when nothing required is
 * missing; otherwise it focuses the form, where the Run button starts the run.
 */
export class PromptPanels {
  private readonly byFile = new Map<string, RunPanel>();
  private readonly creating = new Map<string, Promise<RunPanel>>();

  constructor(
    private readonly deps: RunPanelDeps,
    private readonly services: PromptServices,
  ) {}

  async open(uri: vscode.Uri | undefined, mode: OpenMode): Promise<RunPanel | undefined> {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== LANGUAGE_ID) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a .prompt file to run it.'));
      return undefined;
    }
    const panel = await this.panelFor(document.uri);
    const binding = panel.prompt!;
    const missing = Object.keys(binding.problems());
    if (mode === 'run' && missing.length === 0) {
      panel.panel.reveal(undefined, true);
      await panel.runPrompt(binding.current);
      return panel;
    }
    panel.panel.reveal(undefined, false);
    panel.focusForm(missing[0]);
    return panel;
  }

  /** Binds a panel restored after a reload to its prompt file again (when it is still a prompt). */
  async adopt(panel: RunPanel, file: string): Promise<void> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(file, true);
    } catch {
      return;
    }
    // The file name comes from the webview's saved state: only prompt files of this workspace.
    if (!vscode.workspace.getWorkspaceFolder(uri)) return;
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== LANGUAGE_ID) return;
    panel.bind(await PromptBinding.create(uri, this.services, (m) => panel.post(m)));
    if (!this.byFile.has(uri.toString())) this.track(uri.toString(), panel);
  }

  private panelFor(uri: vscode.Uri): Promise<RunPanel> {
    const key = uri.toString();
    const known = this.byFile.get(key);
    if (known) return Promise.resolve(known);
    const pending = this.creating.get(key);
    if (pending) return pending;
    const created = (async () => {
      let panel: RunPanel | undefined;
      const binding = await PromptBinding.create(uri, this.services, (m) => panel?.post(m));
      // Titled as its runs will be (file · model), so the tab does not change name when one starts.
      const model = binding.state().preview?.model?.ref;
      panel = RunPanel.create(this.deps, `${path.basename(uri.fsPath)}${model ? ` · ${model}` : ''}`);
      panel.bind(binding);
      this.track(key, panel);
      return panel;
    })().finally(() => this.creating.delete(key));
    this.creating.set(key, created);
    return created;
  }

  private track(key: string, panel: RunPanel): void {
    this.byFile.set(key, panel);
    panel.panel.onDidDispose(() => {
      if (this.byFile.get(key) === panel) this.byFile.delete(key);
    });
  }
}
