import type { CompareMetric } from '../../shared/compare-protocol';
import { durationOfMs } from '../common/format';
import type { WebviewStringKey } from '../../shared/webview-strings';
import { t } from '../common/l10n';

const METRIC_KEYS = {
  tokens: 'metricTokens',
  ttftMs: 'metricFirstToken',
  tokensPerSecond: 'metricTokensPerSecond',
  meanLogprob: 'metricMeanLogprob',
  length: 'metricLength',
} as const satisfies Record<CompareMetric, WebviewStringKey>;

export function metricLabel(metric: CompareMetric): string {
  return t(METRIC_KEYS[metric]);
}

export function metricText(metric: CompareMetric, value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (metric === 'ttftMs') return durationOfMs(value);
  if (metric === 'meanLogprob') return value.toFixed(3);
  if (metric === 'tokensPerSecond') return value.toFixed(1);
  return String(Math.round(value));
}
