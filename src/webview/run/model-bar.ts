import type { ModelChoice, ModelSource, RunAction } from '../../shared/protocol';
import { t } from '../common/l10n';
import { button, icon, make } from './layout';

const SOURCE_KEYS = {
  session: 'modelSourceSession',
  frontmatter: 'modelSourceFrontmatter',
  default: 'modelSourceDefault',
} as const satisfies Record<ModelSource, string>;

/** The value of the placeholder option shown while no model is chosen. */
const NONE = '';

/**
 * The model the next run uses, and a picker among the live models of every endpoint (the host
 * lists them, as the "Choose Model…" quick pick does). Picking sends the choice to the host,
 * which keeps it as this prompt's model for the session, like the status bar item and the Models
 * view's "Use for This Prompt": the file is only edited by the explicit "Write to frontmatter".
 * A native <select>, so keyboard and screen readers work as everywhere else.
 */
export class ModelBar {
  private choice: ModelChoice | undefined;
  private readonly select: HTMLSelectElement;
  private readonly source: HTMLElement;
  private readonly write: HTMLButtonElement;
  private readonly refresh: HTMLButtonElement;
  private readonly message: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly act: (action: RunAction) => Promise<void>,
  ) {
    root.hidden = true;
    root.append(icon('hubot'));
    this.select = make('select', 'model-select', root);
    this.select.setAttribute('aria-label', t('modelPicker'));
    this.select.title = t('modelPicker');
    this.source = make('span', 'model-source muted', root);
    this.write = button(t('modelWrite'), 'model-write', 'save', root);
    this.refresh = button(t('modelRefreshLabel'), 'model-refresh', 'refresh', root);
    this.refresh.setAttribute('aria-label', t('modelRefresh'));
    this.refresh.title = t('modelRefresh');
    this.message = make('span', 'model-message', root);
    this.message.setAttribute('role', 'status');
    this.select.addEventListener('change', () => void this.picked());
    this.write.addEventListener('click', () => void this.request({ action: 'writeModel', file: this.choice?.file ?? '' }));
    this.refresh.addEventListener('click', () => void this.request({ action: 'refreshModels', file: this.choice?.file ?? '' }));
  }

  /** Shows the choice for the panel's prompt (undefined: a panel of saved runs, no picker). */
  show(choice: ModelChoice | undefined): void {
    this.choice = choice;
    this.root.hidden = choice === undefined;
    if (!choice) return;
    const current = choice.current;
    const options: HTMLElement[] = [];
    const listed = new Set(choice.groups?.flatMap((g) => g.models.map((m) => m.ref)) ?? []);
    if (!current) options.push(option(NONE, t('modelNone')));
    else if (!listed.has(current.ref)) options.push(option(current.ref, choice.groups ? t('modelNotListed', current.ref) : current.ref));
    if (!choice.groups) {
      const loading = option('', t('modelLoading'));
      loading.disabled = true;
      options.push(loading);
    }
    for (const group of choice.groups ?? []) {
      const optgroup = document.createElement('optgroup');
      optgroup.label = `${group.endpoint} · ${group.url}`;
      if (group.problem !== undefined) {
        const down = option('', t('modelUnreachable', group.endpoint, group.problem));
        down.disabled = true;
        optgroup.append(down);
      }
      for (const model of group.models) {
        const o = option(model.ref, model.description ? `${model.ref} — ${model.description}` : model.ref);
        o.title = model.description;
        optgroup.append(o);
      }
      options.push(optgroup);
    }
    this.select.replaceChildren(...options);
    this.select.value = current?.ref ?? NONE;
    this.source.textContent = current ? t(SOURCE_KEYS[current.source]) : '';
    // Writing is for a model chosen outside the file; one the frontmatter names is there already.
    this.write.hidden = !current || current.source === 'frontmatter';
    if (current) this.write.title = t('modelWriteTitle', current.ref);
  }

  private async picked(): Promise<void> {
    const ref = this.select.value;
    const file = this.choice?.file;
    if (!file || ref === NONE || ref === this.choice?.current?.ref) return;
    await this.request({ action: 'useModel', file, ref });
  }

  private async request(action: RunAction): Promise<void> {
    this.message.textContent = '';
    this.message.classList.remove('error-text');
    try {
      await this.act(action);
    } catch (err) {
      // The host refused: the picker goes back to the model the next run really uses.
      this.show(this.choice);
      this.message.classList.add('error-text');
      this.message.textContent = t('couldNot', action.action, err instanceof Error ? err.message : String(err));
    }
  }
}

function option(value: string, label: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  return o;
}
