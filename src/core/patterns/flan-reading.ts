// FLAN clusters that answer questions: from memory (closed-book QA), from a passage (reading
// comprehension) and from a passage plus everyday knowledge.
import { flanTemplates } from './flan-builder';
import { FLAN, FLAN_SCALING } from './references';
import type { PromptPattern } from './types';

const CLASSIFICATION = { kind: 'first-line' } as const;

export const closedBookQa: PromptPattern = {
  id: 'flan-closed-book-qa',
  family: 'flan',
  cluster: 'closed-book-qa',
  title: { en: 'Closed-book question answering', 'zh-cn': '闭卷问答' },
  explanation: {
    what: {
      en: 'A question with no supporting text: the model answers from what it learned in training. Some datasets are open answers (a name, a date), others are multiple choice with the candidates listed after the question.',
      'zh-cn':
        '只有问题、没有参考文本，模型凭训练中学到的知识作答。有的数据集是开放式答案（人名、日期），有的是选择题，候选项列在问题之后。',
    },
    when: {
      en: 'Measuring what a model knows; quick factual lookups where a wrong answer is cheap; as a baseline before adding retrieved documents.',
      'zh-cn': '衡量模型掌握了多少知识；答错代价不大的快速事实查询；在加入检索文档之前作为对照基线。',
    },
    mistakes: {
      en: 'Trusting the answer for recent or obscure facts (the model may invent one confidently); no instruction for "I don\'t know"; long answers when a short one is needed for scoring.',
      'zh-cn': '对新近或冷门的事实也照单全收（模型可能一本正经地编造）；没有说明不知道时该怎么回答；评分需要简短答案，模型却长篇大论。',
    },
  },
  references: [FLAN, FLAN_SCALING],
  datasets: ['ARC', 'NQ', 'TriviaQA'],
  templates: flanTemplates({
    preamble: 'Answer from general knowledge, in as few words as possible.',
    query: 'Question: {{question}}',
    answerLabel: 'Answer',
    instanceSchema: { question: 'string, A question with no supporting text' },
    options: 'per-instance',
  }),
  example: {
    question: 'Which gas do plants take in from the air to make sugar?',
    options: ['carbon dioxide', 'nitrogen', 'oxygen', 'helium'],
    examples: [
      {
        question: 'What is the boiling point of water at sea level in degrees Celsius?',
        options: ['90', '100', '110', '120'],
        answer: '100',
      },
      { question: 'Which planet is closest to the Sun?', options: ['Venus', 'Mars', 'Mercury', 'Earth'], answer: 'Mercury' },
    ],
  },
  answer: CLASSIFICATION,
};

export const readingComprehension: PromptPattern = {
  id: 'flan-reading-comprehension',
  family: 'flan',
  cluster: 'reading-comprehension',
  title: { en: 'Reading comprehension', 'zh-cn': '阅读理解' },
  explanation: {
    what: {
      en: 'A passage and a question about it; the answer must come from the passage. Datasets range from yes/no questions to spans copied out of the text and small calculations over numbers in it. The template shows the yes/no form.',
      'zh-cn':
        '一段文章加一个关于它的问题，答案必须来自文章本身。数据集从是非题、到从原文摘取片段、再到对文中数字做简单计算都有。这里的模板演示是非题形式。',
    },
    when: {
      en: 'Answering from documents you supply (manuals, policies, retrieved search results); any time the answer must be grounded in a given text rather than memory.',
      'zh-cn': '根据你提供的文档（手册、规章、检索结果）回答问题；凡是答案必须以给定文本为依据、而不是凭记忆的场景。',
    },
    mistakes: {
      en: 'Not telling the model to stay within the passage, so it fills gaps from memory; putting the question before a long passage, where it is easily lost; no answer for questions the passage does not cover.',
      'zh-cn':
        '没有要求模型只依据文章作答，它就会用记忆填补空白；把问题放在很长的文章前面，容易被“淹没”；文章没涉及的问题，没有规定该怎么回答。',
    },
  },
  references: [FLAN],
  datasets: ['BoolQ', 'OBQA', 'DROP', 'SQuAD', 'MultiRC'],
  templates: flanTemplates({
    preamble: 'Read each passage and answer its question using only what the passage says.',
    query: 'Passage: {{passage}}\nQuestion: {{question}}',
    answerLabel: 'Answer',
    instanceSchema: { passage: 'string, The text the answer must come from', question: 'string, A question about the passage' },
    options: 'shared',
  }),
  example: {
    passage:
      'The museum is free on the first Sunday of each month. On other days, adults pay eight euros and children under twelve enter free.',
    question: 'does a ten-year-old pay on a Tuesday',
    options: ['no', 'yes'],
    examples: [
      {
        passage: 'The bridge was closed in 2019 for repairs and reopened to cars in 2021.',
        question: 'can cars cross the bridge today',
        answer: 'yes',
      },
      { passage: 'Penguins are birds, but none of the species can fly.', question: 'can any penguin fly', answer: 'no' },
    ],
  },
  answer: CLASSIFICATION,
};

export const readingComprehensionCommonsense: PromptPattern = {
  id: 'flan-reading-commonsense',
  family: 'flan',
  cluster: 'reading-comprehension-commonsense',
  title: { en: 'Reading comprehension with commonsense', 'zh-cn': '结合常识的阅读理解' },
  explanation: {
    what: {
      en: 'Like reading comprehension, but the answer is not written in the passage: the model has to combine what the passage says with everyday knowledge about people and situations, such as why someone acted or what probably happened next.',
      'zh-cn':
        '和阅读理解类似，但答案并没有直接写在文章里：模型需要把文章内容与关于人和情境的日常常识结合起来，比如推断某人为什么这样做、接下来大概发生了什么。',
    },
    when: {
      en: 'Questions about motives, feelings or likely consequences in stories, support tickets or interviews, where the text implies more than it states.',
      'zh-cn': '针对故事、客服工单或访谈中人物动机、情绪或可能后果的提问——文本暗示的内容多于明说的内容。',
    },
    mistakes: {
      en: 'Candidates that can be matched word for word against the passage, which tests copying rather than inference; no "none of the above" when the passage really does not support any answer.',
      'zh-cn': '候选项能在文章中逐字找到，测的是“照抄”而不是推理；文章确实无法支持任何答案时，却没有“以上都不是”这样的选项。',
    },
  },
  references: [FLAN],
  datasets: ['ReCoRD', 'CosmosQA'],
  templates: flanTemplates({
    query: 'Context: {{context}}\nQuestion: {{question}}',
    answerLabel: 'Answer',
    instanceSchema: { context: 'string, A short passage', question: 'string, A question the passage implies but does not state' },
    options: 'per-instance',
  }),
  example: {
    context: 'Priya checked the weather twice, packed a second jumper and left an hour early for the mountain trail.',
    question: 'Why did Priya probably leave early?',
    options: ['she expected the walk to take a while in cold weather', 'she had forgotten her jumper', 'the trail was closed'],
    examples: [
      {
        context: 'Tom kept glancing at the clock during the meeting and had his coat on before it ended.',
        question: 'How was Tom probably feeling?',
        options: ['in a hurry to leave', 'interested in the topic', 'cold'],
        answer: 'in a hurry to leave',
      },
    ],
  },
  answer: CLASSIFICATION,
};
