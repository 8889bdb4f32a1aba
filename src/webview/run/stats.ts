import type { RunTranscript, TranscriptToken } from '../../shared/protocol';
import { durationOfMs } from '../common/format';
import { t } from '../common/l10n';
import { statusText } from '../common/words';

const SVG = 'http://www.w3.org/2000/svg';
const MAX_POINTS = 400;

/**
 * The numbers behind the stats bar and the charts for one run's output tokens (thinking left
 * out), kept as tokens arrive so that redrawing never walks the whole run again.
 */
export class RunSeries {
  private gapValues = new Float32Array(1024);
  private probValues = new Float32Array(1024);
  private lastMs: number | undefined;
  size = 0;
  sumLogprob = 0;
  withLogprob = 0;

  add(tokens: readonly TranscriptToken[]): void {
    for (const t of tokens) {
      if (t.channel !== 'content') continue;
      if (this.size === this.gapValues.length) {
        const grow = (a: Float32Array<ArrayBuffer>): Float32Array<ArrayBuffer> => {
          const b = new Float32Array(a.length * 2);
          b.set(a);
          return b;
        };
        this.gapValues = grow(this.gapValues);
        this.probValues = grow(this.probValues);
      }
      this.gapValues[this.size] = this.lastMs === undefined ? 0 : Math.max(0, t.ms - this.lastMs);
      this.lastMs = t.ms;
      if (t.logprob !== undefined) {
        this.probValues[this.size] = Math.exp(t.logprob);
        this.sumLogprob += t.logprob;
        this.withLogprob++;
      } else {
        this.probValues[this.size] = Number.NaN;
      }
      this.size++;
    }
  }

  get meanLogprob(): number | undefined {
    return this.withLogprob > 0 ? this.sumLogprob / this.withLogprob : undefined;
  }

  /** At most `count` points: the slowest gap and the mean probability of each stretch of tokens. */
  buckets(count: number): { gaps: Float64Array; probs: Float64Array } {
    const n = Math.min(count, this.size);
    const gaps = new Float64Array(n);
    const probs = new Float64Array(n).fill(Number.NaN);
    const seen = new Uint32Array(n);
    for (let i = 0; i < this.size; i++) {
      const b = Math.min(n - 1, Math.floor((i * n) / this.size));
      if (this.gapValues[i]! > gaps[b]!) gaps[b] = this.gapValues[i]!;
      const p = this.probValues[i]!;
      if (!Number.isNaN(p)) {
        probs[b] = (seen[b] === 0 ? 0 : probs[b]!) + p;
        seen[b]!++;
      }
    }
    for (let b = 0; b < n; b++) if (seen[b]! > 0) probs[b] = probs[b]! / seen[b]!;
    return { gaps, probs };
  }
}

/** The stats bar: what the server measured and what we derive from the tokens. */
export function renderStats(container: HTMLElement, run: RunTranscript, series: RunSeries): void {
  const all = run.tokens;
  const mean = series.meanLogprob;
  const s = run.stats;
  const first = all[0];
  const last = all[all.length - 1];
  const ourRate = first && last && all.length > 1 && last.ms > first.ms ? ((all.length - 1) * 1000) / (last.ms - first.ms) : undefined;
  const items: [string, string][] = [
    [t('statModel'), `${run.meta.endpoint}/${run.meta.model}`],
    [t('statFirstToken'), durationOfMs(s?.ttftMs ?? first?.ms)],
    [t('statTokensPerSecond'), (s?.evalRate ?? ourRate)?.toFixed(1) ?? '–'],
    [
      t('statPromptTokens'),
      s?.promptTokens !== undefined
        ? s.promptEvalRate
          ? t('statPromptRate', s.promptTokens, s.promptEvalRate.toFixed(0))
          : String(s.promptTokens)
        : '–',
    ],
    [t('statOutputTokens'), String(s?.outputTokens ?? all.length)],
    [t('statLoad'), durationOfMs(s?.loadMs)],
    // A done reason is the server's own word (stop, length), shown as sent.
    [t('statDone'), s?.doneReason ?? statusText(run.status)],
    [t('statMeanLogprob'), mean !== undefined ? mean.toFixed(3) : '–'],
    [t('statPerplexity'), mean !== undefined ? Math.exp(-mean).toFixed(2) : '–'],
  ];
  const list = document.createElement('dl');
  list.className = 'stats';
  for (const [label, value] of items) {
    const item = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    item.append(dt, dd);
    list.append(item);
  }
  container.replaceChildren(list);
}

/**
 * Two small line charts over the run's own output tokens (a branch's copied prefix left out):
 * time between tokens, and each token's probability; long runs in at most 400 points.
 */
export function renderCharts(container: HTMLElement, series: RunSeries): void {
  const { gaps, probs } = series.buckets(MAX_POINTS);
  container.replaceChildren(chart(t('chartLatency'), gaps, undefined), chart(t('chartProbability'), probs, 1));
}
function chart(title: string, values: ArrayLike<number>, max: number | undefined): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'chart';
  const caption = document.createElement('figcaption');
  let top = max ?? 1;
  let finite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    finite++;
    if (max === undefined && v > top) top = v;
  }
  caption.textContent = finite > 0 ? t('chartMax', title, top.toFixed(max ? 2 : 0)) : t('chartNoData', title);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 100 30');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', title);
  const points: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const x = values.length > 1 ? (i / (values.length - 1)) * 100 : 50;
    const y = 30 - (Math.min(v, top) / top) * 28 - 1;
    points.push(`${x.toFixed(2)},${y.toFixed(2)}`);
  }
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points.join(' '));
  line.setAttribute('class', 'line');
  svg.append(line);
  figure.append(caption, svg);
  return figure;
}
