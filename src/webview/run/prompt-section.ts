import type { HostMessage, PromptState, RunAction } from '../../shared/protocol';
import { t, tCount } from '../common/l10n';
import { InputsForm, type FormReading } from './form';
import type { Layout } from './layout';
import { ModelBar } from './model-bar';
import { renderPreview } from './preview';

type PromptMessage = Extract<HostMessage, { type: 'form' | 'preview' | 'focus' | 'models' }>;

/**
 * The prompt a panel is bound to: its variables form, the live preview, the model picker and the
 * folded summary line. Drafts (what was typed, valid or not) are kept per file across reloads.
 */
export class PromptSection {
  private prompt: PromptState | undefined;
  private drafts: Record<string, string>;
  private readonly form: InputsForm;
  private readonly models: ModelBar;

  constructor(
    private readonly el: Layout,
    drafts: Record<string, string>,
    private readonly request: (action: RunAction) => Promise<void>,
    /** Called when the drafts change, so the panel saves its state. */
    private readonly onDrafts: () => void,
  ) {
    this.drafts = drafts;
    this.form = new InputsForm(
      el.inputs,
      (r) => void this.formChanged(r),
      (r) => void this.run(r),
      (d) => {
        this.drafts = d;
        this.onDrafts();
      },
    );
    this.models = new ModelBar(el.modelBar, request);
  }

  get state(): PromptState | undefined {
    return this.prompt;
  }

  get savedDrafts(): Record<string, string> {
    return this.drafts;
  }

  show(prompt: PromptState): void {
    const previous = this.prompt;
    const sameFile = previous?.form.file === prompt.form.file;
    if (!sameFile && previous) this.drafts = {};
    // A snapshot can carry an older preview than one already shown.
    if (sameFile && previous.seq > prompt.seq)
      prompt = { ...prompt, seq: previous.seq, ...(previous.preview ? { preview: previous.preview } : {}) };
    this.prompt = prompt;
    this.el.prompt.hidden = false;
    if (!sameFile || JSON.stringify(previous.form) !== JSON.stringify(prompt.form))
      this.form.setForm(prompt.form, prompt.values, this.drafts);
    renderPreview(this.el.preview, prompt.preview);
    this.models.show(prompt.model);
    this.renderSummary();
  }

  receive(message: PromptMessage): void {
    const p = this.prompt;
    if (!p) return;
    switch (message.type) {
      case 'form':
        if (p.form.file !== message.form.file) return;
        p.form = message.form;
        this.form.setForm(message.form, p.values, this.drafts);
        break;
      case 'preview':
        if (p.form.file !== message.file || message.seq < p.seq) return;
        p.seq = message.seq;
        p.preview = message.preview;
        renderPreview(this.el.preview, message.preview);
        break;
      case 'models':
        if (p.form.file !== message.choice.file) return;
        p.model = message.choice;
        this.models.show(message.choice);
        break;
      case 'focus':
        this.el.prompt.open = true;
        this.form.focus(message.field);
        return;
    }
    this.renderSummary();
  }

  private renderSummary(): void {
    const p = this.prompt;
    if (!p) return;
    const summary = this.el.promptSummary;
    summary.replaceChildren();
    const name = document.createElement('span');
    name.className = 'prompt-file';
    name.textContent = p.form.label;
    const facts = document.createElement('span');
    facts.className = 'muted';
    const model = p.preview?.model;
    const count = p.form.fields.length;
    facts.textContent = [
      '',
      tCount(count, 'inputsOne', 'inputsMany'),
      ...(model ? [model.ref] : []),
      ...(p.preview && !p.preview.ok ? [t('doesNotRender')] : []),
    ].join(' · ');
    summary.append(`${t('promptHeading')} `, name, facts);
  }

  private async formChanged(reading: FormReading): Promise<void> {
    const file = this.form.file;
    if (!file) return;
    try {
      await this.request({ action: 'preview', file, values: reading.values });
    } catch (err) {
      this.form.setMessage(err instanceof Error ? err.message : String(err), true);
    }
  }

  private async run(reading: FormReading): Promise<void> {
    const file = this.form.file;
    if (!file) return;
    this.form.setBusy(true);
    try {
      await this.request({ action: 'run', file, values: reading.values });
    } catch (err) {
      this.form.setMessage(err instanceof Error ? err.message : String(err), true);
    } finally {
      this.form.setBusy(false);
    }
  }
}
