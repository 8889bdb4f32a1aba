/** The panel's fixed structure, built once; everything model-made goes in later as text. */
import { t } from '../common/l10n';

export function make<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  parent?.append(e);
  return e;
}

/** A codicon (shown only when the extension could load the codicon font). */
export function icon(name: string): HTMLElement {
  const i = make('span', `codicon codicon-${name}`);
  i.setAttribute('aria-hidden', 'true');
  return i;
}

/** A button with an optional codicon before its label. */
export function button(label: string, className: string, iconName?: string, parent?: HTMLElement): HTMLButtonElement {
  const b = make('button', className, parent);
  b.type = 'button';
  if (iconName) b.append(icon(iconName));
  const text = make('span', 'label', b);
  text.textContent = label;
  return b;
}

export type Layout = ReturnType<typeof buildLayout>;

export function buildLayout() {
  const app = document.getElementById('app') ?? document.body;
  const add = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: HTMLElement = app) => make(tag, className, parent);
  const header = add('header', 'topbar');
  const title = add('h1', 'title', header);
  // The model of the next run, and the picker to switch it (panels opened from a .prompt file).
  const modelBar = add('div', 'model-bar', header);
  const status = add('span', 'status', header);
  status.setAttribute('aria-live', 'polite');
  const views = add('div', 'views', header);
  views.setAttribute('role', 'group');
  views.setAttribute('aria-label', t('outputView'));
  const viewButtons = (
    [
      ['tokens', t('viewTokens'), 'symbol-key'],
      ['text', t('viewText'), 'whole-word'],
      ['markdown', t('viewMarkdown'), 'markdown'],
    ] as const
  ).map(([v, label, iconName]) => {
    const b = button(label, 'view', iconName, views);
    b.dataset['view'] = v;
    return b;
  });
  const stop = button(t('stop'), 'stop', 'debug-stop', header);

  // The prompt: variables form and live preview (panels opened from a .prompt file).
  const prompt = add('details', 'prompt');
  prompt.hidden = true;
  const promptSummary = add('summary', '', prompt);
  const promptBody = add('div', 'prompt-body', prompt);
  const inputs = add('section', 'inputs', promptBody);
  inputs.setAttribute('aria-label', t('inputs'));
  const preview = add('section', 'preview', promptBody);
  preview.setAttribute('aria-label', t('previewLabel'));

  // What a saved run sent: its inputs and messages (runs reopened from History).
  const sent = add('details', 'sent');
  sent.hidden = true;
  add('summary', '', sent);
  add('div', 'sent-body', sent);

  const tabs = add('nav', 'tabs');
  tabs.setAttribute('role', 'tablist');
  tabs.setAttribute('aria-label', t('runsAndBranches'));
  const notices = add('section', 'notices');
  notices.setAttribute('aria-live', 'polite');
  const error = add('section', 'error');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const reasoning = add('details', 'reasoning');
  reasoning.hidden = true;
  add('summary', '', reasoning).textContent = t('reasoning');
  const thinkingStrip = add('div', 'strip thinking', reasoning);
  // Colouring and its legend belong to the token view only; setView hides them for text and Markdown.
  const outputHead = add('div', 'output-head');
  const colourLabel = add('label', 'colour', outputHead);
  colourLabel.append(`${t('colour')} `);
  const colour = add('select', '', colourLabel);
  for (const [value, label] of [
    ['probability', t('colourProbability')],
    ['entropy', t('colourEntropy')],
    ['off', t('colourOff')],
  ]) {
    const o = document.createElement('option');
    o.value = value!;
    o.textContent = label!;
    colour.append(o);
  }
  const legend = add('div', 'legend', outputHead);
  legend.setAttribute('aria-hidden', 'true');
  for (const [cls, label] of [
    ['p0', t('legendUnlikely')],
    ['p3', ''],
    ['p5', ''],
    ['p7', ''],
    ['p9', t('legendCertain')],
  ]) {
    const swatch = add('span', `tok ${cls}`, legend);
    swatch.textContent = label || '\u2002';
  }
  const output = add('section', 'output');
  output.setAttribute('aria-label', t('modelOutput'));
  const empty = add('p', 'empty muted', output);
  const contentStrip = add('div', 'strip', output);
  const text = add('pre', 'text', output);
  const markdown = add('div', 'markdown', output);
  // Output first: stats and charts sit below the tokens, compact, with reserved sizes so streaming never moves them.
  const runHead = add('section', 'run-head');
  const stats = add('div', 'stats-bar', runHead);
  const charts = add('div', 'charts', runHead);
  return {
    title,
    modelBar,
    status,
    viewButtons,
    colour,
    outputHead,
    stop,
    prompt,
    promptSummary,
    inputs,
    preview,
    sent,
    tabs,
    notices,
    error,
    reasoning,
    thinkingStrip,
    output,
    empty,
    contentStrip,
    text,
    markdown,
    legend,
    stats,
    charts,
  };
}
