import type { CompareColumn, ComparisonView, ExportFormat } from '../../shared/compare-protocol';
import type { ViewMode } from './cell';
import { clip, el } from '../common/format';
import { t, tCount } from '../common/l10n';
import { statusText } from '../common/words';

export interface Toolbar {
  title: HTMLElement;
  status: HTMLElement;
  modes: HTMLButtonElement[];
  baseline: HTMLSelectElement;
  sync: HTMLInputElement;
  differentOnly: HTMLInputElement;
  filtered: HTMLElement;
  colour: HTMLInputElement;
  exports: HTMLButtonElement[];
  cancel: HTMLButtonElement;
  hiddenBar: HTMLElement;
  notices: HTMLElement;
  message: HTMLElement;
  scroller: HTMLElement;
}

function check(parent: HTMLElement, label: string, cls: string): HTMLInputElement {
  const wrap = el('label', `check ${cls}`, undefined, parent);
  const input = el('input', '', undefined, wrap);
  input.type = 'checkbox';
  wrap.append(document.createTextNode(` ${label}`));
  return input;
}

/** The panel's fixed parts: the toolbar, notices, hidden-column chips and the grid's scroller. */
export function buildToolbar(app: HTMLElement): Toolbar {
  const header = el('header', 'toolbar', undefined, app);
  const titles = el('div', 'titles', undefined, header);
  const title = el('h1', 'title', t('comparison'), titles);
  const status = el('span', 'status', '', titles);
  status.setAttribute('aria-live', 'polite');
  const controls = el('div', 'controls', undefined, header);
  const views = el('div', 'views', undefined, controls);
  views.setAttribute('role', 'group');
  views.setAttribute('aria-label', t('outputView'));
  const modes = (['tokens', 'text', 'diff'] as const).map((mode) => {
    const b = el('button', 'view', mode === 'tokens' ? t('viewTokens') : mode === 'text' ? t('viewText') : t('viewDiff'), views);
    b.dataset['mode'] = mode;
    return b;
  });
  const baseLabel = el('label', 'baseline', `${t('baseline')} `, controls);
  const baseline = el('select', '', undefined, baseLabel);
  const sync = check(controls, t('syncScroll'), 'sync');
  const differentOnly = check(controls, t('differentOnly'), 'different');
  const filtered = el('span', 'filtered muted', '', controls);
  const colour = check(controls, t('colour'), 'colour');
  const exportsGroup = el('div', 'exports', undefined, controls);
  exportsGroup.setAttribute('role', 'group');
  exportsGroup.setAttribute('aria-label', t('exportGroup'));
  el('span', 'muted', t('exportLabel'), exportsGroup);
  // File format names, the same in every language.
  const formats = [
    ['markdown', 'Markdown'],
    ['csv', 'CSV'],
    ['jsonl', 'JSONL'],
  ] as const;
  const exports = formats.map(([format, name]) => {
    const b = el('button', 'export', name, exportsGroup);
    b.dataset['format'] = format;
    b.title = t('exportTitle', name);
    return b;
  });
  const cancel = el('button', 'cancel', t('cancel'), controls);
  cancel.title = t('cancelTitle');
  const hiddenBar = el('nav', 'hidden-cols', undefined, app);
  hiddenBar.setAttribute('aria-label', t('hiddenColumns'));
  const notices = el('section', 'notices', undefined, app);
  notices.setAttribute('aria-live', 'polite');
  const message = el('p', 'panel-message', '', app);
  message.setAttribute('role', 'status');
  const scroller = el('div', 'grid-scroll', undefined, app);
  return { title, status, modes, baseline, sync, differentOnly, filtered, colour, exports, cancel, hiddenBar, notices, message, scroller };
}

export function exportFormatOf(button: HTMLButtonElement): ExportFormat {
  return button.dataset['format'] as ExportFormat;
}

export function renderStatus(bar: Toolbar, view: ComparisonView): void {
  const facts = [tCount(view.columns.length, 'columnsOne', 'columnsMany'), tCount(view.cases.length, 'casesOne', 'casesMany')];
  if (view.samples > 1) facts.push(t('samplesMany', view.samples));
  if (view.temperature !== undefined) facts.push(t('temperature', view.temperature));
  const state = view.status === 'stopped' ? t('comparisonStopped') : statusText(view.status);
  bar.status.textContent = `${state} · ${facts.join(' · ')}`;
  bar.status.dataset['status'] = view.status;
  bar.cancel.hidden = view.status !== 'running';
  bar.title.textContent = view.title;
  bar.title.title = view.file;
}

export function renderBaselineChoices(bar: Toolbar, columns: readonly CompareColumn[], baseline: string): void {
  bar.baseline.replaceChildren(
    ...columns.map((c) => {
      const o = document.createElement('option');
      o.value = c.id;
      o.textContent = clip(c.label, 60);
      return o;
    }),
  );
  bar.baseline.value = baseline;
  // Picking a baseline works in every view (it opens the diff, like a column's Baseline button); with one column there is nothing to diff against.
  bar.baseline.disabled = columns.length < 2;
}

export function renderModes(bar: Toolbar, mode: ViewMode): void {
  for (const b of bar.modes) b.setAttribute('aria-pressed', String(b.dataset['mode'] === mode));
}

export function renderHidden(bar: Toolbar, columns: readonly CompareColumn[], hidden: readonly string[], show: (id: string) => void): void {
  const list = columns.filter((c) => hidden.includes(c.id));
  bar.hiddenBar.hidden = list.length === 0;
  bar.hiddenBar.replaceChildren();
  if (list.length === 0) return;
  el('span', 'muted', t('hiddenHeading'), bar.hiddenBar);
  for (const column of list) {
    const b = el('button', 'small', t('showColumn', clip(column.label, 40)), bar.hiddenBar);
    b.addEventListener('click', () => show(column.id));
  }
}

export function renderNotices(bar: Toolbar, notices: readonly string[]): void {
  bar.notices.replaceChildren(...notices.map((text) => el('p', 'notice', text)));
}
