import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../language/settings';
import type { ModelChooser, ModelSource } from './chooser';
import { modelRef } from './chooser';
import type { ModelNode } from './view';

export const MODEL_COMMANDS = {
  choose: 'promptscope.chooseModel',
  useForPrompt: 'promptscope.models.useForPrompt',
  setDefault: 'promptscope.models.setDefault',
  writeToFrontmatter: 'promptscope.writeModelToFrontmatter',
} as const;

/**
 * Status bar item for the active `.prompt` editor: the model its next run uses and where that
 * choice comes from; a click opens the model picker.
 */
export class ActiveModelStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('promptscope.activeModel', vscode.StatusBarAlignment.Right, 101);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly chooser: ModelChooser) {
    this.item.name = vscode.l10n.t('Promptscope model');
    this.item.command = MODEL_COMMANDS.choose;
    this.subscriptions.push(
      chooser.onDidChange(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.update();
      }),
    );
    this.update();
  }

  update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== LANGUAGE_ID) {
      this.item.hide();
      return;
    }
    const effective = this.chooser.effective(document);
    this.item.text = `$(hubot) ${effective?.ref ?? vscode.l10n.t('Choose model')}`;
    this.item.tooltip = effective
      ? sourceText(effective.source, effective.ref)
      : vscode.l10n.t('This prompt names no model; click to choose the one its runs use.');
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

function sourceText(source: ModelSource, ref: string): string {
  switch (source) {
    case 'session':
      return vscode.l10n.t('Runs of this prompt use {0} (chosen here, the file is unchanged). Click to change.', ref);
    case 'frontmatter':
      return vscode.l10n.t('Runs use {0}, the model the frontmatter names. Click to change.', ref);
    case 'default':
      return vscode.l10n.t('Runs use {0}, the workspace default (the prompt names no model). Click to change.', ref);
  }
}

/** The picker's follow-up: keep the choice for this session, or make it stick. */
async function applyChoice(chooser: ModelChooser, document: vscode.TextDocument, ref: string): Promise<void> {
  chooser.useForPrompt(document, ref);
  const write = vscode.l10n.t('Write to Frontmatter');
  const makeDefault = vscode.l10n.t('Set as Default');
  const answer = await vscode.window.showInformationMessage(
    vscode.l10n.t('The next runs of this prompt use {0}; the file is unchanged.', ref),
    write,
    makeDefault,
  );
  if (answer === write) await chooser.writeToFrontmatter(document, ref);
  if (answer === makeDefault) await chooser.setDefault(ref);
}

function activePrompt(uri?: vscode.Uri): vscode.TextDocument | undefined {
  if (uri) return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const visible = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors].find((e) => e?.document.languageId === LANGUAGE_ID);
  return visible?.document;
}

/** Choose Model…, the Models view's "Use for This Prompt" and "Set as Default", Write Model to Frontmatter. */
export function registerModelChoiceCommands(chooser: ModelChooser): vscode.Disposable[] {
  const needPrompt = (): void => void vscode.window.showInformationMessage(vscode.l10n.t('Open a .prompt file first.'));
  return [
    new ActiveModelStatus(chooser),
    vscode.commands.registerCommand(MODEL_COMMANDS.choose, async (uri?: vscode.Uri, ref?: string) => {
      const document = activePrompt(uri);
      if (!document) return needPrompt();
      const current = chooser.effective(document)?.ref;
      const picked = typeof ref === 'string' ? ref : await chooser.pick(vscode.l10n.t('Model for the next runs of this prompt'), current);
      if (picked) await applyChoice(chooser, document, picked);
    }),
    vscode.commands.registerCommand(MODEL_COMMANDS.useForPrompt, async (node?: ModelNode) => {
      if (node?.kind !== 'model') return;
      const document = activePrompt();
      if (!document) return needPrompt();
      await applyChoice(chooser, document, modelRef(node.endpoint, node.model.name));
    }),
    vscode.commands.registerCommand(MODEL_COMMANDS.setDefault, async (node?: ModelNode | string) => {
      const ref =
        typeof node === 'string'
          ? node
          : node?.kind === 'model'
            ? modelRef(node.endpoint, node.model.name)
            : await chooser.pick(vscode.l10n.t('Default model for prompts that name none'), chooser.defaultModel());
      if (ref === '') return chooser.setDefault('');
      if (!ref) return;
      await chooser.setDefault(ref);
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} is now the default model for prompts that name none.', ref));
    }),
    vscode.commands.registerCommand(MODEL_COMMANDS.writeToFrontmatter, async (uri?: vscode.Uri, ref?: string) => {
      const document = activePrompt(uri);
      if (!document) return needPrompt();
      const model =
        typeof ref === 'string'
          ? ref
          : (chooser.effective(document)?.ref ?? (await chooser.pick(vscode.l10n.t('Model to write into the frontmatter'))));
      if (model) await chooser.writeToFrontmatter(document, model);
    }),
  ];
}
