import type { HostMessage, RunTranscript, TranscriptToken } from '../../shared/protocol';
import type { ColourMode } from './format';
import { HostChannel } from './host';
import { renderMarkdown } from './markdown';
import { AlternativesPopover } from './popover';
import { renderCharts, renderStats } from './stats';
import { TokenStrip } from './tokens';

type OutputView = 'tokens' | 'text' | 'markdown';

interface UiState {
  view: OutputView;
  colour: ColourMode;
}

/** The run panel: renders host snapshots and increments; the host owns the transcript. */
class RunPanelApp {
  private runs = new Map<string, RunTranscript>();
  private activeId = '';
  private ui: UiState = { view: 'tokens', colour: 'probability' };
  private readonly channel = new HostChannel((m) => this.receive(m));
  private readonly popover = new AlternativesPopover((index, alt) => void this.branch(index, alt), (anchor) => {
    this.returningFocus = true;
    anchor.focus();
    this.returningFocus = false;
  });
  private content!: TokenStrip;
  private thinking!: TokenStrip;
  private readonly el = buildLayout();
  private statsFrame = 0;
  private returningFocus = false;

  constructor() {
    const saved = this.channel.loadState() as Partial<UiState> | undefined;
    if (saved?.view) this.ui.view = saved.view;
    if (saved?.colour) this.ui.colour = saved.colour;
    this.el.colour.value = this.ui.colour;
    this.el.colour.addEventListener('change', () => {
      this.ui.colour = this.el.colour.value as ColourMode;
      this.save();
      const run = this.active();
      if (run) {
        this.content.recolour([...run.prefix, ...run.tokens], 0);
      }
    });
    for (const button of this.el.viewButtons) button.addEventListener('click', () => this.setView(button.dataset['view'] as OutputView));
    this.el.stop.addEventListener('click', () => void this.act({ action: 'stop', runId: this.activeId }));
    this.el.output.addEventListener('keydown', (e) => this.onKey(e));
    this.el.output.addEventListener('mouseover', (e) => this.onHover(e));
    this.el.output.addEventListener('click', (e) => this.onHover(e, true));
    this.el.output.addEventListener('focusin', (e) => {
      // Focus coming back from the popover (Escape) should not reopen it.
      if (!this.returningFocus) this.onHover(e);
    });
    document.addEventListener('click', (e) => {
      if (this.popover.visible && !this.popover.element.contains(e.target as Node) && !(e.target as HTMLElement).classList?.contains('tok')) this.popover.hide();
    });
    this.channel.ready();
  }

  /** The webview's state survives reloads; the run ids let the host restore the runs from history. */
  private save(): void {
    this.channel.saveState({ ...this.ui, runIds: [...this.runs.keys()], activeRunId: this.activeId });
  }

  private active(): RunTranscript | undefined {
    return this.runs.get(this.activeId);
  }

  private receive(message: HostMessage): void {
    switch (message.type) {
      case 'snapshot':
        this.runs = new Map(message.runs.map((r) => [r.meta.id, r]));
        this.activeId = message.activeRunId;
        this.save();
        this.renderAll();
        break;
      case 'append': {
        const run = this.runs.get(message.runId);
        if (!run) return;
        // Increments carry their position; a gap means a lost message, so ask for a snapshot.
        if (message.from !== run.tokens.length) {
          this.channel.ready();
          return;
        }
        run.tokens.push(...message.tokens);
        if (message.runId === this.activeId) {
          const offset = run.prefix.length + message.from;
          message.tokens.forEach((t, i) => (t.channel === 'thinking' ? this.thinking : this.content).push(t, offset + i));
          if (message.tokens.some((t) => t.channel === 'thinking')) this.el.reasoning.hidden = false;
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
        if (message.runId === this.activeId) this.renderChrome();
        this.renderTabs();
        break;
      }
      case 'reply':
        break;
    }
  }

  private renderAll(): void {
    const run = this.active();
    this.popover.hide();
    this.el.contentStrip.replaceChildren();
    this.el.thinkingStrip.replaceChildren();
    this.content = new TokenStrip(this.el.contentStrip, () => this.ui.colour, () => this.afterRender());
    this.thinking = new TokenStrip(this.el.thinkingStrip, () => this.ui.colour, () => undefined);
    this.renderTabs();
    if (!run) return;
    const all = [...run.prefix, ...run.tokens];
    all.forEach((t, i) => (t.channel === 'thinking' ? this.thinking : this.content).push(t, i));
    this.el.contentStrip.classList.toggle('has-prefix', run.prefix.length > 0);
    this.content.flush();
    this.thinking.flush();
    for (const chip of Array.from(this.el.contentStrip.querySelectorAll<HTMLElement>('.tok')).slice(0, run.prefix.length)) chip.classList.add('prefix');
    this.el.reasoning.hidden = !all.some((t) => t.channel === 'thinking');
    this.renderChrome();
  }

  /** Everything but the chips: status, errors, notices, stats, charts, text views. */
  private renderChrome(): void {
    const run = this.active();
    if (!run) return;
    this.el.title.textContent = run.meta.title;
    this.el.status.textContent = run.status === 'running' ? 'running…' : run.status;
    this.el.status.dataset['status'] = run.status;
    this.el.stop.hidden = run.status !== 'running';
    this.renderNotices(run);
    this.renderError(run);
    renderStats(this.el.stats, run);
    renderCharts(this.el.charts, [...run.prefix, ...run.tokens].filter((t) => t.channel === 'content'));
    this.setView(this.ui.view);
  }

  private scheduleStats(): void {
    if (this.statsFrame !== 0) return;
    // Stats and charts are cheap but not free: at most a few times a second while streaming.
    this.statsFrame = window.setTimeout(() => {
      this.statsFrame = 0;
      const run = this.active();
      if (!run) return;
      renderStats(this.el.stats, run);
      renderCharts(this.el.charts, run.tokens.filter((t) => t.channel === 'content'));
      if (this.ui.view !== 'tokens') this.setView(this.ui.view);
    }, 250);
  }

  private afterRender(): void {
    if (this.ui.view === 'tokens' && this.active()?.status === 'running') this.el.output.scrollTop = this.el.output.scrollHeight;
  }

  private renderNotices(run: RunTranscript): void {
    const notes = run.notices.map((n) => n.message);
    const finished = run.status !== 'running';
    const noLogprobs = run.meta.wantedLogprobs && run.tokens.length > 0 && !run.tokens.some((t) => t.logprob !== undefined);
    if (finished && noLogprobs && !run.notices.some((n) => n.code === 'logprobs-unsupported-version')) {
      notes.push('This server sent no token probabilities, so tokens are not coloured and have no alternatives. Timing is still shown.');
    }
    this.el.notices.replaceChildren(...notes.map((text) => {
      const p = document.createElement('p');
      p.className = 'notice';
      p.textContent = text;
      return p;
    }));
  }

  private renderError(run: RunTranscript): void {
    const box = this.el.error;
    box.replaceChildren();
    box.hidden = !run.error || run.status === 'stopped';
    if (!run.error || run.status === 'stopped') return;
    const message = document.createElement('p');
    message.textContent = run.error.message;
    box.append(message);
    if (run.error.serverMessage) {
      const server = document.createElement('p');
      server.className = 'muted';
      server.textContent = `Server said: ${run.error.serverMessage}`;
      box.append(server);
    }
    const actions = document.createElement('div');
    actions.className = 'actions';
    const add = (label: string, onClick: () => void): void => {
      const b = document.createElement('button');
      b.textContent = label;
      b.addEventListener('click', onClick);
      actions.append(b);
    };
    add('Retry', () => void this.act({ action: 'retry', runId: run.meta.id }));
    if (run.error.kind === 'model-not-found') add(`Pull ${run.error.model ?? 'model'}`, () => void this.act({ action: 'pullModel', runId: run.meta.id }));
    add('Show Logs', () => void this.act({ action: 'showLogs' }));
    box.append(actions);
  }

  private renderTabs(): void {
    const runs = [...this.runs.values()];
    this.el.tabs.hidden = runs.length < 2;
    this.el.tabs.replaceChildren(...runs.map((r, i) => {
      const b = document.createElement('button');
      b.className = 'tab';
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-selected', String(r.meta.id === this.activeId));
      b.textContent = r.meta.origin ? `branch ${i}: “${r.meta.origin.alternative.trim() || r.meta.origin.alternative}”` : i === 0 ? 'original' : `run ${i + 1}`;
      b.title = `${r.status}`;
      b.addEventListener('click', () => void this.act({ action: 'select', runId: r.meta.id }));
      return b;
    }));
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
    this.el.text.hidden = effective !== 'text';
    this.el.markdown.hidden = effective !== 'markdown';
    const text = run ? [...run.prefix, ...run.tokens].filter((t) => t.channel === 'content').map((t) => t.text).join('') : '';
    if (effective === 'text') this.el.text.textContent = text;
    if (effective === 'markdown') renderMarkdown(this.el.markdown, text);
    else this.el.markdown.replaceChildren();
    if (effective !== 'text') this.el.text.textContent = '';
  }

  private tokenAt(index: number): TranscriptToken | undefined {
    const run = this.active();
    return run ? [...run.prefix, ...run.tokens][index] : undefined;
  }

  private onHover(e: Event, focusFirst = false): void {
    const target = e.target as HTMLElement;
    if (!target.classList?.contains('tok')) return;
    const index = Number(target.dataset['index']);
    const token = this.tokenAt(index);
    if (!token) return;
    const previous = index > 0 ? this.tokenAt(index - 1)?.ms : undefined;
    this.popover.show(target, token, index, previous, focusFirst);
  }

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    if (!target.classList.contains('tok')) return;
    const chips = Array.from(target.parentElement?.querySelectorAll<HTMLElement>('.tok') ?? []);
    const at = chips.indexOf(target);
    let next: HTMLElement | undefined;
    if (e.key === 'ArrowRight') next = chips[at + 1];
    else if (e.key === 'ArrowLeft') next = chips[at - 1];
    else if (e.key === 'Home') next = chips[0];
    else if (e.key === 'End') next = chips[chips.length - 1];
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.onHover(e, true);
      return;
    } else if (e.key === 'Escape') {
      this.popover.hide();
      return;
    }
    if (next) {
      e.preventDefault();
      target.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  }

  private async branch(tokenIndex: number, alternative: string): Promise<void> {
    this.popover.hide();
    await this.act({ action: 'branch', runId: this.activeId, tokenIndex, alternative });
  }

  private async act(action: Parameters<HostChannel['request']>[0]): Promise<void> {
    try {
      await this.channel.request(action);
    } catch (err) {
      const p = document.createElement('p');
      p.className = 'notice';
      p.textContent = `Could not ${action.action}: ${err instanceof Error ? err.message : String(err)}`;
      this.el.notices.append(p);
    }
  }
}

function buildLayout() {
  const app = document.getElementById('app') ?? document.body;
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: HTMLElement = app): HTMLElementTagNameMap[K] => {
    const e = document.createElement(tag);
    e.className = className;
    parent.append(e);
    return e;
  };
  const header = make('header', 'topbar');
  const title = make('h1', 'title', header);
  const status = make('span', 'status', header);
  const views = make('div', 'views', header);
  views.setAttribute('role', 'group');
  views.setAttribute('aria-label', 'output view');
  const viewButtons = (['tokens', 'text', 'markdown'] as const).map((v) => {
    const b = make('button', 'view', views);
    b.dataset['view'] = v;
    b.textContent = v === 'tokens' ? 'Tokens' : v === 'text' ? 'Text' : 'Markdown';
    return b;
  });
  const colourLabel = make('label', 'colour', header);
  colourLabel.textContent = 'Colour ';
  const colour = make('select', '', colourLabel);
  for (const [value, label] of [['probability', 'by probability'], ['entropy', 'by entropy'], ['off', 'off']]) {
    const o = document.createElement('option');
    o.value = value!;
    o.textContent = label!;
    colour.append(o);
  }
  const stop = make('button', 'stop', header);
  stop.textContent = 'Stop';
  const tabs = make('nav', 'tabs');
  tabs.setAttribute('role', 'tablist');
  const notices = make('section', 'notices');
  notices.setAttribute('aria-live', 'polite');
  const error = make('section', 'error');
  error.setAttribute('role', 'alert');
  const reasoning = make('details', 'reasoning');
  make('summary', '', reasoning).textContent = 'Reasoning';
  const thinkingStrip = make('div', 'strip thinking', reasoning);
  const output = make('section', 'output');
  output.setAttribute('aria-label', 'model output');
  const contentStrip = make('div', 'strip', output);
  const text = make('pre', 'text', output);
  const markdown = make('div', 'markdown', output);
  const legend = make('div', 'legend');
  legend.setAttribute('aria-hidden', 'true');
  for (const [cls, label] of [['p0', 'unlikely'], ['p5', ''], ['p9', 'certain']]) {
    const swatch = make('span', `tok ${cls}`, legend);
    swatch.textContent = label || '·';
  }
  const stats = make('section', 'stats-bar');
  const charts = make('section', 'charts');
  return { title, status, viewButtons, colour, stop, tabs, notices, error, reasoning, thinkingStrip, output, contentStrip, text, markdown, stats, charts };
}

new RunPanelApp();
