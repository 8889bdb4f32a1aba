/**
 * The prompt-pattern catalogue: the one list snippets, the Patterns view, hovers, hints, the CLI
 * and the walkthrough samples are generated from.
 */
import { commonsense, coreference, naturalLanguageInference } from './flan-inference';
import { miscellaneous, paraphrase, sentiment } from './flan-classification';
import { closedBookQa, readingComprehension, readingComprehensionCommonsense } from './flan-reading';
import { structToText, summarization, translation } from './flan-generation';
import { fewShotCot, selfConsistency, zeroShotCot } from './reasoning-cot';
import { leastToMost, planAndSolve, react } from './reasoning-decompose';
import { delimiters, instructionRecord, roleSystem, structuredOutput } from './structure';
import { FLAN_CLUSTERS, type FlanCluster, type Localized, type PatternFamily, type PromptPattern } from './types';

export const PATTERNS: readonly PromptPattern[] = [
  naturalLanguageInference,
  commonsense,
  sentiment,
  paraphrase,
  closedBookQa,
  structToText,
  translation,
  readingComprehension,
  readingComprehensionCommonsense,
  coreference,
  miscellaneous,
  summarization,
  zeroShotCot,
  fewShotCot,
  selfConsistency,
  leastToMost,
  planAndSolve,
  react,
  roleSystem,
  delimiters,
  structuredOutput,
  instructionRecord,
];

export const FAMILIES: readonly PatternFamily[] = ['flan', 'reasoning', 'structure'];

export const FAMILY_TITLES: Readonly<Record<PatternFamily, Localized>> = {
  flan: { en: 'FLAN instruction templates', 'zh-cn': 'FLAN 指令模板' },
  reasoning: { en: 'Chain of thought and reasoning', 'zh-cn': '思维链与推理' },
  structure: { en: 'Prompt structure', 'zh-cn': '提示词结构' },
};

export const CLUSTER_TITLES: Readonly<Record<FlanCluster, Localized>> = {
  'natural-language-inference': { en: 'Natural language inference', 'zh-cn': '自然语言推理' },
  commonsense: { en: 'Commonsense', 'zh-cn': '常识' },
  sentiment: { en: 'Sentiment', 'zh-cn': '情感' },
  paraphrase: { en: 'Paraphrase', 'zh-cn': '复述' },
  'closed-book-qa': { en: 'Closed-book QA', 'zh-cn': '闭卷问答' },
  'struct-to-text': { en: 'Struct to text', 'zh-cn': '结构化数据转文本' },
  translation: { en: 'Translation', 'zh-cn': '翻译' },
  'reading-comprehension': { en: 'Reading comprehension', 'zh-cn': '阅读理解' },
  'reading-comprehension-commonsense': { en: 'Reading comprehension with commonsense', 'zh-cn': '结合常识的阅读理解' },
  coreference: { en: 'Coreference', 'zh-cn': '指代消解' },
  miscellaneous: { en: 'Miscellaneous', 'zh-cn': '其他' },
  summarization: { en: 'Summarization', 'zh-cn': '摘要' },
};

export function findPattern(id: string): PromptPattern | undefined {
  return PATTERNS.find((p) => p.id === id);
}

export function patternsInFamily(family: PatternFamily): PromptPattern[] {
  return PATTERNS.filter((p) => p.family === family);
}

export function patternsInCluster(cluster: FlanCluster): PromptPattern[] {
  return PATTERNS.filter((p) => p.cluster === cluster);
}

/** Clusters in FLAN's order, for grouping. */
export function clusters(): readonly FlanCluster[] {
  return FLAN_CLUSTERS;
}
