import * as os from 'node:os';
import * as vscode from 'vscode';
import { frontmatterModel, frontmatterModelChange, modelsThatFit, type RecommendedModel } from '../../core/models/model-choice';
import { displayUrl } from '../../core/providers';
import type { Log } from '../log';
import { defaultModelSetting, SETTINGS_SECTION } from '../settings';
import type { EndpointModels, ModelCatalog } from './catalog';
import { pullModel } from './commands';
import type { Endpoints } from './endpoints';
import { formatBytes } from './view';
import type { ModelGroup, ModelSource } from '../../shared/protocol';
import { describeModels, modelGroups, modelRef } from './model-options';

export type { ModelSource };
export { modelRef };

export interface EffectiveModel {
  ref: string;
  source: ModelSource;
}

const REMEMBERED_KEY = 'promptscope.rememberedModel';
const SETTING = 'defaultModel';

/**
 * Decides the model of a run when the user has not named one in the file, so nobody dead-ends on
 * "No model given": a model chosen for this prompt in this session wins, then the frontmatter's
 * `model:`, then the `promptscope.defaultModel` setting, then the model picked earlier in this
 * workspace. With none of those, the only available model is used, or the user picks once among
 * the live ones (remembered for the workspace without writing a settings file behind their back);
 * with no models at all, the user is led to pull a small one that fits the machine.
 */
export class ModelChooser implements vscode.Disposable {
  private readonly session = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly endpoints: Endpoints,
    private readonly catalog: ModelCatalog,
    private readonly state: vscode.Memento,
    private readonly log: Log,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`promptscope.${SETTING}`)) this.changed.fire();
      }),
    );
  }

  /** The model a run of `document` would use now, without asking anyone. */
  effective(document: vscode.TextDocument): EffectiveModel | undefined {
    const chosen = this.session.get(document.uri.toString());
    if (chosen) return { ref: chosen, source: 'session' };
    const named = frontmatterModel(document.getText());
    if (named) return { ref: named, source: 'frontmatter' };
    const fallback = this.defaultModel(document.uri);
    return fallback ? { ref: fallback, source: 'default' } : undefined;
  }

  /** The workspace default: the setting, else the model picked earlier in this workspace. */
  defaultModel(scope?: vscode.Uri): string | undefined {
    const configured = defaultModelSetting(vscode.workspace.getConfiguration(SETTINGS_SECTION, scope));
    if (configured) return configured;
    const remembered = this.state.get<string>(REMEMBERED_KEY);
    return remembered && remembered.trim() !== '' ? remembered : undefined;
  }

  /**
   * The `model` option for a run: undefined when the file's own `model:` applies, a reference when
   * something else decides, or `false` when the user backed out of choosing.
   */
  async modelForRun(document: vscode.TextDocument): Promise<string | undefined | false> {
    const effective = this.effective(document);
    if (effective) return effective.source === 'frontmatter' ? undefined : effective.ref;
    const ref = await this.chooseFirstModel();
    return ref ?? false;
  }

  /** Uses `ref` for the next runs of `document` (this session), without editing the file. */
  useForPrompt(document: vscode.TextDocument, ref: string): void {
    this.session.set(document.uri.toString(), ref);
    this.changed.fire();
  }

  /** Makes `ref` the workspace default; an empty `ref` forgets both the setting and the remembered pick. */
  async setDefault(ref: string): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('promptscope').update(SETTING, ref === '' ? undefined : ref, target);
    if (ref === '') await this.state.update(REMEMBERED_KEY, undefined);
    this.changed.fire();
  }

  /** Writes `model: <ref>` into the frontmatter as one undoable edit; the session choice then goes. */
  async writeToFrontmatter(document: vscode.TextDocument, ref: string): Promise<boolean> {
    const change = frontmatterModelChange(document.getText(), ref);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      document.uri,
      new vscode.Range(document.positionAt(change.offset), document.positionAt(change.offset + change.length)),
      change.text,
    );
    const applied = await vscode.workspace.applyEdit(edit);
    if (applied) {
      this.session.delete(document.uri.toString());
      this.changed.fire();
    }
    return applied;
  }

  /** The live models of every endpoint, for the run panel's picker (the same list `pick` offers). */
  async choices(): Promise<ModelGroup[]> {
    return modelGroups(await this.catalog.all());
  }

  /** Asks the endpoints for their models again (after a pull elsewhere, a server started, …). */
  refreshModels(): void {
    this.catalog.refresh();
    this.changed.fire();
  }

  /** Picks among the live models of every endpoint; undefined when dismissed. */
  async pick(title: string, current?: string): Promise<string | undefined> {
    const lists = await this.catalog.all();
    const items = modelPickItems(lists, current);
    if (!items.some((i) => i.ref)) return (await this.offerFirstModel(lists)) ?? undefined;
    const picked = await vscode.window.showQuickPick(items, {
      title,
      placeHolder: vscode.l10n.t('Models from every endpoint (size, family, loaded)'),
      matchOnDescription: true,
    });
    return picked?.ref;
  }

  private async chooseFirstModel(): Promise<string | undefined> {
    const lists = await this.catalog.all();
    const refs = lists.flatMap((l) => l.installed.map((m) => modelRef(l.endpoint, m.name)));
    if (refs.length === 1) {
      const only = refs[0]!;
      await this.state.update(REMEMBERED_KEY, only);
      this.log.info(`no model named; using ${only}, the only model available`);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Running with {0}, the only model available. Change it with "Promptscope: Choose Model…".', only),
      );
      this.changed.fire();
      return only;
    }
    if (refs.length === 0) return this.offerFirstModel(lists);
    const picked = await vscode.window.showQuickPick(modelPickItems(lists), {
      title: vscode.l10n.t('This prompt names no model: which one should runs use?'),
      placeHolder: vscode.l10n.t('Remembered for this workspace; change it any time with "Promptscope: Choose Model…"'),
      matchOnDescription: true,
      ignoreFocusOut: true,
    });
    if (!picked?.ref) return undefined;
    await this.state.update(REMEMBERED_KEY, picked.ref);
    this.changed.fire();
    return picked.ref;
  }

  /**
   * No models anywhere: either no server answers (say how to start Ollama), or an Ollama server is
   * empty (offer small models that fit this machine's memory, pull one with progress, use it).
   */
  private async offerFirstModel(lists: EndpointModels[]): Promise<string | undefined> {
    const ollama = lists.find((l) => l.endpoint.kind === 'ollama' && !l.problem);
    if (!ollama) {
      const down = lists.find((l) => l.endpoint.kind === 'ollama') ?? lists[0];
      const howTo = vscode.l10n.t('How to Start Ollama');
      const retry = vscode.l10n.t('Retry');
      const settings = vscode.l10n.t('Add an Endpoint');
      const message = down
        ? vscode.l10n.t(
            'No model server answers: {0} at {1} is not running ({2}). Start Ollama ("ollama serve"), then retry.',
            down.endpoint.name,
            displayUrl(down.endpoint.url),
            down.problem ?? '',
          )
        : vscode.l10n.t('No model endpoint is configured. Add one in the promptscope.endpoints setting.');
      const answer = await vscode.window.showWarningMessage(message, howTo, retry, settings);
      if (answer === howTo) await vscode.env.openExternal(vscode.Uri.parse('https://ollama.com/download'));
      if (answer === settings) await vscode.commands.executeCommand('workbench.action.openSettings', 'promptscope.endpoints');
      if (answer === retry) {
        this.catalog.refresh();
        return this.chooseFirstModel();
      }
      return undefined;
    }
    const memory = os.totalmem();
    const { fits, suggested } = modelsThatFit(memory);
    if (fits.length === 0) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          '{0} has no models, and this machine has too little memory ({1}) for the small models we suggest. Pull one with "Promptscope: Pull Model".',
          ollama.endpoint.name,
          formatBytes(memory),
        ),
      );
      return undefined;
    }
    const items = pullPickItems(fits, suggested, memory);
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('{0} has no models yet: pull one to run with', ollama.endpoint.name),
      placeHolder: vscode.l10n.t('Sizes are downloads; a model needs about twice that in free memory'),
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    if (!(await pullModel(this.endpoints, ollama.endpoint, picked.model.name, this.log))) return undefined;
    this.endpoints.invalidate();
    this.catalog.refresh();
    const ref = modelRef(ollama.endpoint, picked.model.name);
    await this.state.update(REMEMBERED_KEY, ref);
    this.changed.fire();
    return ref;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

interface ModelPickItem extends vscode.QuickPickItem {
  ref?: string;
}

/** Quick-pick rows for every live model, grouped by endpoint: size, family, parameters, loaded/GPU. */
export function modelPickItems(lists: EndpointModels[], current?: string): ModelPickItem[] {
  const items: ModelPickItem[] = [];
  for (const list of describeModels(lists)) {
    items.push({ label: `${list.endpoint.name} · ${list.url}`, kind: vscode.QuickPickItemKind.Separator });
    if (list.problem !== undefined) {
      items.push({ label: `$(debug-disconnect) ${vscode.l10n.t('unreachable')}`, description: list.problem });
      continue;
    }
    for (const model of list.models) {
      items.push({
        label: `${model.ref === current ? '$(check)' : model.loaded ? '$(circle-filled)' : '$(circle-outline)'} ${model.ref}`,
        description: model.facts,
        ...(model.detail ? { detail: model.detail } : {}),
        ref: model.ref,
      });
    }
  }
  return items;
}

interface PullPickItem extends vscode.QuickPickItem {
  model: RecommendedModel;
}

function strengthText(model: RecommendedModel): string {
  switch (model.strength) {
    case 'tiny':
      return vscode.l10n.t('tiny and fast; enough to try the tools');
    case 'small':
      return vscode.l10n.t('small, good English');
    case 'bilingual':
      return vscode.l10n.t('small, good at Chinese and English');
    case 'laptop':
      return vscode.l10n.t('a good first model on a laptop');
    case 'strong':
      return vscode.l10n.t('stronger answers and reasoning; needs about 8 GB of free memory');
  }
}

function pullPickItems(fits: RecommendedModel[], suggested: RecommendedModel | undefined, memory: number): PullPickItem[] {
  const ordered = suggested ? [suggested, ...fits.filter((m) => m !== suggested)] : fits;
  return ordered.map((model) => ({
    label: `${model === suggested ? '$(star-full)' : '$(cloud-download)'} ${model.name}`,
    description: formatBytes(model.sizeBytes),
    detail:
      model === suggested
        ? vscode.l10n.t('Suggested for this machine ({0} of memory): {1}', formatBytes(memory), strengthText(model))
        : strengthText(model),
    model,
  }));
}
