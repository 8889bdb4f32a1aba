import type { CompareColumn, ComparisonView, ExportFormat } from '../../shared/compare-protocol';
import type { ViewMode } from './cell';
import { clip, el } from '../common/format';

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
  const title = el('h1', 'title', 'Comparison', titles);
  const status = el('span', 'status', '', titles);
  status.setAttribute('aria-live', 'polite');
  const controls = el('div', 'controls', undefined, header);
  const views = el('div', 'views', undefined, controls);
  views.setAttribute('role', 'group');
  views.setAttribute('aria-label', 'output view');
  const modes = (['tokens', 'text', 'diff'] as const).map((mode) => {
    const b = el('button', 'view', mode === 'tokens' ? 'Tokens' : mode === 'text' ? 'Text' : 'Diff', views);
    b.dataset['mode'] = mode;
    return b;
  });
  const baseLabel = el('label', 'baseline', 'Baseline ', controls);
  const baseline = el('select', '', undefined, baseLabel);
  const sync = check(controls, 'Sync scroll', 'sync');
  const differentOnly = check(controls, 'Different only', 'different');
  const filtered = el('span', 'filtered muted', '', controls);
  const colour = check(controls, 'Colour', 'colour');
  const exportsGroup = el('div', 'exports', undefined, controls);
  exportsGroup.setAttribute('role', 'group');
  exportsGroup.setAttribute('aria-label', 'export');
  el('span', 'muted', 'Export', exportsGroup);
  const exports = ([['markdown', 'Markdown'], ['csv', 'CSV'], ['jsonl', 'JSONL']] as const).map(([format, label]) => {
    const b = el('button', 'export', label, exportsGroup);
    b.dataset['format'] = format;
    b.title = `Save the grid as ${label}`;
    return b;
  });
  const cancel = el('button', 'cancel', 'Cancel', controls);
  cancel.title = 'Stop every column; what has arrived is kept';
  const hiddenBar = el('nav', 'hidden-cols', undefined, app);
  hiddenBar.setAttribute('aria-label', 'hidden columns');
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
  const facts = [
    `${view.columns.length} column${view.columns.length === 1 ? '' : 's'}`,
    `${view.cases.length} case${view.cases.length === 1 ? '' : 's'}`,
  ];
  if (view.samples > 1) facts.push(`${view.samples} samples`);
  if (view.temperature !== undefined) facts.push(`temperature ${view.temperature}`);
  const state = view.status === 'running' ? 'running…' : view.status === 'stopped' ? 'stopped — output kept' : 'completed';
  bar.status.textContent = `${state} · ${facts.join(' · ')}`;
  bar.status.dataset['status'] = view.status;
  bar.cancel.hidden = view.status !== 'running';
  bar.title.textContent = view.title;
  bar.title.title = view.file;
}

export function renderBaselineChoices(bar: Toolbar, columns: readonly CompareColumn[], baseline: string): void {
  bar.baseline.replaceChildren(...columns.map((c) => {
    const o = document.createElement('option');
    o.value = c.id;
    o.textContent = clip(c.label, 60);
    return o;
  }));
  bar.baseline.value = baseline;
}

export function renderModes(bar: Toolbar, mode: ViewMode): void {
  for (const b of bar.modes) b.setAttribute('aria-pressed', String(b.dataset['mode'] === mode));
  bar.baseline.disabled = mode !== 'diff';
}

export function renderHidden(bar: Toolbar, columns: readonly CompareColumn[], hidden: readonly string[], show: (id: string) => void): void {
  const list = columns.filter((c) => hidden.includes(c.id));
  bar.hiddenBar.hidden = list.length === 0;
  bar.hiddenBar.replaceChildren();
  if (list.length === 0) return;
  el('span', 'muted', 'Hidden:', bar.hiddenBar);
  for (const column of list) {
    const b = el('button', 'small', `Show ${clip(column.label, 40)}`, bar.hiddenBar);
    b.addEventListener('click', () => show(column.id));
  }
}

export function renderNotices(bar: Toolbar, notices: readonly string[]): void {
  bar.notices.replaceChildren(...notices.map((text) => el('p', 'notice', text)));
}
