// FLAN clusters whose answer is free text: struct-to-text, translation, summarization.
import { flanTemplates } from './flan-builder';
import { FLAN, FLAN_COLLECTION } from './references';
import type { PromptPattern } from './types';

const FREE_TEXT = { kind: 'whole-text' } as const;

export const structToText: PromptPattern = {
  id: 'flan-struct-to-text',
  family: 'flan',
  cluster: 'struct-to-text',
  title: { en: 'Structured data to text', 'zh-cn': '结构化数据转文本' },
  explanation: {
    what: {
      en: 'Facts in a structured form (attribute lists, triples, a set of keywords) are turned into fluent sentences that state every fact and add none.',
      'zh-cn': '把结构化形式的事实（属性列表、三元组、一组关键词）写成通顺的句子：每条事实都要写到，也不能多加。',
    },
    when: {
      en: 'Product descriptions from catalogue fields, reports from database rows, readable summaries of API results.',
      'zh-cn': '根据商品字段生成商品描述、根据数据库记录生成报告、把 API 返回结果写成易读的说明。',
    },
    mistakes: {
      en: 'Not asking for every field to be used, so some silently disappear; no warning against adding facts, so the model embellishes; inconsistent field syntax between exemplars and query.',
      'zh-cn': '没有要求用上所有字段，有些字段就悄悄丢了；没有提醒不得添加事实，模型就会添油加醋；示例和查询里字段的写法不一致。',
    },
  },
  references: [FLAN],
  datasets: ['CommonGen', 'DART', 'E2ENLG', 'WebNLG'],
  templates: flanTemplates({
    preamble: 'Turn each set of facts into one or two natural sentences. Mention every fact and add nothing else.',
    query: 'Facts: {{facts}}',
    answerLabel: 'Text',
    instanceSchema: { facts: 'string, Attribute[value] pairs, triples or keywords' },
  }),
  example: {
    facts: 'name[Harbour Lights], type[café], food[seafood], price[moderate], near[the ferry terminal]',
    examples: [
      {
        facts: 'name[Olive Court], type[restaurant], food[Greek], rating[high]',
        answer: 'Olive Court is a highly rated Greek restaurant.',
      },
      { facts: 'keywords[dog, frisbee, catch, park]', answer: 'In the park, a dog leaps to catch a frisbee.' },
    ],
  },
  answer: FREE_TEXT,
};

export const translation: PromptPattern = {
  id: 'flan-translation',
  family: 'flan',
  cluster: 'translation',
  title: { en: 'Translation', 'zh-cn': '翻译' },
  explanation: {
    what: {
      en: 'Text in one language is rewritten in another. The languages are named once at the top; the exemplars show the register and terminology wanted.',
      'zh-cn': '把一种语言的文本改写成另一种语言。源语言和目标语言在开头说明一次，示例展示想要的语体和术语。',
    },
    when: {
      en: 'Translating UI strings, documentation or messages; few-shot exemplars pin down product names and terms that must not change.',
      'zh-cn': '翻译界面文字、文档或消息；用少样本示例固定产品名和不能改动的术语。',
    },
    mistakes: {
      en: 'Not naming the source language for short or ambiguous texts; the model translating the instruction itself or adding notes; placeholders such as {0} translated or dropped.',
      'zh-cn': '短文本或有歧义的文本不注明源语言；模型把指令本身也翻译了，或附加了说明；{0} 这类占位符被翻译或弄丢。',
    },
  },
  references: [FLAN, FLAN_COLLECTION],
  datasets: [
    'WMT-14 En/Fr',
    'WMT-16 En/De',
    'WMT-16 En/Tr',
    'WMT-16 En/Cs',
    'WMT-16 En/Fi',
    'WMT-16 En/Ro',
    'WMT-16 En/Ru',
    'ParaCrawl En/Es',
  ],
  templates: flanTemplates({
    preamble: 'Translate each text from {{source_language}} into {{target_language}}. Reply with the translation only.',
    query: 'Text: {{text}}',
    answerLabel: 'Translation',
    instanceSchema: { text: 'string, The text to translate' },
    globalSchema: { source_language: 'string, The language of the text', target_language: 'string, The language to translate into' },
  }),
  example: {
    source_language: 'Chinese',
    target_language: 'English',
    text: '今天下午三点开会，请准时参加。',
    examples: [
      { text: '谢谢你的帮助。', answer: 'Thank you for your help.' },
      { text: '文件已保存。', answer: 'The file has been saved.' },
    ],
  },
  answer: FREE_TEXT,
};

export const summarization: PromptPattern = {
  id: 'flan-summarization',
  family: 'flan',
  cluster: 'summarization',
  title: { en: 'Summarization', 'zh-cn': '摘要' },
  explanation: {
    what: {
      en: "A document, email, dialogue or news article is condensed to its main point. FLAN's cluster mixes one-line headlines, email subjects and multi-sentence summaries; the length asked for matters as much as the text.",
      'zh-cn':
        '把文档、邮件、对话或新闻压缩成要点。FLAN 的这个任务簇既有一句话标题、邮件主题，也有多句摘要；要求的长度和原文本身同样重要。',
    },
    when: {
      en: 'Meeting notes, ticket titles, changelog entries, digests of long threads.',
      'zh-cn': '会议纪要、工单标题、更新日志条目、长讨论串的摘要。',
    },
    mistakes: {
      en: 'No length or audience, so summaries drift in size; the instruction placed before a very long text instead of after it; facts in the summary that are not in the text.',
      'zh-cn': '不规定长度或读者，摘要忽长忽短；超长文本时把指令放在文本前面而不是后面；摘要里出现原文没有的事实。',
    },
  },
  references: [FLAN],
  datasets: [
    'AESLC',
    'Multi-News',
    'SAMSum',
    'AG News',
    'Newsroom',
    'Wiki Lingua EN',
    'CNN/DM',
    'Opinion-Abstracts (IDebate)',
    'XSum',
    'Gigaword',
    'Opinion-Abstracts (RottenTomatoes)',
  ],
  templates: flanTemplates({
    query: 'Text: {{text}}\nSum up the text above in one sentence.',
    answerLabel: 'Summary',
    instanceSchema: { text: 'string, The text to summarize' },
  }),
  example: {
    text: 'Anna: Are we still on for Friday? Ben: Yes, but can we move it to 7? I finish work late. Anna: Sure, 7 at the usual place. Ben: Great, see you then.',
    examples: [
      {
        text: 'The council voted on Tuesday to extend the cycle lane along the river by two kilometres. Work starts in spring and should take four months.',
        answer: 'The river cycle lane will be extended by two kilometres, with four months of work starting in spring.',
      },
    ],
  },
  answer: FREE_TEXT,
};
