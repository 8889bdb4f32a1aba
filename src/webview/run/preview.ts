import type { JsonValue, PreviewTurn, PromptPreview } from '../../shared/protocol';
import { icon, make } from './layout';
import { t } from '../common/l10n';

const ROLE_ICONS: Record<string, string> = { system: 'settings-gear', user: 'account', model: 'sparkle', tool: 'tools' };

function valueText(v: JsonValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** One line of `name value` pairs (config, run options). */
export function pairs(parent: HTMLElement, className: string, label: string, record: Record<string, JsonValue> | undefined): void {
  if (!record || Object.keys(record).length === 0) return;
  const dl = make('dl', `pairs ${className}`, parent);
  dl.setAttribute('aria-label', label);
  for (const [key, value] of Object.entries(record)) {
    const item = make('div', '', dl);
    make('dt', '', item).textContent = key;
    make('dd', '', item).textContent = valueText(value);
  }
}

/**
 * The live preview: the resolved model and config, then the rendered messages by role with
 * history, media and sections marked. Everything is text (the prompt may quote anything).
 */
export function renderPreview(container: HTMLElement, preview: PromptPreview | undefined): void {
  container.replaceChildren();
  if (!preview) {
    make('p', 'muted', container).textContent = t('previewRendering');
    return;
  }
  const head = make('div', 'preview-head', container);
  const model = preview.model;
  if (model) {
    const line = make('div', model.error ? 'model-line bad' : 'model-line', head);
    line.append(icon(model.error ? 'warning' : 'server'));
    const ref = make('code', 'model-ref', line);
    ref.textContent = model.ref || t('previewNoModel');
    if (model.error) {
      make('span', 'model-error', line).textContent = model.error;
    } else {
      make('span', 'muted', line).textContent =
        ` ${t('previewModelLine', model.kind ?? '', model.endpoint ?? '', model.url ?? '', model.name ?? '')}`;
    }
  }
  pairs(head, 'config', t('previewConfig'), preview.config);
  pairs(head, 'options', t('previewOptions'), preview.options);
  if (!preview.ok) {
    const error = make('p', 'preview-error', container);
    error.setAttribute('role', 'alert');
    error.textContent = preview.error ?? t('previewDoesNotRender');
  }
  for (const note of preview.notes) make('p', 'notice', container).textContent = note;
  renderTurns(container, preview.turns);
  if (preview.ok && preview.turns.length === 0) make('p', 'muted', container).textContent = t('previewNoMessages');
}

/** Rendered messages by role, with history, media and sections marked; everything as text. */
export function renderTurns(container: HTMLElement, list: readonly PreviewTurn[]): void {
  const turns = make('ol', 'turns', container);
  turns.setAttribute('aria-label', t('previewMessages'));
  for (const turn of list) {
    const li = make('li', 'turn', turns);
    li.dataset['role'] = ['system', 'user', 'model', 'tool'].includes(turn.role) ? turn.role : 'other';
    const label = make('div', 'turn-role', li);
    label.append(icon(ROLE_ICONS[turn.role] ?? 'comment'));
    make('span', '', label).textContent = turn.role;
    if (turn.purpose) make('span', 'badge', label).textContent = turn.purpose;
    for (const part of turn.parts) {
      switch (part.kind) {
        case 'text': {
          const text = part.text.replace(/^\n+|\n+$/g, '');
          if (text !== '') make('div', 'part-text', li).textContent = text;
          break;
        }
        case 'media': {
          const media = make('div', 'part-media', li);
          media.append(icon('file-media'));
          make('span', 'badge', media).textContent = part.contentType ?? t('previewMedia');
          make('code', '', media).textContent = part.url;
          break;
        }
        case 'section': {
          const section = make('div', 'part-section', li);
          section.append(icon('symbol-namespace'));
          section.append(t('previewSection', part.name));
          break;
        }
        case 'data':
          make('code', 'part-data', li).textContent = part.json;
          break;
      }
    }
  }
}
