// FLAN clusters that sort a text into a small set of labels: sentiment, paraphrase and the
// miscellaneous cluster (acceptability judgements, question types, word senses).
import { flanTemplates } from './flan-builder';
import { FLAN, FLAN_COLLECTION } from './references';
import type { PromptPattern } from './types';

const CLASSIFICATION = { kind: 'first-line' } as const;

export const sentiment: PromptPattern = {
  id: 'flan-sentiment',
  family: 'flan',
  cluster: 'sentiment',
  title: { en: 'Sentiment classification', 'zh-cn': '情感分类' },
  explanation: {
    what: {
      en: 'A review, post or message and the question of how its writer feels; the answer is one of a few labels. FLAN also turns the task around: given a sentiment, write a text that carries it. Both directions are included here.',
      'zh-cn':
        '给出一条评论、帖子或消息，问作者的态度如何，答案是少数几个标签之一。FLAN 还会把任务反过来：给定情感，写一段带有这种情感的文本。这里两个方向都提供了。',
    },
    when: {
      en: 'Routing feedback, tagging reviews, measuring opinion; the reversed form produces labelled test data for a classifier prompt.',
      'zh-cn': '分流用户反馈、给评论打标签、统计舆情；反向形式可以为分类提示词生成带标签的测试数据。',
    },
    mistakes: {
      en: 'Labels the model has to invent ("good" when the options say "positive"); mixed reviews with no "mixed" or "neutral" option; exemplars that are all one label, which tilts the answer toward it.',
      'zh-cn':
        '让模型自己发明标签（选项写的是 “positive”，它却答 “good”）；评论褒贬参半，却没有“中性”或“混合”选项；示例全是同一个标签，答案会被带偏。',
    },
  },
  references: [FLAN, FLAN_COLLECTION],
  datasets: ['SST-2', 'IMDB', 'Sent140', 'Yelp'],
  templates: [
    ...flanTemplates({
      query: 'Review: {{review}}\nHow does the writer of this review feel about what they describe?',
      answerLabel: 'Answer',
      instanceSchema: { review: 'string, The text whose sentiment is asked for' },
      options: 'shared',
    }),
    {
      // FLAN's "turned around" templates: the label is the input and the text is the output.
      id: 'reversed',
      form: 'zero-shot',
      label: { en: 'Reversed: write a text with a given sentiment', 'zh-cn': '反向：按给定情感写文本' },
      schema: { sentiment: 'string, The feeling the text should carry', subject: 'string, What the text is about' },
      body: 'Write a short review of {{subject}} whose overall feeling is {{sentiment}}.\n',
    },
  ],
  example: {
    review: 'The battery lasts two days, but the screen scratches if you look at it.',
    options: ['negative', 'positive'],
    examples: [
      { review: 'Arrived early and works exactly as described.', answer: 'positive' },
      { review: 'The strap broke in the first week.', answer: 'negative' },
    ],
    sentiment: 'positive',
    subject: 'a neighbourhood bakery',
  },
  answer: CLASSIFICATION,
};

export const paraphrase: PromptPattern = {
  id: 'flan-paraphrase',
  family: 'flan',
  cluster: 'paraphrase',
  title: { en: 'Paraphrase detection', 'zh-cn': '复述识别' },
  explanation: {
    what: {
      en: 'Two sentences, one question: do they mean the same thing? Pairs are often made to share most of their words while meaning something different, so word overlap is not enough.',
      'zh-cn': '两个句子，一个问题：它们的意思是否相同？这类数据中的句对常常用词几乎一样、意思却不同，所以只看词语重合是不够的。',
    },
    when: {
      en: 'Removing duplicate questions or tickets; checking that a rewrite kept the meaning; matching a user query to a known one.',
      'zh-cn': '去除重复的问题或工单；检查改写后的句子是否保留了原意；把用户的提问匹配到已有的问题。',
    },
    mistakes: {
      en: 'Not saying how strict "the same" is (same facts, or same wording?); options that are not the words used in the exemplars; testing only easy pairs with no shared words.',
      'zh-cn': '没有说明“相同”的标准有多严（事实相同，还是措辞相同？）；选项与示例里用的词不一致；只用毫无共同词语的简单句对来测试。',
    },
  },
  references: [FLAN],
  datasets: ['MRPC', 'QQP', 'PAWS', 'STS-B'],
  templates: flanTemplates({
    query: 'First sentence: {{first}}\nSecond sentence: {{second}}\nDo the two sentences say the same thing?',
    answerLabel: 'Answer',
    instanceSchema: { first: 'string, The first sentence', second: 'string, The second sentence' },
    options: 'shared',
  }),
  example: {
    first: 'The flight from Lisbon was delayed by two hours.',
    second: 'The flight to Lisbon was delayed by two hours.',
    options: ['no', 'yes'],
    examples: [
      { first: 'How do I reset my password?', second: 'What are the steps to change a forgotten password?', answer: 'yes' },
      { first: 'Dogs chase cats.', second: 'Cats chase dogs.', answer: 'no' },
    ],
  },
  answer: CLASSIFICATION,
};

export const miscellaneous: PromptPattern = {
  id: 'flan-miscellaneous',
  family: 'flan',
  cluster: 'miscellaneous',
  title: { en: 'Miscellaneous tasks: grammatical acceptability', 'zh-cn': '其他任务：语法可接受性' },
  explanation: {
    what: {
      en: 'FLAN groups the datasets that fit no other cluster here: conversational QA, question-type classification, word senses, acceptability and small text-editing tasks such as fixing punctuation. The template shows the acceptability judgement: is this sentence something a fluent speaker would say?',
      'zh-cn':
        'FLAN 把不属于其他任务簇的数据集都归在这里：对话问答、问题类型分类、词义判断、语法可接受性，以及补全标点等小型文本编辑任务。这里的模板演示语法可接受性判断：这个句子是母语者会说的吗？',
    },
    when: {
      en: 'Screening generated text for broken sentences; teaching a model a narrow judgement with a fixed label set; any small task where a label list keeps the answers uniform.',
      'zh-cn': '筛查生成文本里不通顺的句子；用固定标签集教模型做一个范围很窄的判断；任何靠标签列表让答案保持一致的小任务。',
    },
    mistakes: {
      en: 'Mixing "is it grammatical?" with "is it true?" or "is it polite?"; labels without a definition when the line is fuzzy; one exemplar per label only, so the model copies surface features.',
      'zh-cn': '把“语法是否正确”和“内容是否属实”“是否礼貌”混为一谈；界限模糊时不解释标签含义；每个标签只给一个示例，模型只学到表面特征。',
    },
  },
  references: [FLAN],
  datasets: ['CoQA', 'TREC', 'QuAC', 'CoLA', 'WiC', 'Math', 'Fix Punctuation'],
  templates: flanTemplates({
    query: 'Sentence: {{sentence}}\nWould a fluent English speaker accept this sentence as grammatical?',
    answerLabel: 'Answer',
    instanceSchema: { sentence: 'string, The sentence to judge' },
    options: 'shared',
  }),
  example: {
    sentence: 'The children was playing in the garden.',
    options: ['unacceptable', 'acceptable'],
    examples: [
      { sentence: 'She has lived here since 2015.', answer: 'acceptable' },
      { sentence: 'Him and me goes to school together.', answer: 'unacceptable' },
    ],
  },
  answer: CLASSIFICATION,
};
