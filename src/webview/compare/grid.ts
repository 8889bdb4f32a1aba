import type { CellState, ComparisonView, SummaryView, TokenBatch, TokenColumns, TranscriptToken } from '../../shared/compare-protocol';
import { addTokens, cellData, SampleView, type CellData, type SampleContext, type ViewMode } from './cell';
import { el } from '../common/format';
import { ColumnHead, renderRowHead, renderSummaryCell, type HeadActions } from './parts';
import type { TokenCard } from '../common/popover';
import { wireGridEvents } from './interact';
import type { FrameScheduler } from '../common/frames';
import { renderVotes } from './votes';
import { dropColumn, followResize, gridTracks, moveColumn, setColumnWidth, visibleColumns } from './arrangement';
import { t, tCount } from '../common/l10n';

/** What the user arranged; kept in the webview's state across reloads. */
export interface UiState {
  /** The columns the arrangement below was made for (their labels). */
  columnsKey: string;
  order: string[];
  hidden: string[];
  widths: Record<string, number>;
  baseline: string;
  mode: ViewMode;
  sync: boolean;
  differentOnly: boolean;
  colour: boolean;
}

export interface GridContext {
  scheduler: FrameScheduler;
  popover: TokenCard;
  ui(): UiState;
  /** The user changed the arrangement: save it. */
  changed(): void;
  openRun(cellId: string): void;
  showLogs(): void;
  /** Asks the host for a token's alternatives. */
  tokenDetails(cellId: string, index: number): Promise<TranscriptToken | undefined>;
}

const REFRESH_MS = 250;

interface GridCell {
  element: HTMLElement;
  votes: HTMLElement;
  samples: SampleView[];
}

const key = (column: string, caseId: string): string => `${column}\u0000${caseId}`;

/**
 * The comparison grid: a header row (one column per variant × model), a summary row, then one
 * row per test case. Every item is placed explicitly in a CSS grid, so rows stay aligned across
 * columns and reordering, hiding or resizing a column moves no output around in the DOM.
 */
export class Grid {
  readonly element: HTMLElement;
  readonly cells = new Map<string, CellData>();
  private readonly views = new Map<string, SampleView>();
  private readonly gridCells = new Map<string, GridCell>();
  private readonly bySample = new Map<string, string>();
  private readonly heads = new Map<string, ColumnHead>();
  private readonly sums = new Map<string, HTMLElement>();
  private readonly rowHeads = new Map<string, HTMLElement>();
  private summary: SummaryView;
  private readonly stale = new Set<SampleView>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private liveTimer: ReturnType<typeof setTimeout> | undefined;
  private statesChanged = false;
  private readonly sampleCtx: SampleContext;

  constructor(
    readonly view: ComparisonView,
    private readonly ctx: GridContext,
  ) {
    this.summary = view.summary;
    this.element = el('div', 'grid');
    this.element.setAttribute('role', 'grid');
    this.element.setAttribute('aria-label', t('comparison'));
    this.sampleCtx = {
      scheduler: ctx.scheduler,
      mode: () => ctx.ui().mode,
      baselineOf: (data) => this.baselineOf(data),
      concurrency: () => view.concurrency,
      openRun: ctx.openRun,
      showLogs: ctx.showLogs,
      refreshLater: (v) => this.refreshLater(v),
    };
    this.build();
    for (const cell of view.cells) this.addCell(cell, cell.tokens);
    this.applySummary(view.summary);
    this.layout();
    wireGridEvents(this, ctx);
  }

  private build(): void {
    const place = (e: HTMLElement, row: number): HTMLElement => {
      e.style.gridRow = String(row);
      this.element.append(e);
      return e;
    };
    const corner = place(el('div', 'corner row-head'), 1);
    corner.style.gridColumn = '1';
    const cases = tCount(this.view.cases.length, 'casesOne', 'casesMany');
    el('span', 'muted', this.view.samples > 1 ? t('casesBySamples', cases, this.view.samples) : cases, corner);
    const actions: HeadActions = {
      move: (c, by) => this.move(c, by),
      hide: (c) => this.setHidden(c, true),
      baseline: (c) => this.setBaseline(c),
      resizeBy: (c, px) => this.resize(c, (this.heads.get(c)?.element.getBoundingClientRect().width ?? 300) + px, true),
      startResize: (c, e) => this.startResize(c, e),
      drop: (dragged, onto, after) => this.drop(dragged, onto, after),
    };
    const variants = new Set(this.view.columns.map((c) => c.variant)).size > 1;
    for (const column of this.view.columns) {
      const head = new ColumnHead(column, actions, variants);
      this.heads.set(column.id, head);
      place(head.element, 1);
    }
    const sumHead = place(el('div', 'row-head sum-head'), 2);
    sumHead.style.gridColumn = '1';
    el('strong', '', t('summary'), sumHead);
    el('p', 'muted', t('summaryNote'), sumHead);
    for (const column of this.view.columns) {
      const cell = place(el('div', 'sum-cell'), 2);
      cell.dataset['col'] = column.id;
      this.sums.set(column.id, cell);
    }
    this.view.cases.forEach((testCase, i) => {
      const row = i + 3;
      const head = place(el('div', 'row-head case-head'), row);
      head.style.gridColumn = '1';
      head.dataset['case'] = testCase.id;
      head.setAttribute('role', 'rowheader');
      this.rowHeads.set(testCase.id, head);
      for (const column of this.view.columns) {
        const element = place(el('div', 'cell'), row);
        element.dataset['col'] = column.id;
        element.dataset['case'] = testCase.id;
        element.setAttribute('role', 'gridcell');
        const votes = el('div', 'votes', undefined, element);
        votes.hidden = true;
        this.gridCells.set(key(column.id, testCase.id), { element, votes, samples: [] });
      }
    });
  }

  private addCell(state: CellState, tokens: TokenColumns | undefined): void {
    const target = this.gridCells.get(key(state.column, state.caseId));
    if (target === undefined || this.cells.has(state.id)) return;
    const data = cellData(state, tokens);
    this.cells.set(state.id, data);
    this.bySample.set(`${key(state.column, state.caseId)}\u0000${state.sample}`, state.id);
    const view = new SampleView(data, this.view.samples > 1, this.sampleCtx);
    this.views.set(state.id, view);
    const at = target.samples.findIndex((s) => s.data.state.sample > state.sample);
    if (at < 0) {
      target.samples.push(view);
      target.element.append(view.root);
    } else {
      target.element.insertBefore(view.root, target.samples[at]!.root);
      target.samples.splice(at, 0, view);
    }
    if (data.tokens.length > 0) view.onTokens();
  }

  /** New tokens for a cell; false when they do not follow what the cell has, or the cell is unknown (a lost message). */
  applyTokens(batch: TokenBatch): boolean {
    const data = this.cells.get(batch.cell);
    if (data === undefined || batch.from !== data.tokens.length) return false;
    addTokens(data, batch.tokens);
    this.views.get(batch.cell)?.onTokens();
    if (this.ctx.ui().mode === 'diff' && data.state.column === this.ctx.ui().baseline) {
      for (const column of this.view.columns) {
        const other = this.bySample.get(`${key(column.id, data.state.caseId)}\u0000${data.state.sample}`);
        const v = other === undefined ? undefined : this.views.get(other);
        if (v) this.refreshLater(v);
      }
    }
    this.scheduleLive();
    return true;
  }

  applyCell(state: CellState): void {
    const data = this.cells.get(state.id);
    if (data === undefined) {
      this.addCell(state, undefined);
    } else {
      data.state = state;
      const view = this.views.get(state.id)!;
      view.renderState();
      if (this.ctx.ui().mode !== 'tokens') this.refreshLater(view);
    }
    this.statesChanged = true;
  }

  /** After a message: column states follow cell states at once, token counts a few times a second. */
  afterUpdate(): void {
    if (!this.statesChanged) return;
    this.statesChanged = false;
    clearTimeout(this.liveTimer);
    this.liveTimer = undefined;
    this.renderLive();
  }

  applySummary(summary: SummaryView): void {
    this.summary = summary;
    const checked = this.view.cases.some((c) => c.checked);
    for (const column of this.view.columns)
      renderSummaryCell(
        this.sums.get(column.id)!,
        summary.columns.find((c) => c.column === column.id),
        checked,
      );
    if (this.view.samples > 1) {
      for (const vote of summary.votes) {
        const target = this.gridCells.get(key(vote.column, vote.caseId));
        if (target) renderVotes(target.votes, vote);
      }
    }
    for (const testCase of this.view.cases) {
      const same = summary.rows.find((r) => r.caseId === testCase.id)?.same;
      renderRowHead(this.rowHeads.get(testCase.id)!, testCase, same, this.view.columns.length);
    }
    this.applyFilter();
    this.renderLive();
  }

  /** Rows hidden by "different only". */
  applyFilter(): number {
    const only = this.ctx.ui().differentOnly;
    let hidden = 0;
    for (const testCase of this.view.cases) {
      const same = only && (this.summary.rows.find((r) => r.caseId === testCase.id)?.same ?? false);
      if (same) hidden += 1;
      this.rowHeads.get(testCase.id)!.classList.toggle('is-filtered', same);
      for (const column of this.view.columns)
        this.gridCells.get(key(column.id, testCase.id))!.element.classList.toggle('is-filtered', same);
    }
    return hidden;
  }

  /** Places every visible column in the user's order with its width. */
  layout(): void {
    const ui = this.ctx.ui();
    const visible = this.visibleColumns();
    this.element.style.gridTemplateColumns = gridTracks(ui, visible);
    for (const column of this.view.columns) {
      const at = visible.indexOf(column.id);
      const items = [
        this.heads.get(column.id)!.element,
        this.sums.get(column.id)!,
        ...this.view.cases.map((c) => this.gridCells.get(key(column.id, c.id))!.element),
      ];
      for (const item of items) {
        item.classList.toggle('is-hidden', at < 0);
        if (at >= 0) item.style.gridColumn = String(at + 2);
      }
      this.heads.get(column.id)!.setBaseline(column.id === ui.baseline && ui.mode === 'diff');
    }
  }

  /** Visible columns in display order. */
  visibleColumns(): string[] {
    return visibleColumns(this.ctx.ui(), this.known());
  }

  private known(): string[] {
    return this.view.columns.map((c) => c.id);
  }

  setMode(): void {
    for (const view of this.views.values()) view.setMode();
    this.layout();
  }

  setBaseline(column: string): void {
    const ui = this.ctx.ui();
    ui.baseline = column;
    if (ui.mode !== 'diff') ui.mode = 'diff';
    this.ctx.changed();
    this.setMode();
  }

  setHidden(column: string, hidden: boolean): void {
    const ui = this.ctx.ui();
    ui.hidden = hidden ? [...new Set([...ui.hidden, column])] : ui.hidden.filter((id) => id !== column);
    this.layout();
    this.ctx.changed();
  }

  move(column: string, by: number): void {
    if (!moveColumn(this.ctx.ui(), this.known(), column, by)) return;
    this.layout();
    this.ctx.changed();
    this.heads
      .get(column)
      ?.element.querySelector<HTMLButtonElement>(by < 0 ? 'button[data-move="left"]' : 'button[data-move="right"]')
      ?.focus();
  }

  private drop(dragged: string, onto: string, after: boolean): void {
    dropColumn(this.ctx.ui(), this.known(), dragged, onto, after);
    this.layout();
    this.ctx.changed();
  }

  private resize(column: string, width: number, save: boolean): void {
    setColumnWidth(this.ctx.ui(), column, width);
    this.layout();
    if (save) this.ctx.changed();
  }

  private startResize(column: string, event: PointerEvent): void {
    const width = this.heads.get(column)!.element.getBoundingClientRect().width;
    followResize(event, width, (w, save) => this.resize(column, w, save));
  }

  private baselineOf(data: CellData): CellData | undefined {
    const baseline = this.ctx.ui().baseline;
    if (data.state.column === baseline) return undefined;
    const id = this.bySample.get(`${key(baseline, data.state.caseId)}\u0000${data.state.sample}`);
    return id === undefined ? undefined : this.cells.get(id);
  }

  private refreshLater(view: SampleView): void {
    this.stale.add(view);
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      const views = [...this.stale];
      this.stale.clear();
      for (const v of views) v.refreshText();
      this.markBusy();
    }, REFRESH_MS);
    this.markBusy();
  }

  private scheduleLive(): void {
    this.liveTimer ??= setTimeout(() => {
      this.liveTimer = undefined;
      this.renderLive();
      this.markBusy();
    }, REFRESH_MS);
    this.markBusy();
  }

  /** aria-busy while coalesced updates wait: assistive technology (and tests) wait for a settled grid. */
  private markBusy(): void {
    const busy = this.refreshTimer !== undefined || this.liveTimer !== undefined;
    if (busy) this.element.setAttribute('aria-busy', 'true');
    else this.element.removeAttribute('aria-busy');
  }

  private renderLive(): void {
    const byColumn = new Map<string, CellData[]>();
    for (const data of this.cells.values()) {
      const list = byColumn.get(data.state.column) ?? [];
      list.push(data);
      byColumn.set(data.state.column, list);
    }
    for (const [id, head] of this.heads) head.renderLive(byColumn.get(id) ?? [], this.view.concurrency);
  }

  /** The view of a column's sample for a case (synchronized scrolling). */
  sampleView(column: string, caseId: string, sample: number): SampleView | undefined {
    const id = this.bySample.get(`${key(column, caseId)}\u0000${sample}`);
    return id === undefined ? undefined : this.views.get(id);
  }

  columnLabel(column: string): string {
    return this.view.columns.find((c) => c.id === column)?.label ?? '';
  }

  dispose(): void {
    for (const view of this.views.values()) view.dispose();
    clearTimeout(this.refreshTimer);
    clearTimeout(this.liveTimer);
    this.stale.clear();
  }
}
