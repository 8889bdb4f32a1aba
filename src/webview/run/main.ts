import {
  isHostMessage,
  REQUEST_TIMEOUT_MS,
  type HostMessage,
  type ReplyMessage,
  type RunAction,
  type RunSent,
  type RunTranscript,
  type TranscriptToken,
} from '../../shared/protocol';
import { HostChannel } from '../common/channel';
import type { ColourMode } from '../common/colour';
import { hexOfBytes, isPartialUtf8 } from '../common/format';
import { moveChipFocus } from '../common/keys';
import { TokenCard, type CardFact } from '../common/popover';
import { renderError, renderNotices, renderTabs } from './chrome';
import { PromptSection } from './prompt-section';
import { renderSent } from './sent';
import { buildLayout } from './layout';
import { renderMarkdown } from './markdown';
import { renderCharts, renderStats, RunSeries } from './stats';
import { TokenStrip } from './tokens';
import { cardWords, probabilityFacts, statusText, timeFact } from '../common/words';
import { t } from '../common/l10n';

type OutputView = 'tokens' | 'text' | 'markdown';

interface UiState {
  view: OutputView;
  colour: ColourMode;
  /** Whether the prompt section (form and preview) is open. */
  promptOpen: boolean;
}

interface SavedState extends Partial<UiState> {
  runIds?: string[];
  activeRunId?: string;
  /** The prompt file the panel shows; the host binds to it again after a reload. */
  file?: string;
  /** What was typed into the form, valid or not, for that file. */
  drafts?: Record<string, string>;
}

/** The run panel: renders host snapshots and increments; the host owns the transcript. */
class RunPanelApp {
  private runs = new Map<string, RunTranscript>();
  private activeId = '';
  private ui: UiState = { view: 'tokens', colour: 'probability', promptOpen: true };
  /** Every run this panel has shown, saved across reloads: a snapshot of one of them is not a new run. */
  private readonly shownRunIds = new Set<string>();
  /** What saved runs sent, by run id (runs reopened from History). */
  private sent = new Map<string, RunSent>();
  private readonly channel = new HostChannel<HostMessage, ReplyMessage>({
    accepts: isHostMessage,
    onMessage: (m) => this.receive(m),
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  private readonly popover = new TokenCard(cardWords());
  private content!: TokenStrip;
  private thinking!: TokenStrip;
  private readonly el = buildLayout();
  private readonly prompt: PromptSection;
  private statsFrame = 0;
  /** Stats and chart numbers of the active run, kept up to date as tokens arrive. */
  private series = new RunSeries();
  /** Follow new tokens while the output is scrolled to its end. */
  private stick = true;

  constructor() {
    const saved = (this.channel.loadState() ?? {}) as SavedState;
    if (saved.view) this.ui.view = saved.view;
    if (saved.colour) this.ui.colour = saved.colour;
    if (saved.promptOpen !== undefined) this.ui.promptOpen = saved.promptOpen;
    for (const id of saved.runIds ?? []) this.shownRunIds.add(id);
    this.prompt = new PromptSection(
      this.el,
      saved.drafts && saved.file ? saved.drafts : {},
      (action) => this.channel.request(action).then(() => undefined),
      () => this.save(),
    );
    this.el.prompt.open = this.ui.promptOpen;
    this.el.prompt.addEventListener('toggle', () => {
      this.ui.promptOpen = this.el.prompt.open;
      this.save();
    });
    this.el.colour.value = this.ui.colour;
    this.renderLegend();
    this.el.colour.addEventListener('change', () => {
      this.ui.colour = this.el.colour.value as ColourMode;
      this.save();
      this.renderLegend();
      const run = this.active();
      if (run) {
        const all = [...run.prefix, ...run.tokens];
        this.content.recolour(all, 0);
        this.thinking.recolour(all, 0);
      }
    });
    for (const button of this.el.viewButtons) button.addEventListener('click', () => this.setView(button.dataset['view'] as OutputView));
    this.el.stop.addEventListener('click', () => void this.act({ action: 'stop', runId: this.activeId }));
    this.el.output.addEventListener('keydown', (e) => this.onKey(e));
    this.el.output.addEventListener(
      'scroll',
      () => {
        const o = this.el.output;
        this.stick = o.scrollHeight - o.scrollTop - o.clientHeight < 32;
        this.followCard(o.getBoundingClientRect());
      },
      { passive: true },
    );
    this.el.output.addEventListener('mouseover', (e) => this.onHover(e));
    this.el.output.addEventListener('click', (e) => this.onHover(e, true));
    this.el.output.addEventListener('focusin', (e) => {
      // Focus coming back from the popover (Escape) should not reopen it.
      if (!this.popover.returningFocus) this.onHover(e);
    });
    this.content = new TokenStrip(
      this.el.contentStrip,
      'content',
      () => this.ui.colour,
      () => this.afterRender(),
    );
    this.thinking = new TokenStrip(
      this.el.thinkingStrip,
      'thinking',
      () => this.ui.colour,
      () => undefined,
    );
    this.renderChrome();
    this.channel.ready();
  }

  /** The webview's state survives reloads; the run ids let the host restore the runs from history. */
  private save(): void {
    const state: SavedState = { ...this.ui, runIds: [...this.shownRunIds], activeRunId: this.activeId };
    const prompt = this.prompt.state;
    if (prompt) {
      state.file = prompt.form.file;
      state.drafts = this.prompt.savedDrafts;
    }
    this.channel.saveState(state);
  }

  private active(): RunTranscript | undefined {
    return this.runs.get(this.activeId);
  }

  private receive(message: HostMessage): void {
    switch (message.type) {
      case 'snapshot': {
        // Output first: a run this panel has not shown yet gets the screen, so the form and preview
        // fold away (and stay folded, saved) — also when a fast model finished before this snapshot.
        const started = message.runs.some((r) => r.meta.id === message.activeRunId && !this.shownRunIds.has(r.meta.id));
        for (const r of message.runs) this.shownRunIds.add(r.meta.id);
        if (started && this.el.prompt.open) this.el.prompt.open = this.ui.promptOpen = false;
        this.runs = new Map(message.runs.map((r) => [r.meta.id, r]));
        this.activeId = message.activeRunId;
        this.sent = new Map((message.sent ?? []).map((s) => [s.runId, s]));
        if (message.prompt) this.prompt.show(message.prompt);
        this.save();
        this.renderAll();
        break;
      }
      case 'append': {
        const run = this.runs.get(message.runId);
        if (!run) return;
        // Increments carry their position; a gap means a lost message, so ask for a snapshot.
        if (message.from !== run.tokens.length) {
          this.channel.ready();
          return;
        }
        for (const t of message.tokens) run.tokens.push(t);
        if (message.runId === this.activeId) {
          const offset = run.prefix.length + message.from;
          this.series.add(message.tokens);
          this.content.push(message.tokens, offset);
          this.thinking.push(message.tokens, offset);
          if (this.el.reasoning.hidden && message.tokens.some((t) => t.channel === 'thinking')) this.el.reasoning.hidden = false;
          this.scheduleStats();
        }
        break;
      }
      case 'status': {
        const run = this.runs.get(message.runId);
        if (!run) return;
        run.status = message.status;
        run.notices = message.notices;
        if (message.stats) run.stats = message.stats;
        if (message.error) run.error = message.error;
        if (message.runId === this.activeId) {
          // A finished run shows everything at once, not a frame after its status.
          if (run.status !== 'running') {
            this.content.flush();
            this.thinking.flush();
          }
          this.renderChrome();
        }
        renderTabs(this.el.tabs, [...this.runs.values()], this.activeId, (a) => void this.act(a));
        break;
      }
      case 'form':
      case 'preview':
      case 'focus':
      case 'models':
        this.prompt.receive(message);
        break;
      case 'reply':
        break;
    }
  }

  private renderAll(): void {
    const run = this.active();
    this.popover.hide();
    this.stick = true;
    this.series = new RunSeries();
    if (run) this.series.add(run.tokens);
    this.content.reset();
    this.thinking.reset();
    renderTabs(this.el.tabs, [...this.runs.values()], this.activeId, (a) => void this.act(a));
    if (run) {
      this.el.contentStrip.classList.toggle('has-prefix', run.prefix.length > 0);
      this.content.markPrefix(run.prefix.length);
      for (const strip of [this.content, this.thinking]) {
        strip.push(run.prefix, 0);
        strip.push(run.tokens, run.prefix.length);
        strip.flush();
      }
      this.el.reasoning.hidden = !run.prefix.some((t) => t.channel === 'thinking') && !run.tokens.some((t) => t.channel === 'thinking');
    } else {
      this.el.reasoning.hidden = true;
    }
    this.renderChrome();
  }

  /** Everything but the chips: status, errors, notices, stats, charts, text views. */
  private renderChrome(): void {
    const run = this.active();
    document.body.classList.toggle('has-run', run !== undefined);
    renderSent(this.el.sent, run ? this.sent.get(run.meta.id) : undefined);
    this.el.stop.hidden = run?.status !== 'running';
    this.el.empty.hidden = run !== undefined;
    if (!run) {
      this.el.title.textContent = this.prompt.state?.form.label ?? t('runTitle');
      this.el.status.textContent = '';
      this.el.empty.textContent = this.prompt.state ? t('runEmptyWithPrompt') : t('runEmpty');
      return;
    }
    // A branch restored from history has no file of its own: it is titled as the run it came from.
    const origin = run.meta.origin ? this.runs.get(run.meta.origin.parentId) : undefined;
    this.el.title.textContent = origin && !run.meta.title.includes(' · ') ? origin.meta.title : run.meta.title;
    this.el.status.textContent = statusText(run.status);
    this.el.status.dataset['status'] = run.status;
    renderNotices(this.el.notices, run);
    renderError(this.el.error, run, (a) => void this.act(a));
    renderStats(this.el.stats, run, this.series);
    renderCharts(this.el.charts, this.series);
    this.setView(this.ui.view);
  }

  private scheduleStats(): void {
    if (this.statsFrame !== 0) return;
    // Stats and charts are cheap but not free: at most a few times a second while streaming.
    this.statsFrame = window.setTimeout(() => {
      this.statsFrame = 0;
      const run = this.active();
      if (!run) return;
      renderStats(this.el.stats, run, this.series);
      renderCharts(this.el.charts, this.series);
      if (this.ui.view !== 'tokens') this.setView(this.ui.view);
    }, 250);
  }

  private afterRender(): void {
    if (this.stick && this.ui.view === 'tokens' && this.active()?.status === 'running')
      this.el.output.scrollTop = this.el.output.scrollHeight;
  }

  private renderLegend(): void {
    const swatches = this.el.legend.children;
    this.el.legend.hidden = this.ui.colour === 'off';
    swatches[0]!.textContent = this.ui.colour === 'entropy' ? t('legendSpread') : t('legendUnlikely');
    swatches[swatches.length - 1]!.textContent = this.ui.colour === 'entropy' ? t('legendClear') : t('legendCertain');
  }

  private setView(view: OutputView): void {
    this.ui.view = view;
    this.save();
    const run = this.active();
    const finished = run !== undefined && run.status !== 'running';
    for (const b of this.el.viewButtons) {
      b.setAttribute('aria-pressed', String(b.dataset['view'] === view));
      if (b.dataset['view'] === 'markdown') b.disabled = !finished;
    }
    const effective = view === 'markdown' && !finished ? 'text' : view;
    this.el.contentStrip.hidden = effective !== 'tokens';
    this.el.outputHead.hidden = effective !== 'tokens';
    this.el.text.hidden = effective !== 'text';
    this.el.markdown.hidden = effective !== 'markdown';
    const text =
      run && effective !== 'tokens'
        ? [...run.prefix, ...run.tokens]
            .filter((t) => t.channel === 'content')
            .map((t) => t.text)
            .join('')
        : '';
    if (effective === 'text') this.el.text.textContent = text;
    if (effective === 'markdown') renderMarkdown(this.el.markdown, text);
    else this.el.markdown.replaceChildren();
    if (effective !== 'text') this.el.text.textContent = '';
  }

  private tokenAt(index: number): TranscriptToken | undefined {
    const run = this.active();
    if (!run) return undefined;
    return index < run.prefix.length ? run.prefix[index] : run.tokens[index - run.prefix.length];
  }

  private onHover(e: Event, focusFirst = false): void {
    const target = e.target as HTMLElement;
    if (!target.classList?.contains('tok')) return;
    const index = Number(target.dataset['index']);
    const token = this.tokenAt(index);
    if (!token) return;
    const previous = index > 0 ? this.tokenAt(index - 1)?.ms : undefined;
    const facts: CardFact[] = [];
    if (token.logprob !== undefined) facts.push(...probabilityFacts(token.logprob));
    if (token.bytes)
      facts.push({
        label: t('factBytes'),
        value: isPartialUtf8(token.bytes) ? t('factPartialCharacter', hexOfBytes(token.bytes)) : hexOfBytes(token.bytes),
      });
    facts.push(timeFact(token.ms, previous));
    this.popover.show(target, { text: token.text, facts }, undefined);
    this.popover.showAlternatives(
      target,
      { chosen: token.text, alternatives: token.top ?? [], pick: (alt) => void this.branch(index, alt) },
      focusFirst,
    );
  }

  /** Keeps the card by its token as the output scrolls; hides it once the token is out of the output's view. */
  private followCard(viewport: DOMRect): void {
    const anchor = this.popover.shownFor;
    if (!anchor) return;
    const rect = anchor.getBoundingClientRect();
    if (rect.bottom < viewport.top || rect.top > viewport.bottom) this.popover.hide();
    else this.popover.place();
  }

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    if (!target.classList.contains('tok')) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.onHover(e, true);
      return;
    }
    moveChipFocus(e);
  }

  private async branch(tokenIndex: number, alternative: string): Promise<void> {
    this.popover.hide();
    await this.act({ action: 'branch', runId: this.activeId, tokenIndex, alternative });
  }

  private async act(action: RunAction): Promise<void> {
    try {
      await this.channel.request(action);
    } catch (err) {
      const p = document.createElement('p');
      p.className = 'notice';
      p.textContent = t('couldNot', action.action, err instanceof Error ? err.message : String(err));
      this.el.notices.append(p);
    }
  }
}

new RunPanelApp();
