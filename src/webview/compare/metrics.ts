import type { CompareMetric } from '../../shared/compare-protocol';
import { durationOfMs } from '../common/format';

export const METRIC_LABELS: Readonly<Record<CompareMetric, string>> = {
  tokens: 'tokens',
  ttftMs: 'first token',
  tokensPerSecond: 'tokens/s',
  meanLogprob: 'mean logprob',
  length: 'length (chars)',
};

export function metricText(metric: CompareMetric, value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (metric === 'ttftMs') return durationOfMs(value);
  if (metric === 'meanLogprob') return value.toFixed(3);
  if (metric === 'tokensPerSecond') return value.toFixed(1);
  return String(Math.round(value));
}
