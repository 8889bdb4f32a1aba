/**
 * How a token is coloured: ten buckets, CSS classes `p0` (unlikely, or spread out) … `p9`
 * (certain, or one clear choice), from the token's probability or from the entropy of its
 * alternatives. undefined where the server sent nothing to colour by.
 */
export type ColourMode = 'probability' | 'entropy' | 'off';

/** The bucket of a log-probability (natural log). */
export function bucketOfLogprob(logprob: number | undefined): number | undefined {
  if (logprob === undefined || !Number.isFinite(logprob)) return undefined;
  return Math.max(0, Math.min(9, Math.floor(Math.exp(logprob) * 10)));
}

/** The most entropy 20 alternatives can reach (ln 20): the top of the entropy scale. */
const MAX_ENTROPY = Math.log(20);

/** The bucket of an entropy in nats: high entropy (uncertain) is a low bucket. */
export function bucketOfEntropy(entropy: number | undefined): number | undefined {
  if (entropy === undefined || !Number.isFinite(entropy)) return undefined;
  return Math.max(0, 9 - Math.min(9, Math.floor((entropy / MAX_ENTROPY) * 10)));
}

/** Entropy (nats) of the distribution the alternatives' log-probabilities describe, renormalized. */
export function entropyOfLogprobs(logprobs: readonly number[]): number | undefined {
  if (logprobs.length === 0) return undefined;
  const probs = logprobs.map((lp) => Math.exp(lp));
  const total = probs.reduce((s, p) => s + p, 0);
  if (!(total > 0)) return undefined;
  // Never below zero (rounding could give -0 or a hair under it).
  return Math.max(0, -probs.reduce((s, p) => (p > 0 ? s + (p / total) * Math.log(p / total) : s), 0));
}

/** The bucket for a token under a colouring mode. */
export function bucketFor(mode: ColourMode, logprob: number | undefined, entropy: number | undefined): number | undefined {
  if (mode === 'off') return undefined;
  return mode === 'probability' ? bucketOfLogprob(logprob) : bucketOfEntropy(entropy);
}
