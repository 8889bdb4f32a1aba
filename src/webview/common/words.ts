import { durationOfMs, percentOfLogprob } from './format';
import { t } from './l10n';
import type { CardFact, CardWords } from './popover';

/** The token card's own words, the same in both panels. */
export function cardWords(): CardWords {
  return {
    label: t('cardLabel'),
    alternatives: t('cardAlternatives'),
    none: t('cardNoAlternatives'),
    chosenTitle: t('cardChosen'),
    pickTitle: t('cardPick'),
    pickHint: t('cardPickHint'),
  };
}

/** A token's probability facts, or a note that the server sent none. */
export function probabilityFacts(logprob: number | undefined): CardFact[] {
  if (logprob === undefined) return [{ label: t('factProbability'), value: t('factNotSent') }];
  return [
    { label: t('factProbability'), value: percentOfLogprob(logprob) },
    { label: t('factLogprob'), value: logprob.toFixed(4) },
  ];
}

/** When a token came: after the previous one (`+12 ms`), or since the start for the first. */
export function timeFact(ms: number, previousMs: number | undefined): CardFact {
  return { label: t('factTime'), value: previousMs === undefined ? durationOfMs(ms) : `+${durationOfMs(ms - previousMs)}` };
}

const STATUS_KEYS = {
  running: 'statusRunning',
  queued: 'statusQueued',
  completed: 'statusCompleted',
  stopped: 'statusStopped',
  cancelled: 'statusCancelled',
  error: 'statusError',
} as const;

/** A run's, cell's or comparison's status in words. */
export function statusText(status: string): string {
  return status in STATUS_KEYS ? t(STATUS_KEYS[status as keyof typeof STATUS_KEYS]) : status;
}
