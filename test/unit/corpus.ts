import * as path from 'node:path';

/**
 * The shared test corpus sits beside the checkout: ../shared/corpus/dotprompt. A checkout
 * elsewhere (a git worktree) names it with PROMPTSCOPE_CORPUS.
 */
export const CORPUS_DIR = path.resolve(
  process.env['PROMPTSCOPE_CORPUS'] ?? path.join(__dirname, '..', '..', '..', 'shared', 'corpus', 'dotprompt'),
);
export const SPEC_DIR = path.join(CORPUS_DIR, 'spec');
export const SAMPLES_DIR = path.join(CORPUS_DIR, 'samples');
