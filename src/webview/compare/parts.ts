import { COMPARE_METRICS, type ColumnSummaryView, type CompareCase, type CompareColumn } from '../../shared/compare-protocol';
import type { CellData } from './cell';
import { clip, el } from '../common/format';
import { metricLabel, metricText } from './metrics';
import { t, tCount } from '../common/l10n';

export interface HeadActions {
  move(column: string, by: number): void;
  hide(column: string): void;
  baseline(column: string): void;
  resizeBy(column: string, px: number): void;
  startResize(column: string, event: PointerEvent): void;
  drop(dragged: string, onto: string, after: boolean): void;
}

/** A column's sticky header: its label, live status and the controls to move, hide, resize it. */
export class ColumnHead {
  readonly element: HTMLElement;
  private readonly live: HTMLElement;
  private readonly baselineButton: HTMLButtonElement;

  constructor(
    readonly column: CompareColumn,
    actions: HeadActions,
    showVariant: boolean,
  ) {
    const root = (this.element = el('div', 'col-head'));
    root.dataset['col'] = column.id;
    root.setAttribute('role', 'columnheader');
    const top = el('div', 'col-top', undefined, root);
    const grip = el('span', 'grip', '⠿', top);
    grip.title = t('dragToReorder');
    grip.draggable = true;
    grip.addEventListener('dragstart', (e) => {
      e.dataTransfer?.setData('text/x-promptscope-column', column.id);
      if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
    });
    root.addEventListener('dragover', (e) => {
      if (e.dataTransfer?.types.includes('text/x-promptscope-column')) e.preventDefault();
    });
    root.addEventListener('drop', (e) => {
      const dragged = e.dataTransfer?.getData('text/x-promptscope-column');
      if (!dragged || dragged === column.id) return;
      e.preventDefault();
      const rect = root.getBoundingClientRect();
      actions.drop(dragged, column.id, e.clientX > rect.left + rect.width / 2);
    });
    const title = el('div', 'col-title', undefined, top);
    title.title = column.label;
    if (showVariant) el('span', 'variant', clip(column.variant, 60), title);
    el('span', 'model', clip(column.model, 80), title);
    this.live = el('div', 'col-live', undefined, root);
    this.live.setAttribute('aria-live', 'off');
    const bar = el('div', 'col-actions', undefined, root);
    const button = (text: string, label: string, onClick: () => void): HTMLButtonElement => {
      const b = el('button', 'icon', text, bar);
      b.title = label;
      b.setAttribute('aria-label', t('columnAction', label, column.label));
      b.addEventListener('click', onClick);
      return b;
    };
    button('◀', t('moveLeft'), () => actions.move(column.id, -1)).dataset['move'] = 'left';
    button('▶', t('moveRight'), () => actions.move(column.id, 1)).dataset['move'] = 'right';
    this.baselineButton = button(t('baseline'), t('baselineTitle'), () => actions.baseline(column.id));
    this.baselineButton.classList.replace('icon', 'small');
    button(t('hide'), t('hideColumn'), () => actions.hide(column.id)).classList.replace('icon', 'small');
    const handle = el('div', 'resize', undefined, root);
    handle.tabIndex = 0;
    handle.setAttribute('role', 'separator');
    handle.setAttribute('aria-orientation', 'vertical');
    handle.setAttribute('aria-label', t('resizeColumn', column.label));
    handle.addEventListener('pointerdown', (e) => actions.startResize(column.id, e));
    handle.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        actions.resizeBy(column.id, e.key === 'ArrowLeft' ? -24 : 24);
      }
    });
  }

  setBaseline(on: boolean): void {
    this.baselineButton.setAttribute('aria-pressed', String(on));
    this.element.classList.toggle('is-baseline', on);
  }

  /** Status from the column's cells: queued, streaming (with tokens so far), done, errors. */
  renderLive(cells: readonly CellData[], concurrency: number): void {
    const count = (status: string): number => cells.filter((c) => c.state.status === status).length;
    const tokens = cells.reduce((n, c) => n + c.contentTokens, 0);
    const queued = count('queued');
    const running = count('running');
    const errors = count('error');
    let text: string;
    let state: string;
    if (cells.length > 0 && queued === cells.length) {
      state = 'queued';
      text = tCount(concurrency, 'liveQueuedOne', 'liveQueuedMany');
    } else if (running > 0 || queued > 0) {
      state = 'running';
      const done = cells.length - queued - running;
      text = cells.length > 1 ? t('liveStreamingCells', tokens, done, cells.length) : t('liveStreaming', tokens);
    } else if (errors > 0) {
      state = 'error';
      text = t('liveFailed', errors, cells.length, tokens);
    } else if (count('stopped') + count('cancelled') > 0) {
      state = 'stopped';
      text = t('liveStopped', tokens);
    } else {
      state = 'completed';
      text = t('liveDone', tokens);
    }
    this.element.dataset['state'] = state;
    this.live.textContent = text;
  }
}

/** The summary row's cell of one column: each metric, the best one marked, pass counts, errors. */
export function renderSummaryCell(target: HTMLElement, summary: ColumnSummaryView | undefined, checked: boolean): void {
  target.replaceChildren();
  const list = el('dl', 'metrics', undefined, target);
  for (const metric of COMPARE_METRICS) {
    const best = summary?.best.includes(metric) ?? false;
    const row = el('div', best ? 'metric best' : 'metric', undefined, list);
    row.dataset['metric'] = metric;
    el('dt', '', metricLabel(metric), row);
    const dd = el('dd', '', metricText(metric, summary?.metrics[metric]), row);
    if (best) {
      const star = el('span', 'star', ' ★', dd);
      star.title = t('best');
      row.setAttribute('aria-label', t('metricBest', metricLabel(metric), dd.textContent ?? ''));
    }
  }
  if (summary === undefined) return;
  const totals = el('div', 'totals', undefined, target);
  if (checked && summary.casesChecked > 0) {
    const all = summary.casesPassed === summary.casesChecked;
    el('span', all ? 'passes all' : 'passes', t('passed', summary.casesPassed, summary.casesChecked), totals);
  }
  if (summary.errors > 0) el('span', 'errors', tCount(summary.errors, 'errorsOne', 'errorsMany'), totals);
}

/** A test case's row header: its name, line, inputs, and whether every column agrees. */
export function renderRowHead(target: HTMLElement, testCase: CompareCase, same: boolean | undefined, columns: number): void {
  target.replaceChildren();
  const name = el('div', 'case-name', undefined, target);
  el('strong', '', clip(testCase.id, 60), name);
  if (testCase.line > 0) el('span', 'muted', ` ${t('caseLine', testCase.line)}`, name);
  const inputs = Object.entries(testCase.inputs);
  if (inputs.length > 0) {
    const list = el('dl', 'inputs', undefined, target);
    for (const [key, value] of inputs.slice(0, 8)) {
      el('dt', '', clip(key, 30), list);
      const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
      const dd = el('dd', '', clip(text, 160), list);
      dd.title = text.slice(0, 2000);
    }
    if (inputs.length > 8) el('p', 'muted', t('moreInputs', inputs.length - 8), target);
  }
  if (same && columns > 1) el('span', 'agree', t('allAgree'), target);
}
