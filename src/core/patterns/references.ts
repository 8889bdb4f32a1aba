import type { PatternReference } from './types';

/** Papers cited by more than one pattern. */
export const FLAN: PatternReference = {
  title: 'Finetuned Language Models Are Zero-Shot Learners',
  authors: 'Wei et al.',
  year: 2022,
  venue: 'ICLR',
};
export const FLAN_SCALING: PatternReference = {
  title: 'Scaling Instruction-Finetuned Language Models',
  authors: 'Chung et al.',
  year: 2022,
};
export const FLAN_COLLECTION: PatternReference = {
  title: 'The Flan Collection: Designing Data and Methods for Effective Instruction Tuning',
  authors: 'Longpre et al.',
  year: 2023,
  venue: 'ICML',
};
export const GPT3: PatternReference = {
  title: 'Language Models are Few-Shot Learners',
  authors: 'Brown et al.',
  year: 2020,
  venue: 'NeurIPS',
};
export const COT: PatternReference = {
  title: 'Chain-of-Thought Prompting Elicits Reasoning in Large Language Models',
  authors: 'Wei et al.',
  year: 2022,
  venue: 'NeurIPS',
};
export const ZERO_SHOT_COT: PatternReference = {
  title: 'Large Language Models are Zero-Shot Reasoners',
  authors: 'Kojima et al.',
  year: 2022,
  venue: 'NeurIPS',
};
export const SELF_CONSISTENCY: PatternReference = {
  title: 'Self-Consistency Improves Chain of Thought Reasoning in Language Models',
  authors: 'Wang et al.',
  year: 2023,
  venue: 'ICLR',
};
export const LEAST_TO_MOST: PatternReference = {
  title: 'Least-to-Most Prompting Enables Complex Reasoning in Large Language Models',
  authors: 'Zhou et al.',
  year: 2023,
  venue: 'ICLR',
};
export const PLAN_AND_SOLVE: PatternReference = {
  title: 'Plan-and-Solve Prompting: Improving Zero-Shot Chain-of-Thought Reasoning by Large Language Models',
  authors: 'Wang et al.',
  year: 2023,
  venue: 'ACL',
};
export const REACT: PatternReference = {
  title: 'ReAct: Synergizing Reasoning and Acting in Language Models',
  authors: 'Yao et al.',
  year: 2023,
  venue: 'ICLR',
};
export const ALPACA: PatternReference = {
  title: 'Alpaca: A Strong, Replicable Instruction-Following Model',
  authors: 'Taori et al. (Stanford CRFM)',
  year: 2023,
};
export const INSTRUCTGPT: PatternReference = {
  title: 'Training language models to follow instructions with human feedback',
  authors: 'Ouyang et al.',
  year: 2022,
  venue: 'NeurIPS',
};
