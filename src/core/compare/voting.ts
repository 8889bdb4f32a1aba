/**
 * Self-consistency: the answers of k samples, counted. For each distinct answer: how often it
 * came up (observed frequency) next to the model's own probability of that answer's tokens
 * (mean over the samples that gave it), so a user sees whether the model is calibrated.
 */
import { normalizeAnswer } from './answers';

export interface VoteSample {
  /** The extracted answer; undefined when the rule found none (a miss). */
  answer?: string;
  /** exp(Σ logprob) of the answer's tokens in this sample. */
  probability?: number;
}

export interface VoteBucket {
  /** The answer as first written by a sample. */
  answer: string;
  /** The normalized form samples were grouped by. */
  key: string;
  count: number;
  /** count / all samples (misses included). */
  frequency: number;
  /** Mean of the samples' own answer probabilities; undefined when none had probabilities. */
  modelProbability?: number;
  /** Indices of the samples that gave this answer. */
  samples: number[];
}

export interface VoteSummary {
  total: number;
  /** Samples the rule found no answer in. */
  missing: number;
  /** Most votes first; ties keep the order answers first appeared. */
  buckets: VoteBucket[];
  /** The answer with most votes (the first to appear among tied ones); undefined with no answers. */
  majority?: string;
  /** Majority votes / all samples: 1 when every sample agrees. 0 without answers. */
  agreement: number;
  /** Whether another answer has as many votes as the majority. */
  tie: boolean;
}

export function tallyVotes(samples: readonly VoteSample[]): VoteSummary {
  const byKey = new Map<string, VoteBucket & { probabilitySum: number; probabilityCount: number }>();
  let missing = 0;
  samples.forEach((sample, index) => {
    if (sample.answer === undefined) {
      missing += 1;
      return;
    }
    const key = normalizeAnswer(sample.answer);
    let bucket = byKey.get(key);
    if (bucket === undefined) {
      bucket = { answer: sample.answer.trim(), key, count: 0, frequency: 0, samples: [], probabilitySum: 0, probabilityCount: 0 };
      byKey.set(key, bucket);
    }
    bucket.count += 1;
    bucket.samples.push(index);
    if (sample.probability !== undefined && Number.isFinite(sample.probability)) {
      bucket.probabilitySum += sample.probability;
      bucket.probabilityCount += 1;
    }
  });
  const total = samples.length;
  // Array.prototype.sort is stable: equal counts keep first-appearance order.
  const buckets = [...byKey.values()]
    .sort((a, b) => b.count - a.count)
    .map(({ probabilitySum, probabilityCount, ...bucket }): VoteBucket => {
      const out: VoteBucket = { ...bucket, frequency: total > 0 ? bucket.count / total : 0 };
      if (probabilityCount > 0) out.modelProbability = probabilitySum / probabilityCount;
      return out;
    });
  const top = buckets[0];
  const summary: VoteSummary = {
    total,
    missing,
    buckets,
    agreement: top && total > 0 ? top.count / total : 0,
    tie: buckets.length > 1 && buckets[1]!.count === top?.count,
  };
  if (top !== undefined) summary.majority = top.answer;
  return summary;
}

/**
 * Expected calibration gap over the answers: Σ frequency × |model probability − frequency| /
 * Σ frequency, over answers that have a probability. 0 is perfectly calibrated; undefined when no
 * answer had probabilities.
 */
export function calibrationGap(summary: VoteSummary): number | undefined {
  let weighted = 0;
  let weight = 0;
  for (const bucket of summary.buckets) {
    if (bucket.modelProbability === undefined) continue;
    weighted += bucket.frequency * Math.abs(bucket.modelProbability - bucket.frequency);
    weight += bucket.frequency;
  }
  return weight > 0 ? weighted / weight : undefined;
}
