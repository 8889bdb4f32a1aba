import * as path from 'node:path';

/** The shared test corpus sits beside the checkout: ../shared/corpus/dotprompt. */
export const CORPUS_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'dotprompt');
export const SPEC_DIR = path.join(CORPUS_DIR, 'spec');
export const SAMPLES_DIR = path.join(CORPUS_DIR, 'samples');
