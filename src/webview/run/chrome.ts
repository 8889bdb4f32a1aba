import { branchTree } from '../../core/transcript/transcript';
import type { RunAction, RunTranscript } from '../../shared/protocol';
import { button, make } from './layout';
import { t } from '../common/l10n';
import { statusText } from '../common/words';

type Act = (action: RunAction) => void;

/** Notices from the server, and one note when a server that was asked sent no probabilities. */
export function renderNotices(container: HTMLElement, run: RunTranscript): void {
  const notes = run.notices.map((n) => n.message);
  const finished = run.status !== 'running';
  const noLogprobs = run.meta.wantedLogprobs && run.tokens.length > 0 && !run.tokens.some((t) => t.logprob !== undefined);
  if (finished && noLogprobs && !run.notices.some((n) => n.code === 'logprobs-unsupported-version')) {
    notes.push(t('noLogprobs'));
  }
  container.replaceChildren(
    ...notes.map((text) => {
      const p = make('p', 'notice');
      p.textContent = text;
      return p;
    }),
  );
}

/** A failed run: the message, what the server said, and what can be done about it. */
export function renderError(box: HTMLElement, run: RunTranscript, act: Act): void {
  box.replaceChildren();
  box.hidden = !run.error || run.status === 'stopped';
  if (!run.error || run.status === 'stopped') return;
  make('p', '', box).textContent = run.error.message;
  if (run.error.serverMessage) make('p', 'muted', box).textContent = t('serverSaid', run.error.serverMessage);
  const actions = make('div', 'actions', box);
  const add = (label: string, iconName: string, onClick: () => void): void => {
    button(label, '', iconName, actions).addEventListener('click', onClick);
  };
  add(t('retry'), 'refresh', () => act({ action: 'retry', runId: run.meta.id }));
  if (run.error.kind === 'model-not-found')
    add(run.error.model !== undefined ? t('pullModel', run.error.model) : t('pullTheModel'), 'cloud-download', () =>
      act({ action: 'pullModel', runId: run.meta.id }),
    );
  add(t('showLogs'), 'output', () => act({ action: 'showLogs' }));
}

/**
 * The runs of this panel as a tree, depth first: each run followed by its branches, a branch of
 * a branch marked ↳. A branch is labelled with the token it chose; its tooltip names its parent.
 */
export function renderTabs(nav: HTMLElement, runs: readonly RunTranscript[], activeId: string, act: Act): void {
  nav.hidden = runs.length < 2;
  const byId = new Map(runs.map((r) => [r.meta.id, r]));
  const labels = new Map<string, string>();
  nav.replaceChildren(
    ...branchTree(runs).map((node, i) => {
      const r = byId.get(node.id)!;
      const origin = r.meta.origin;
      const label = origin
        ? t('tabBranch', i, origin.alternative.trim() || origin.alternative)
        : i === 0
          ? t('tabOriginal')
          : t('tabRun', i + 1);
      labels.set(node.id, label);
      // A tab names what tells runs apart at a glance: the model (or, for a branch, the token it chose) and how it ended.
      const b = button(
        `${node.depth > 1 ? '↳ ' : ''}${tabWithStatus(origin ? label : r.meta.model, r.status)}`,
        'tab',
        origin ? 'git-branch' : undefined,
      );
      b.setAttribute('aria-label', `${label}: ${tabWithStatus(r.meta.model, r.status)}`);
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-selected', String(r.meta.id === activeId));
      b.dataset['runId'] = r.meta.id;
      b.dataset['status'] = r.status;
      b.dataset['depth'] = String(node.depth);
      const parent = node.parentId !== undefined ? labels.get(node.parentId) : undefined;
      b.title = origin && parent ? t('tabFrom', statusText(r.status), parent, origin.tokenIndex + 1) : statusText(r.status);
      b.addEventListener('click', () => act({ action: 'select', runId: r.meta.id }));
      return b;
    }),
  );
}

const TAB_STATUS_KEYS = {
  running: 'tabRunning',
  completed: 'tabDone',
  stopped: 'tabStopped',
  error: 'tabFailed',
} as const;

/** "llama3.2 · done": a tab's name followed by its run's status in one word. */
export function tabWithStatus(name: string, status: RunTranscript['status']): string {
  return status in TAB_STATUS_KEYS ? t(TAB_STATUS_KEYS[status as keyof typeof TAB_STATUS_KEYS], name) : `${name} · ${statusText(status)}`;
}
