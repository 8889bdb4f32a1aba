// FLAN clusters that ask the model to infer something the text does not state outright:
// natural language inference, commonsense, coreference.
import { flanTemplates } from './flan-builder';
import { FLAN, FLAN_COLLECTION } from './references';
import type { PromptPattern } from './types';

const CLASSIFICATION = { kind: 'first-line' } as const;

export const naturalLanguageInference: PromptPattern = {
  id: 'flan-nli',
  family: 'flan',
  cluster: 'natural-language-inference',
  title: { en: 'Natural language inference', 'zh-cn': '自然语言推理' },
  explanation: {
    what: {
      en: 'Two sentences go in: a premise, taken as true, and a hypothesis. The model decides whether the premise guarantees the hypothesis, rules it out, or leaves it open. FLAN phrases the decision as a plain question and lists the three possible answers after the input.',
      'zh-cn':
        '输入两个句子：一个前提（视为真实）和一个假设。模型判断前提是否必然推出假设、与假设矛盾，还是无法确定。FLAN 把判断写成一个直白的问题，并在输入之后列出三个可选答案。',
    },
    when: {
      en: 'Checking whether a summary, an answer or an extracted fact is supported by its source; spotting contradictions between two statements; any yes / no / unknown judgement about two texts.',
      'zh-cn': '检查摘要、回答或抽取出的事实是否有原文支撑；发现两段陈述之间的矛盾；对两段文本做“是 / 否 / 不确定”判断的任何场景。',
    },
    mistakes: {
      en: 'Leaving out the "cannot tell" option, which pushes the model to guess; swapping premise and hypothesis between exemplars and query; labels in the exemplars ("entailment") that differ from the options offered ("yes").',
      'zh-cn':
        '漏掉“无法确定”这一选项，逼模型去猜；示例与查询中前提、假设的位置不一致；示例里的标签（如 “entailment”）与给出的选项（如 “yes”）不一致。',
    },
  },
  references: [FLAN, FLAN_COLLECTION],
  datasets: ['ANLI', 'RTE', 'CB', 'SNLI', 'MNLI', 'WNLI', 'QNLI'],
  templates: flanTemplates({
    query: 'Premise: {{premise}}\nHypothesis: {{hypothesis}}\nIf the premise is true, does it follow that the hypothesis is true?',
    answerLabel: 'Answer',
    instanceSchema: { premise: 'string, A statement taken as true', hypothesis: 'string, The statement to check against the premise' },
    options: 'shared',
  }),
  example: {
    premise: 'The library closes at six, and the last visitors left at ten past six.',
    hypothesis: 'The library was still open at seven.',
    options: ['yes', 'it is not possible to tell', 'no'],
    examples: [
      { premise: 'Every seat on the bus was taken, so Mina stood near the door.', hypothesis: 'Mina rode the bus.', answer: 'yes' },
      { premise: 'The parcel was posted on Monday.', hypothesis: 'The parcel arrived on Wednesday.', answer: 'it is not possible to tell' },
    ],
  },
  answer: CLASSIFICATION,
};

export const commonsense: PromptPattern = {
  id: 'flan-commonsense',
  family: 'flan',
  cluster: 'commonsense',
  title: { en: 'Commonsense reasoning', 'zh-cn': '常识推理' },
  explanation: {
    what: {
      en: 'A short everyday situation and a few candidate continuations, causes or solutions; the model picks the one that fits how the world usually works. Each question brings its own candidates, so they are listed with the question.',
      'zh-cn':
        '给出一个日常小情境和若干候选的后续、原因或做法，模型选出最符合常理的一项。每道题的候选项各不相同，所以候选项跟着题目一起列出。',
    },
    when: {
      en: 'Choosing the most plausible next step, cause or physical action; probing whether a model has the background knowledge a task silently assumes.',
      'zh-cn': '选择最合理的下一步、原因或动作；检验模型是否具备某项任务默认需要的背景常识。',
    },
    mistakes: {
      en: 'Candidates of very different length or style, which the model uses as a shortcut; asking for "the best" answer without saying whether a cause or an effect is wanted; reusing one option list for questions that need their own.',
      'zh-cn':
        '候选项长短或风格差异很大，模型会借此“走捷径”；只问“最好”的答案，却没说明要的是原因还是结果；本该每题各有候选项，却共用一份选项列表。',
    },
  },
  references: [FLAN],
  datasets: ['COPA', 'HellaSwag', 'PIQA', 'StoryCloze'],
  templates: flanTemplates({
    query: 'Situation: {{situation}}\nWhich of these is the most likely {{relation}}?',
    answerLabel: 'Answer',
    instanceSchema: {
      situation: 'string, An everyday situation',
      relation: 'string, What is asked for: cause, effect, next event or solution',
    },
    options: 'per-instance',
  }),
  example: {
    situation: 'The soup was too hot to eat.',
    relation: 'thing to do next',
    options: ['wait a few minutes', 'put the soup in the oven'],
    examples: [
      {
        situation: 'The ground was wet this morning.',
        relation: 'cause',
        options: ['it rained overnight', 'the sun was shining all night'],
        answer: 'it rained overnight',
      },
      {
        situation: 'Leo forgot his umbrella on a rainy day.',
        relation: 'effect',
        options: ['his clothes got wet', 'he felt sunburnt'],
        answer: 'his clothes got wet',
      },
    ],
  },
  answer: CLASSIFICATION,
};

export const coreference: PromptPattern = {
  id: 'flan-coreference',
  family: 'flan',
  cluster: 'coreference',
  title: { en: 'Coreference resolution', 'zh-cn': '指代消解' },
  explanation: {
    what: {
      en: 'A sentence with a gap (or a pronoun) and two people or things it could refer to. The model picks the one the sentence means. The Winograd-style sentences are built so that grammar alone cannot decide; only understanding the situation can.',
      'zh-cn':
        '一个带空缺（或代词）的句子，以及它可能指代的两个人或事物，模型选出句子真正指的那一个。Winograd 式的句子专门设计成仅凭语法无法判断，必须理解情境才能答对。',
    },
    when: {
      en: 'Resolving who "he", "it" or "they" is before extracting facts; testing whether a model reads the situation rather than the nearest noun.',
      'zh-cn': '在抽取事实之前先弄清“他”“它”“他们”指的是谁；检验模型是在理解情境，而不是简单地选最近的名词。',
    },
    mistakes: {
      en: 'Not saying how the gap is marked; offering candidates that do not appear in the sentence; answers that restate the whole sentence instead of naming one option.',
      'zh-cn': '没有说明空缺用什么符号标出；给出的候选项在句子里根本没出现；回答复述整句话，而不是给出其中一个选项。',
    },
  },
  references: [FLAN],
  datasets: ['DPR', 'Winogrande', 'WSC273'],
  templates: flanTemplates({
    query: 'Sentence: {{sentence}}\nWho or what belongs in the blank marked _?',
    answerLabel: 'Answer',
    instanceSchema: { sentence: 'string, A sentence with one blank written as _' },
    options: 'per-instance',
  }),
  example: {
    sentence: 'The trophy did not fit in the suitcase because the _ was too small.',
    options: ['trophy', 'suitcase'],
    examples: [
      { sentence: 'Anna lent Ben her bike because _ had a flat tyre.', options: ['Anna', 'Ben'], answer: 'Ben' },
      { sentence: 'The cat chased the mouse until the _ hid under the sofa.', options: ['cat', 'mouse'], answer: 'mouse' },
    ],
  },
  answer: CLASSIFICATION,
};
