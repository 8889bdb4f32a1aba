import * as vscode from 'vscode';
import { parseModelRef, type EndpointConfig } from '../../core/providers';
import {
  checkValues,
  type HostMessage,
  type JsonValue,
  type ModelChoice,
  type PromptForm,
  type PromptPreview,
  type PromptState,
} from '../../shared/protocol';
import type { ModelChooser } from '../models/chooser';
import type { AnalysisCache } from '../language/analysis-cache';
import { partialContextFor } from '../language/settings';
import { rememberedInputs, rememberInputs } from '../runs/inputs';
import { runDefaults, SETTINGS_SECTION } from '../settings';
import { DisposableOwner } from '../disposable';
import { formFor } from './form';
import { previewPrompt } from './preview';

/** What a panel needs to show a prompt's form and preview. */
export interface PromptServices {
  cache: AnalysisCache;
  /** Workspace state, where the last values per file are remembered. */
  state: vscode.Memento;
  endpoints: () => readonly EndpointConfig[];
  /**
   * The model of the next run: the same per-prompt choice the status bar item and the Models view
   * set, so the panel, the status bar and "Use for This Prompt" always agree.
   */
  models: Pick<ModelChooser, 'effective' | 'useForPrompt' | 'writeToFrontmatter' | 'choices' | 'refreshModels' | 'onDidChange'>;
}

/** Edits are rendered once typing pauses for this long. */
const PREVIEW_DEBOUNCE_MS = 300;

/**
 * A run panel's prompt file: its variables form (from the input schema), the values the user
 * gave (remembered per file) and a live preview of what a run would send. Edits of the file
 * refresh both, debounced; the preview never calls a model.
 */
export class PromptBinding extends DisposableOwner {
  private formState!: PromptForm;
  private values: Record<string, JsonValue>;
  private latest: PromptPreview | undefined;
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private choice: ModelChoice;
  /** Increases with every model list request; only the newest list is sent. */
  private modelsSeq = 0;

  private constructor(
    readonly uri: vscode.Uri,
    private readonly services: PromptServices,
    private readonly post: (message: HostMessage) => void,
  ) {
    super();
    this.values = rememberedInputs(services.state, uri.toString());
    this.choice = { file: uri.toString() };
    // Chosen here, in the status bar or in the Models view: the preview and the picker follow.
    this.register(
      services.models.onDidChange(() => {
        this.schedule();
        void this.loadModels();
      }),
    );
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.uri.toString() && e.contentChanges.length > 0) this.schedule();
      }),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS_SECTION)) this.schedule();
      }),
    );
    this.register({ dispose: () => clearTimeout(this.timer) });
  }

  /** Binds to a prompt file; resolves once its form and first preview are ready. */
  static async create(uri: vscode.Uri, services: PromptServices, post: (message: HostMessage) => void): Promise<PromptBinding> {
    const binding = new PromptBinding(uri, services, post);
    const analysis = await services.cache.get(await binding.document());
    binding.formState = formFor(analysis, uri.toString(), vscode.workspace.asRelativePath(uri, false));
    await binding.render(false);
    void binding.loadModels();
    return binding;
  }

  get file(): string {
    return this.uri.toString();
  }

  get form(): PromptForm {
    return this.formState;
  }

  /** The values the form holds now (defaults are not included; the renderer applies them). */
  get current(): Record<string, JsonValue> {
    return { ...this.values };
  }

  state(): PromptState {
    return {
      form: this.formState,
      values: this.current,
      seq: this.seq,
      model: this.choice,
      ...(this.latest ? { preview: this.latest } : {}),
    };
  }

  document(): Thenable<vscode.TextDocument> {
    return vscode.workspace.openTextDocument(this.uri);
  }

  /** Problems with `values` by input name: wrong types, and required inputs with neither value nor default. */
  problems(values: Record<string, JsonValue> = this.values): Record<string, string> {
    return checkValues(this.formState.fields, values);
  }

  /** The form changed. Values of the wrong type are refused; missing ones are fine for a preview. */
  async update(values: Record<string, JsonValue>): Promise<void> {
    const wrong = Object.entries(this.problems(values)).filter(([, why]) => why !== 'Required.');
    if (wrong.length > 0) throw new Error(wrong.map(([name, why]) => `${name}: ${why}`).join(' '));
    this.values = { ...values };
    await rememberInputs(this.services.state, this.file, this.values);
    await this.render(true);
  }

  /** Remembers the values a run starts with. */
  async remember(values: Record<string, JsonValue>): Promise<void> {
    this.values = { ...values };
    await rememberInputs(this.services.state, this.file, this.values);
  }

  /** Uses `ref` for the next runs of this prompt (the file is not edited). */
  async useModel(ref: string): Promise<void> {
    // The webview names it: only a model of a configured endpoint (throws a clear ModelRefError otherwise).
    parseModelRef(ref, this.services.endpoints());
    this.services.models.useForPrompt(await this.document(), ref);
    await this.render(true);
  }

  /** Writes the model the next run uses into the frontmatter, as one undoable edit. */
  async writeModel(): Promise<void> {
    const document = await this.document();
    const current = this.services.models.effective(document);
    if (!current) throw new Error(vscode.l10n.t('No model is chosen for this prompt yet: pick one first.'));
    if (current.source === 'frontmatter') return;
    if (!(await this.services.models.writeToFrontmatter(document, current.ref)))
      throw new Error(vscode.l10n.t('The editor refused the edit of {0}.', this.formState.label));
  }

  /** Asks every endpoint for its models again; the picker gets the new lists. */
  async refreshModels(): Promise<void> {
    this.services.models.refreshModels();
    await this.loadModels();
  }

  /** Reads the live models of every endpoint (cached by the catalog) and sends them. */
  private async loadModels(): Promise<void> {
    const seq = ++this.modelsSeq;
    const groups = await this.services.models.choices();
    if (seq !== this.modelsSeq || this.isDisposed) return;
    this.choice = { ...this.choice, groups };
    this.post({ type: 'models', choice: this.choice });
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), PREVIEW_DEBOUNCE_MS);
  }

  /** Re-reads the file: new fields if its schema changed, and a new preview. */
  async refresh(): Promise<void> {
    const document = await this.document();
    const form = formFor(await this.services.cache.get(document), this.file, vscode.workspace.asRelativePath(this.uri, false));
    if (JSON.stringify(form) !== JSON.stringify(this.formState)) {
      this.formState = form;
      this.post({ type: 'form', form });
    }
    await this.render(true);
  }

  /** Renders a preview; when several overlap only the newest is kept and sent. */
  private async render(send: boolean): Promise<void> {
    const seq = ++this.seq;
    const document = await this.document();
    const analysis = await this.services.cache.get(document);
    const partials = partialContextFor(document);
    const { topLogprobs, keepAlive } = runDefaults(vscode.workspace.getConfiguration(SETTINGS_SECTION, this.uri));
    // The preview shows the model the next run uses, wherever that choice was made.
    const current = this.services.models.effective(document);
    const preview = await previewPrompt(document.getText(), {
      input: this.values,
      ...(current && current.source !== 'frontmatter' ? { model: current.ref } : {}),
      ...(partials ? { partials } : {}),
      endpoints: this.services.endpoints(),
      defaults: { topLogprobs, keepAlive },
      usesHistory: analysis.template.markers.some((m) => m.kind === 'history'),
    });
    if (seq !== this.seq) return;
    this.latest = preview;
    const changed = JSON.stringify(current) !== JSON.stringify(this.choice.current);
    if (changed) {
      const { current: _previous, ...rest } = this.choice;
      this.choice = current ? { ...rest, current: { ref: current.ref, source: current.source } } : rest;
    }
    if (send) this.post({ type: 'preview', file: this.file, seq, preview });
    if (send && changed) this.post({ type: 'models', choice: this.choice });
  }
}
