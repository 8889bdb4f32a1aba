import { fieldText, parseFieldText, type InputField, type JsonValue, type PromptForm } from '../../shared/protocol';
import { button, make } from './layout';
import { t } from '../common/l10n';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

interface Entry {
  field: InputField;
  control: Control;
  message: HTMLElement;
  row: HTMLElement;
}

export interface FormReading {
  /** Values that differ from the defaults (the renderer applies defaults itself). */
  values: Record<string, JsonValue>;
  /** What is wrong, by input name: values that do not parse or fit, required inputs left empty. */
  problems: Record<string, string>;
}

function normalisedJson(text: string): string {
  try {
    return text === '' ? '' : JSON.stringify(JSON.parse(text) as JsonValue);
  } catch {
    return '';
  }
}

/** Text a field shows when it holds `value` (booleans and enums are JSON in their controls). */
function textOf(field: InputField, value: JsonValue | undefined): string {
  if (field.kind === 'boolean') return value === undefined ? '' : String(value === true);
  return fieldText(field, value);
}

/**
 * The variables form: a control per input of the prompt's schema (text, number, checkbox,
 * select for enums, JSON text areas checked as you type). Values are checked here before
 * anything is sent, and again by the host.
 */
export class InputsForm {
  private form: PromptForm | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly list: HTMLElement;
  private readonly runButton: HTMLButtonElement;
  private readonly message: HTMLElement;
  private changeTimer = 0;

  constructor(
    readonly element: HTMLElement,
    private readonly onChange: (reading: FormReading) => void,
    private readonly onRun: (reading: FormReading) => void,
    private readonly onDraft: (drafts: Record<string, string>) => void,
  ) {
    this.list = make('div', 'fields', element);
    const actions = make('div', 'form-actions', element);
    this.runButton = button(t('formRun'), 'run primary', 'play', actions);
    this.runButton.title = t('formRunTitle');
    this.runButton.addEventListener('click', () => this.submit());
    this.message = make('span', 'form-message', actions);
    this.message.setAttribute('role', 'status');
    element.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.submit();
      }
    });
  }

  get file(): string | undefined {
    return this.form?.file;
  }

  /** Builds the controls; `drafts` (text typed earlier) wins over `values`, which win over defaults. */
  setForm(form: PromptForm, values: Record<string, JsonValue>, drafts: Record<string, string> = {}): void {
    const sameFile = this.form?.file === form.file;
    // Text being typed survives a schema edit for inputs that keep their name and kind.
    const kept: Record<string, string> = {};
    if (sameFile)
      for (const [name, entry] of this.entries)
        if (form.fields.some((f) => f.name === name && f.kind === entry.field.kind)) kept[name] = this.rawText(entry);
    this.form = form;
    this.entries.clear();
    this.list.replaceChildren();
    if (form.fields.length === 0) {
      make('p', 'muted', this.list).textContent = form.source === 'schema' ? t('formNoInputs') : t('formNoVariables');
    }
    if (form.schemaError) make('p', 'form-warning', this.list).textContent = t('formSchemaError', form.schemaError);
    else if (form.source === 'template' && form.fields.length > 0) make('p', 'muted hint', this.list).textContent = t('formNoSchema');
    for (const field of form.fields) {
      const text = kept[field.name] ?? drafts[field.name] ?? textOf(field, values[field.name] ?? field.default);
      this.addField(field, text);
    }
    for (const entry of this.entries.values()) this.check(entry, false);
  }

  private addField(field: InputField, text: string): void {
    const row = make('div', `field kind-${field.kind}`, this.list);
    const id = `input-${field.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const label = make('label', 'field-label', row);
    label.htmlFor = id;
    make('span', 'field-name', label).textContent = field.name;
    if (field.required && field.default === undefined) {
      const star = make('span', 'required', label);
      star.textContent = '*';
      star.title = t('formRequired');
    }
    make('span', 'field-type', label).textContent = field.type;
    let control: Control;
    if (field.kind === 'boolean') {
      const box = make('input', 'checkbox', row);
      box.type = 'checkbox';
      box.checked = text === 'true';
      control = box;
    } else if (field.kind === 'enum') {
      const select = make('select', '', row);
      const none = make('option', '', select);
      none.value = '';
      none.textContent = field.required && field.default === undefined ? t('formChoose') : t('formNotSet');
      for (const option of field.options ?? []) {
        const o = make('option', '', select);
        o.value = JSON.stringify(option);
        o.textContent = typeof option === 'string' ? option : JSON.stringify(option);
      }
      select.value = normalisedJson(text);
      control = select;
    } else if (field.kind === 'json' || field.kind === 'string') {
      // Text can be long and span lines (a document, a question): a text area that grows.
      const area = make('textarea', field.kind, row);
      const fit = (): void => {
        area.rows = Math.min(8, Math.max(field.kind === 'json' ? 2 : 1, area.value.split('\n').length));
      };
      area.spellcheck = field.kind === 'string';
      area.value = text;
      fit();
      area.addEventListener('input', fit);
      if (field.kind === 'json')
        area.placeholder = field.shape === 'array' ? '["…"]' : field.shape === 'object' ? t('formJsonObjectExample') : t('formJsonValue');
      control = area;
    } else {
      const input = make('input', '', row);
      input.type = 'text';
      if (field.kind === 'number' || field.kind === 'integer') input.inputMode = field.kind === 'integer' ? 'numeric' : 'decimal';
      input.value = text;
      control = input;
    }
    control.id = id;
    control.name = field.name;
    if (field.default !== undefined && field.kind !== 'boolean' && field.kind !== 'enum')
      (control as HTMLInputElement).placeholder = t('formDefault', textOf(field, field.default).slice(0, 60));
    const message = make('div', 'field-message', row);
    message.id = `${id}-message`;
    control.setAttribute('aria-describedby', message.id);
    if (field.description) {
      const description = make('div', 'field-description muted', row);
      description.textContent = field.description;
      control.title = field.description;
    }
    const entry: Entry = { field, control, message, row };
    this.entries.set(field.name, entry);
    const changed = (immediate: boolean): void => {
      this.check(entry, false);
      this.onDraft(this.drafts());
      window.clearTimeout(this.changeTimer);
      if (immediate) this.changed();
      else this.changeTimer = window.setTimeout(() => this.changed(), 200);
    };
    control.addEventListener('input', () =>
      changed(control instanceof HTMLSelectElement || (control instanceof HTMLInputElement && control.type === 'checkbox')),
    );
  }

  private changed(): void {
    const reading = this.read();
    // Values that do not fit are not sent; the preview renders with the rest.
    const values: Record<string, JsonValue> = {};
    for (const [name, value] of Object.entries(reading.values)) if (!(name in reading.problems)) values[name] = value;
    this.onChange({ values, problems: reading.problems });
  }

  private rawText(entry: Entry): string {
    const c = entry.control;
    if (c instanceof HTMLInputElement && c.type === 'checkbox') return String(c.checked);
    return c.value;
  }

  drafts(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, entry] of this.entries) out[name] = this.rawText(entry);
    return out;
  }

  /** Parses one field; marks it (and, with `required`, an empty required one) as invalid. */
  private check(entry: Entry, required: boolean): { value?: JsonValue; error?: string } {
    const { field } = entry;
    const text = this.rawText(entry);
    let parsed = parseFieldText(field, text);
    if (field.kind === 'boolean' && field.default === undefined && text === 'false' && !field.required) parsed = {};
    if (!parsed.error && parsed.value === undefined && field.required && field.default === undefined && required)
      parsed = { error: t('formRequiredError') };
    const invalid = parsed.error !== undefined;
    entry.control.setAttribute('aria-invalid', String(invalid));
    entry.row.classList.toggle('invalid', invalid);
    entry.message.textContent = parsed.error ?? '';
    return parsed;
  }

  /** The form's values and problems; values equal to a default are left out. */
  read(markRequired = false): FormReading {
    const values: Record<string, JsonValue> = {};
    const problems: Record<string, string> = {};
    for (const [name, entry] of this.entries) {
      const { value, error } = this.check(entry, markRequired);
      if (error) problems[name] = error;
      else if (entry.field.required && entry.field.default === undefined && value === undefined) problems[name] = t('formRequiredError');
      if (value === undefined) continue;
      if (entry.field.default !== undefined && JSON.stringify(value) === JSON.stringify(entry.field.default)) continue;
      values[name] = value;
    }
    return { values, problems };
  }

  private submit(): void {
    const reading = this.read(true);
    const first = Object.keys(reading.problems)[0];
    if (first !== undefined) {
      this.setMessage(Object.keys(reading.problems).length === 1 ? t('formFixOne') : t('formFixMany'), true);
      this.focus(first);
      return;
    }
    this.setMessage('');
    this.onRun(reading);
  }

  setBusy(busy: boolean): void {
    this.runButton.disabled = busy;
  }

  setMessage(text: string, error = false): void {
    this.message.textContent = text;
    this.message.classList.toggle('error-text', error);
  }

  /** Focuses `field` (or the first field that needs attention, or the first field). */
  focus(field?: string): void {
    const reading = field === undefined ? this.read(true) : undefined;
    const name = field ?? Object.keys(reading?.problems ?? {})[0];
    const entry = (name !== undefined ? this.entries.get(name) : undefined) ?? this.entries.values().next().value;
    if (!entry) {
      this.runButton.focus();
      return;
    }
    if (field !== undefined) this.check(entry, true);
    entry.control.focus();
    entry.row.scrollIntoView({ block: 'nearest' });
  }
}
