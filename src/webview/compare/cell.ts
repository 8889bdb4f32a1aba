import { diffWords } from '../../core/compare/diff';
import type { CellState, TokenColumns } from '../../shared/compare-protocol';
import { clip, durationOfMs, el, percentOfProbability } from '../common/format';
import { TokenStore } from '../common/store';
import type { FrameScheduler } from '../common/frames';
import { TokenStrip } from '../common/strip';
import { t, tCount } from '../common/l10n';
import { statusText } from '../common/words';

export type ViewMode = 'tokens' | 'text' | 'diff';

/** What the webview knows about one cell (one sample of one column on one test case). */
export interface CellData {
  state: CellState;
  tokens: TokenStore;
  /** The content channel's text so far. */
  content: string;
  contentTokens: number;
  logprobSum: number;
  logprobCount: number;
}

export function cellData(state: CellState, tokens?: TokenColumns): CellData {
  const data: CellData = { state, tokens: new TokenStore(), content: '', contentTokens: 0, logprobSum: 0, logprobCount: 0 };
  if (tokens) addTokens(data, tokens);
  return data;
}

export function addTokens(data: CellData, columns: TokenColumns): void {
  const start = data.tokens.length;
  data.tokens.append(columns);
  let text = '';
  for (let i = start; i < data.tokens.length; i += 1) {
    if (data.tokens.thinking(i)) continue;
    text += data.tokens.text[i]!;
    data.contentTokens += 1;
    const lp = data.tokens.logprob(i);
    if (lp !== undefined) {
      data.logprobSum += lp;
      data.logprobCount += 1;
    }
  }
  data.content += text;
}

export interface SampleContext {
  scheduler: FrameScheduler;
  mode(): ViewMode;
  /** The baseline's cell for the same case and sample; undefined when this is the baseline. */
  baselineOf(data: CellData): CellData | undefined;
  concurrency(): number;
  openRun(cellId: string): void;
  showLogs(): void;
  /** Text and diff views of streaming cells are refreshed a few times a second, not per token. */
  refreshLater(view: SampleView): void;
}

/** One sample's output with its status, error, checks and statistics. */
export class SampleView {
  readonly root: HTMLElement;
  private readonly head: HTMLElement | undefined;
  private readonly error: HTMLElement;
  private readonly reasoning: HTMLDetailsElement;
  readonly body: HTMLElement;
  private readonly placeholder: HTMLElement;
  private readonly content: TokenStrip;
  private readonly thinking: TokenStrip;
  private readonly text: HTMLElement;
  private readonly diff: HTMLElement;
  private readonly foot: HTMLElement;
  private readonly checks: HTMLElement;
  private textShown = -1;

  constructor(
    readonly data: CellData,
    withHead: boolean,
    private readonly ctx: SampleContext,
  ) {
    this.root = el('div', 'sample');
    this.root.dataset['cell'] = data.state.id;
    if (withHead) this.head = el('div', 'sample-head', undefined, this.root);
    this.error = el('div', 'cell-error', undefined, this.root);
    this.error.setAttribute('role', 'alert');
    this.reasoning = el('details', 'reasoning', undefined, this.root);
    el('summary', '', t('reasoning'), this.reasoning);
    this.body = el('div', 'cell-body', undefined, this.root);
    this.body.tabIndex = -1;
    const live = (): boolean => this.data.state.status === 'running';
    // Reasoning sits outside the scroller (in its own details block): only content is virtualized and followed.
    this.thinking = new TokenStrip(this.data.tokens, { channel: 'thinking', scheduler: ctx.scheduler });
    this.reasoning.append(this.thinking.element);
    this.placeholder = el('p', 'placeholder', undefined, this.body);
    this.content = new TokenStrip(this.data.tokens, {
      channel: 'content',
      scheduler: ctx.scheduler,
      virtualizeIn: this.body,
      follow: { scroller: this.body, live },
    });
    this.body.append(this.content.element);
    this.text = el('pre', 'text', undefined, this.body);
    this.diff = el('div', 'diff', undefined, this.body);
    this.foot = el('div', 'cell-foot', undefined, this.root);
    this.checks = el('ul', 'checks', undefined, this.root);
    this.renderState();
    this.setMode();
  }

  /** Tokens were added to `data`. */
  onTokens(): void {
    this.reasoning.hidden = this.data.contentTokens === this.data.tokens.length;
    if (this.ctx.mode() === 'tokens') {
      this.content.update();
      this.thinking.update();
    }
    // Text, diff and the statistics line follow a few times a second.
    this.ctx.refreshLater(this);
    if (!this.placeholder.hidden) this.renderPlaceholder();
  }

  /** The view mode changed (or the baseline did). */
  setMode(): void {
    const mode = this.ctx.mode();
    this.content.element.hidden = mode !== 'tokens';
    this.text.hidden = mode !== 'text';
    this.diff.hidden = mode !== 'diff';
    if (mode === 'tokens') {
      this.content.update();
      this.thinking.update();
    }
    this.textShown = -1;
    this.refreshText();
    this.reasoning.hidden = this.data.contentTokens === this.data.tokens.length;
  }

  /** Brings the text or diff view up to date. */
  refreshText(): void {
    const mode = this.ctx.mode();
    if (mode === 'text') {
      if (this.textShown < 0 || this.textShown > this.data.content.length) {
        this.text.textContent = this.data.content;
      } else if (this.textShown < this.data.content.length) {
        this.text.append(document.createTextNode(this.data.content.slice(this.textShown)));
      }
      this.textShown = this.data.content.length;
      this.diff.replaceChildren();
    } else if (mode === 'diff') {
      this.renderDiff();
      this.text.textContent = '';
      this.textShown = -1;
    } else {
      this.text.textContent = '';
      this.diff.replaceChildren();
      this.textShown = -1;
    }
    this.renderFoot();
  }

  private renderDiff(): void {
    const base = this.ctx.baselineOf(this.data);
    this.diff.replaceChildren();
    if (base === undefined) {
      el('span', 'eq', this.data.content, this.diff);
      delete this.diff.dataset['similarity'];
      return;
    }
    const words = Math.max(base.content.length, this.data.content.length) / 5;
    const result = diffWords(base.content, this.data.content, { maxEdits: words > 20_000 ? 300 : 2000 });
    const fragment = document.createDocumentFragment();
    for (const part of result.parts) {
      const span = document.createElement(part.op === 'insert' ? 'ins' : part.op === 'delete' ? 'del' : 'span');
      span.textContent = part.text;
      fragment.appendChild(span);
    }
    this.diff.appendChild(fragment);
    this.diff.dataset['similarity'] = percentOfProbability(result.similarity);
    this.diff.dataset['approximate'] = String(result.approximate);
  }

  /** The cell's status, error, checks and statistics changed. */
  renderState(): void {
    const s = this.data.state;
    this.root.dataset['status'] = s.status;
    const checked = s.assertions.length > 0;
    const passed = checked && s.assertions.every((a) => a.pass);
    this.root.classList.toggle('pass', checked && passed);
    this.root.classList.toggle('fail', checked && !passed);
    if (this.head) {
      this.head.replaceChildren();
      el('span', 'sample-no', `#${s.sample + 1}`, this.head);
      el('span', `badge ${s.status}`, statusText(s.status), this.head);
      if (s.answer !== undefined) {
        const answer = el('span', 'answer', clip(s.answer, 40), this.head);
        answer.title =
          s.answerProbability !== undefined
            ? t('answerTitleProbability', s.answer, percentOfProbability(s.answerProbability))
            : t('answerTitle', s.answer);
      }
      if (checked) el('span', passed ? 'mark pass' : 'mark fail', passed ? '✓' : '✗', this.head);
    }
    this.renderError();
    this.renderChecks();
    this.renderPlaceholder();
    this.renderFoot();
  }

  private renderPlaceholder(): void {
    const s = this.data.state;
    let text: string | undefined;
    if (s.status === 'queued') text = tCount(this.ctx.concurrency(), 'queuedCellOne', 'queuedCellMany');
    if (s.status === 'cancelled') text = t('cancelledCell');
    if (s.status === 'running' && this.data.tokens.length === 0) text = t('waitingFirstToken');
    if ((s.status === 'completed' || s.status === 'stopped') && this.data.tokens.length === 0) text = t('noOutput');
    this.placeholder.hidden = text === undefined;
    this.placeholder.textContent = text ?? '';
  }

  private renderError(): void {
    const e = this.data.state.error;
    this.error.replaceChildren();
    this.error.hidden = e === undefined;
    if (e === undefined) return;
    el('p', 'message', this.data.state.status === 'stopped' ? t('cellStopped', e.message) : t('cellError', e.message), this.error);
    if (e.serverMessage) el('p', 'muted', t('serverSaid', e.serverMessage), this.error);
    if (this.data.tokens.length > 0) el('p', 'muted', t('outputKept'), this.error);
    const actions = el('div', 'actions', undefined, this.error);
    el('button', 'link', t('showLogs'), actions).addEventListener('click', () => this.ctx.showLogs());
  }

  private renderChecks(): void {
    // A failed run's error box says why; its "run did not complete" check would only repeat it.
    const list =
      this.data.state.error === undefined ? this.data.state.assertions : this.data.state.assertions.filter((a) => a.kind !== 'run');
    this.checks.replaceChildren();
    this.checks.hidden = list.length === 0;
    for (const a of list) {
      const li = el('li', a.pass ? 'pass' : 'fail', undefined, this.checks);
      el('span', 'mark', a.pass ? '✓' : '✗', li);
      el('span', 'kind', a.kind, li);
      el('span', 'reason', a.reason, li);
    }
  }

  renderFoot(): void {
    const d = this.data;
    const s = d.state;
    const parts: string[] = [tCount(d.contentTokens, 'tokensOne', 'tokensMany')];
    const first = d.tokens.length > 0 ? d.tokens.ms(0) : undefined;
    const ttft = s.stats?.ttftMs ?? (s.status === 'queued' ? undefined : first);
    if (ttft !== undefined) parts.push(t('footFirst', durationOfMs(ttft)));
    const last = d.tokens.length > 0 ? d.tokens.ms(d.tokens.length - 1) : undefined;
    const rate =
      s.stats?.evalRate ??
      (first !== undefined && last !== undefined && last > first ? ((d.tokens.length - 1) * 1000) / (last - first) : undefined);
    if (rate !== undefined && Number.isFinite(rate)) parts.push(t('footRate', rate.toFixed(1)));
    const mean = s.meanLogprob ?? (d.logprobCount > 0 ? d.logprobSum / d.logprobCount : undefined);
    if (mean !== undefined) parts.push(t('footMeanLogprob', mean.toFixed(3)));
    if (this.ctx.mode() === 'diff') {
      const similarity = this.diff.dataset['similarity'] ?? '–';
      parts.push(
        this.ctx.baselineOf(d) === undefined
          ? t('footBaseline')
          : t(this.diff.dataset['approximate'] === 'true' ? 'footSimilarApproximate' : 'footSimilar', similarity),
      );
    }
    this.foot.replaceChildren();
    el('span', 'facts', parts.join(' · '), this.foot);
    if (s.runId !== undefined && s.status !== 'running' && s.status !== 'queued') {
      const open = el('button', 'link', t('openRun'), this.foot);
      open.title = t('openRunTitle');
      open.addEventListener('click', () => this.ctx.openRun(s.id));
    }
  }

  dispose(): void {
    this.content.dispose();
    this.thinking.dispose();
  }

  /** The user (or synchronized scrolling) moved this cell's output. */
  userScrolled(): void {
    this.content.userScrolled();
  }
}
