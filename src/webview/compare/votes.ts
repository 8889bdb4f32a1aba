import type { VoteView } from '../../shared/compare-protocol';
import { clip, el, percentOfProbability } from '../common/format';
import { t } from '../common/l10n';

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 22;
const LABEL = 120;
/** Characters of an answer the histogram has room for next to its bar. */
const LABEL_CHARS = 18;
const WIDTH = 320;
const COUNT = 34;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  parent?: Element,
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  parent?.appendChild(e);
  return e;
}

/**
 * What tells answers apart: with a long part they all share at the start (or the end), each label
 * is its own part, marked with "…" where shared text was left out, so "The train arrives at
 * eleven forty" and "The train arrives at twelve fifteen" read "…eleven forty" and "…twelve
 * fifteen", not the same cut-off start twice. Shared parts end at a space where there is one.
 */
export function distinctLabels(answers: readonly string[], max: number): string[] {
  const clipped = (text: string): string => clip(text, max);
  if (answers.length < 2 || answers.every((a) => a.length <= max)) return answers.map(clipped);
  const first = answers[0]!;
  let prefix = first.length;
  let suffix = first.length;
  for (const answer of answers.slice(1)) {
    let p = 0;
    while (p < prefix && p < answer.length && answer[p] === first[p]) p += 1;
    prefix = p;
    let q = 0;
    while (q < suffix && q < answer.length && answer[answer.length - 1 - q] === first[first.length - 1 - q]) q += 1;
    suffix = q;
  }
  // Back to a word start (the shared part ends after a space), and never into the shortest answer's whole text.
  const shortest = Math.min(...answers.map((a) => a.length));
  prefix = Math.min(prefix, shortest - 1);
  const space = first.lastIndexOf(' ', prefix - 1);
  if (space > 0 && space < prefix) prefix = space + 1;
  suffix = Math.max(0, Math.min(suffix, shortest - prefix - 1));
  const nextSpace = suffix > 0 ? first.indexOf(' ', first.length - suffix) : -1;
  if (nextSpace >= 0) suffix = first.length - nextSpace;
  // A short shared part is kept: "…" would hide as much as it saves.
  if (prefix < 4) prefix = 0;
  if (suffix < 4) suffix = 0;
  return answers.map((answer) => {
    if (answer.length <= max) return answer;
    const middle = answer.slice(prefix, answer.length - suffix);
    return clipped(`${prefix > 0 ? '…' : ''}${middle}${suffix > 0 ? '…' : ''}`);
  });
}

/**
 * Self-consistency for one column and test case: a histogram of the samples' answers (bar =
 * observed frequency, thin bar = the model's own probability of that answer), the majority,
 * the agreement rate and a table with the numbers.
 */
export function renderVotes(container: HTMLElement, vote: VoteView | undefined): void {
  container.replaceChildren();
  if (vote === undefined || vote.total === 0) {
    container.hidden = true;
    return;
  }
  container.hidden = false;
  const line = el('p', 'vote-line', undefined, container);
  el('span', 'muted', `${t('voteMajority')} `, line);
  el('strong', 'majority', vote.majority === undefined ? '–' : clip(vote.majority, 60), line);
  if (vote.tie) el('span', 'tie', ` ${t('voteTie')}`, line);
  el('span', 'muted', ` · ${t('voteAgreement')} `, line);
  el('strong', 'agreement', `${Math.round(vote.agreement * 100)}%`, line);
  if (vote.calibrationGap !== undefined) {
    el('span', 'muted', ` · ${t('voteCalibrationGap')} `, line);
    el('strong', 'gap', vote.calibrationGap.toFixed(2), line);
  }

  const rows = [
    ...vote.buckets.map((b) => ({
      label: b.answer,
      count: b.count,
      frequency: b.frequency,
      probability: b.modelProbability,
      missing: false,
    })),
  ];
  if (vote.missing > 0)
    rows.push({
      label: t('voteNoAnswer'),
      count: vote.missing,
      frequency: vote.missing / vote.total,
      probability: undefined,
      missing: true,
    });
  // Told apart among the answers only: "no answer" shares nothing with them.
  const labelsOf = (max: number): string[] => [
    ...distinctLabels(
      vote.buckets.map((b) => b.answer),
      max,
    ),
    ...rows.slice(vote.buckets.length).map((r) => r.label),
  ];
  const labels = labelsOf(LABEL_CHARS);
  const tableLabels = labelsOf(40);
  const height = rows.length * ROW + 18;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, class: 'histogram', role: 'img' }, container);
  chart.setAttribute('aria-label', t('voteHistogram', rows.map((r) => `${r.label} ${r.count}`).join(', ')));
  const span = WIDTH - LABEL - COUNT;
  rows.forEach((row, i) => {
    const y = i * ROW + 2;
    const g = svg('g', { class: row.missing ? 'bucket missing' : i === 0 && !vote.tie ? 'bucket top' : 'bucket' }, chart);
    const counted = t('voteBucket', row.label, row.count, vote.total, percentOfProbability(row.frequency));
    svg(
      'title',
      {},
      g,
      row.probability !== undefined ? t('voteBucketProbability', counted, percentOfProbability(row.probability)) : counted,
    );
    svg('text', { x: LABEL - 6, y: y + 12, 'text-anchor': 'end', class: 'label' }, g, labels[i]!);
    svg('rect', { x: LABEL, y, width: Math.max(1, row.frequency * span).toFixed(1), height: 12, class: 'freq' }, g);
    if (row.probability !== undefined)
      svg('rect', { x: LABEL, y: y + 14, width: Math.max(1, row.probability * span).toFixed(1), height: 4, class: 'prob' }, g);
    svg('text', { x: LABEL + Math.max(1, row.frequency * span) + 4, y: y + 11, class: 'count' }, g, String(row.count));
  });
  const legend = svg('g', { class: 'legend' }, chart);
  const ly = rows.length * ROW + 8;
  svg('rect', { x: LABEL, y: ly, width: 10, height: 8, class: 'freq' }, legend);
  svg('text', { x: LABEL + 14, y: ly + 8, class: 'label' }, legend, t('voteObserved'));
  svg('rect', { x: LABEL + 80, y: ly + 2, width: 10, height: 4, class: 'prob' }, legend);
  svg('text', { x: LABEL + 94, y: ly + 8, class: 'label' }, legend, t('voteModelProbability'));

  const table = el('table', 'calibration', undefined, container);
  const head = el('tr', '', undefined, el('thead', '', undefined, table));
  for (const h of [t('voteAnswer'), t('voteVotes'), t('voteObserved'), t('voteModelP')]) el('th', '', h, head);
  const body = el('tbody', '', undefined, table);
  rows.forEach((row, i) => {
    const tr = el('tr', row.missing ? 'missing' : '', undefined, body);
    const answer = el('td', 'answer', tableLabels[i]!, tr);
    answer.title = row.label;
    el('td', 'num', String(row.count), tr);
    el('td', 'num', percentOfProbability(row.frequency), tr);
    el('td', 'num', row.probability === undefined ? '–' : percentOfProbability(row.probability), tr);
  });
}
