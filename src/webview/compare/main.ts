import {
  COMPARE_REQUEST_TIMEOUT_MS,
  isCompareHostMessage,
  type CompareAction,
  type CompareHostMessage,
  type CompareReplyMessage,
  type ComparisonView,
  type RenderedReport,
} from '../../shared/compare-protocol';
import { HostChannel } from '../common/channel';
import { TokenCard } from '../common/popover';
import type { ViewMode } from './cell';
import { Grid, type UiState } from './grid';
import { FrameScheduler } from '../common/frames';
import { buildToolbar, exportFormatOf, renderBaselineChoices, renderHidden, renderModes, renderNotices, renderStatus } from './toolbar';
import { t, tCount } from '../common/l10n';
import { cardWords } from '../common/words';

interface SavedState {
  comparisonId?: string | undefined;
  ui?: Partial<UiState>;
}

const MODES: readonly ViewMode[] = ['tokens', 'text', 'diff'];

function restoreUi(saved: Partial<UiState> | undefined): UiState {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const widths: Record<string, number> = {};
  if (saved?.widths && typeof saved.widths === 'object') {
    for (const [k, v] of Object.entries(saved.widths)) if (typeof v === 'number' && Number.isFinite(v)) widths[k] = v;
  }
  return {
    columnsKey: typeof saved?.columnsKey === 'string' ? saved.columnsKey : '',
    order: strings(saved?.order),
    hidden: strings(saved?.hidden),
    widths,
    baseline: typeof saved?.baseline === 'string' ? saved.baseline : '',
    mode: MODES.includes(saved?.mode as ViewMode) ? (saved!.mode as ViewMode) : 'tokens',
    sync: saved?.sync !== false,
    differentOnly: saved?.differentOnly === true,
    colour: saved?.colour !== false,
  };
}

/** The comparison panel: renders the host's snapshot and updates; the host owns the comparison. */
class CompareApp {
  private readonly app = document.getElementById('app') ?? document.body;
  private readonly bar = buildToolbar(this.app);
  private readonly scheduler = new FrameScheduler(8);
  private readonly popover = new TokenCard(cardWords());
  private readonly channel = new HostChannel<CompareHostMessage, CompareReplyMessage>({
    accepts: isCompareHostMessage,
    onMessage: (m) => this.receive(m),
    timeoutMs: COMPARE_REQUEST_TIMEOUT_MS,
  });
  private readonly saved: SavedState;
  private ui: UiState;
  private view: ComparisonView | undefined;
  private grid: Grid | undefined;

  constructor() {
    const raw = this.channel.loadState();
    this.saved = raw !== null && typeof raw === 'object' ? (raw as SavedState) : {};
    this.ui = restoreUi(this.saved.ui);
    this.wire();
    this.applyUi();
    this.channel.ready();
  }

  private save(): void {
    this.channel.saveState({ comparisonId: this.view?.id ?? this.saved.comparisonId, ui: this.ui } satisfies SavedState);
  }

  private wire(): void {
    const b = this.bar;
    for (const button of b.modes) {
      button.addEventListener('click', () => {
        this.ui.mode = button.dataset['mode'] as ViewMode;
        this.save();
        this.applyUi();
        this.grid?.setMode();
      });
    }
    b.baseline.addEventListener('change', () => this.grid?.setBaseline(b.baseline.value));
    b.sync.addEventListener('change', () => {
      this.ui.sync = b.sync.checked;
      this.save();
    });
    b.differentOnly.addEventListener('change', () => {
      this.ui.differentOnly = b.differentOnly.checked;
      this.save();
      this.renderFilter();
    });
    b.colour.addEventListener('change', () => {
      this.ui.colour = b.colour.checked;
      this.save();
      this.applyUi();
    });
    for (const button of b.exports)
      button.addEventListener('click', () => void this.act({ action: 'export', format: exportFormatOf(button) }));
    b.cancel.addEventListener('click', () => void this.act({ action: 'cancel' }));
  }

  private applyUi(): void {
    const b = this.bar;
    b.sync.checked = this.ui.sync;
    b.differentOnly.checked = this.ui.differentOnly;
    b.colour.checked = this.ui.colour;
    document.body.classList.toggle('no-colour', !this.ui.colour);
    renderModes(b, this.ui.mode);
    if (this.view) {
      renderBaselineChoices(b, this.view.columns, this.ui.baseline);
      renderHidden(b, this.view.columns, this.ui.hidden, (id) => {
        this.grid?.setHidden(id, false);
      });
    }
  }

  private renderFilter(): void {
    const hidden = this.grid?.applyFilter() ?? 0;
    this.bar.filtered.textContent = this.ui.differentOnly && hidden > 0 ? tCount(hidden, 'rowsHiddenOne', 'rowsHiddenMany') : '';
  }

  private receive(message: Exclude<CompareHostMessage, { type: 'reply' }>): void {
    if (message.type === 'snapshot') {
      this.show(message.comparison);
      return;
    }
    const view = this.view;
    const grid = this.grid;
    if (view === undefined || grid === undefined) return;
    // Cells first: a cell may be announced in the same update that brings its first tokens.
    for (const cell of message.cells) grid.applyCell(cell);
    grid.afterUpdate();
    for (const batch of message.tokens) {
      if (!grid.applyTokens(batch)) {
        // A lost increment: ask for the whole comparison again.
        this.channel.ready();
        return;
      }
    }
    if (message.summary) {
      view.summary = message.summary;
      grid.applySummary(message.summary);
      this.renderFilter();
    }
    if (message.status) view.status = message.status;
    if (message.id !== undefined) {
      view.id = message.id;
      this.save();
    }
    if (message.notices) {
      view.notices = message.notices;
      renderNotices(this.bar, view.notices);
    }
    renderStatus(this.bar, view);
    if (message.status !== undefined && message.status !== 'running') this.report();
  }

  /** Tells the host what the panel shows, when the comparison has ended (or a finished one was shown again). */
  private report(): void {
    const view = this.view;
    const grid = this.grid;
    if (view === undefined || grid === undefined) return;
    let tokens = 0;
    for (const data of grid.cells.values()) tokens += data.tokens.length;
    this.channel.send({
      type: 'rendered',
      id: view.id,
      status: view.status,
      columns: view.columns.length,
      cells: grid.cells.size,
      tokens,
    } satisfies RenderedReport);
  }

  private show(view: ComparisonView): void {
    this.grid?.dispose();
    this.popover.hide();
    this.view = view;
    const ids = view.columns.map((c) => c.id);
    // Another comparison in this panel: the arrangement was made for other columns.
    const key = JSON.stringify(view.columns.map((c) => c.label));
    if (key !== this.ui.columnsKey) this.ui = { ...this.ui, columnsKey: key, order: [], hidden: [], widths: {}, baseline: '' };
    if (!ids.includes(this.ui.baseline)) this.ui.baseline = ids[0] ?? '';
    this.save();
    const grid = new Grid(view, {
      scheduler: this.scheduler,
      popover: this.popover,
      ui: () => this.ui,
      changed: () => {
        this.save();
        this.applyUi();
      },
      openRun: (cellId) => void this.act({ action: 'openRun', cellId }),
      showLogs: () => void this.act({ action: 'showLogs' }),
      tokenDetails: async (cellId, index) => (await this.channel.request({ action: 'token', cellId, index })).token,
    });
    this.grid = grid;
    // Chips appear over the next frames (within the frame budget), however long the snapshot.
    this.bar.scroller.replaceChildren(grid.element);
    renderStatus(this.bar, view);
    renderNotices(this.bar, view.notices);
    this.applyUi();
    this.renderFilter();
  }

  private async act(action: CompareAction): Promise<void> {
    const line = this.bar.message;
    try {
      const answer = await this.channel.request(action);
      line.textContent = answer.message ?? '';
      line.dataset['kind'] = 'ok';
    } catch (err) {
      line.textContent = t('couldNot', action.action, err instanceof Error ? err.message : String(err));
      line.dataset['kind'] = 'error';
    }
  }
}

new CompareApp();
