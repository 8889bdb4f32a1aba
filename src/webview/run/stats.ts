import type { RunTranscript, TranscriptToken } from '../../shared/protocol';
import { ms } from './format';

const SVG = 'http://www.w3.org/2000/svg';
const MAX_POINTS = 400;

/** The stats bar: what the server measured and what we derive from the tokens. */
export function renderStats(container: HTMLElement, run: RunTranscript): void {
  const all = [...run.tokens];
  const content = all.filter((t) => t.channel === 'content');
  const withLp = content.filter((t) => t.logprob !== undefined);
  const mean = withLp.length > 0 ? withLp.reduce((s, t) => s + t.logprob!, 0) / withLp.length : undefined;
  const s = run.stats;
  const ourRate = all.length > 1 && all[all.length - 1]!.ms > all[0]!.ms ? ((all.length - 1) * 1000) / (all[all.length - 1]!.ms - all[0]!.ms) : undefined;
  const items: [string, string][] = [
    ['model', `${run.meta.endpoint}/${run.meta.model}`],
    ['first token', ms(s?.ttftMs ?? all[0]?.ms)],
    ['tokens/s', (s?.evalRate ?? ourRate)?.toFixed(1) ?? '–'],
    ['prompt tokens', s?.promptTokens !== undefined ? `${s.promptTokens}${s.promptEvalRate ? ` @ ${s.promptEvalRate.toFixed(0)}/s` : ''}` : '–'],
    ['output tokens', String(s?.outputTokens ?? all.length)],
    ['load', ms(s?.loadMs)],
    ['done', s?.doneReason ?? run.status],
    ['mean logprob', mean !== undefined ? mean.toFixed(3) : '–'],
    ['perplexity', mean !== undefined ? Math.exp(-mean).toFixed(2) : '–'],
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

/** Two small line charts: time between tokens, and each token's probability, over the run. */
export function renderCharts(container: HTMLElement, tokens: readonly TranscriptToken[]): void {
  const gaps = tokens.map((t, i) => (i === 0 ? 0 : Math.max(0, t.ms - tokens[i - 1]!.ms)));
  const probs = tokens.map((t) => (t.logprob !== undefined ? Math.exp(t.logprob) : Number.NaN));
  container.replaceChildren(chart('latency per token (ms)', gaps, undefined), chart('probability per token', probs, 1));
}

function chart(title: string, values: readonly number[], max: number | undefined): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'chart';
  const caption = document.createElement('figcaption');
  const finite = values.filter((v) => Number.isFinite(v));
  const top = max ?? Math.max(1, ...finite);
  caption.textContent = finite.length > 0 ? `${title} · max ${top.toFixed(max ? 2 : 0)}` : `${title} · no data`;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 100 30');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', title);
  const step = Math.max(1, Math.ceil(values.length / MAX_POINTS));
  const points: string[] = [];
  for (let i = 0; i < values.length; i += step) {
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
