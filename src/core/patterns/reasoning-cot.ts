// Chain-of-thought patterns: zero-shot CoT, few-shot CoT and self-consistency. They share one
// answer phrase so the same rule extracts, compares and votes on final answers.
import { ANSWER_STEP_KEY, SAMPLES_KEY } from './compose';
import { COT, FLAN_SCALING, SELF_CONSISTENCY, ZERO_SHOT_COT } from './references';
import type { AnswerRule, PatternTemplate, PromptPattern } from './types';

/** The fixed phrase CoT templates end with; the extraction rule looks for it. */
export const ANSWER_PHRASE = 'The answer is';
export const ANSWER_RULE: AnswerRule = { kind: 'after-phrase', phrases: [ANSWER_PHRASE, '答案是'] };

const QUESTION_SCHEMA = { question: 'string, A problem that needs several steps of reasoning' };
const WORKED_EXAMPLES_SCHEMA = {
  'examples(array, Worked problems whose reasoning ends in the answer phrase)': {
    question: 'string',
    reasoning: 'string',
    answer: 'string',
  },
};

const WORD_PROBLEM = 'A baker makes 24 rolls, sells three bags of 5 rolls, then bakes 10 more. How many rolls does she have now?';
const WORKED_EXAMPLES = [
  {
    question: 'Sam has 3 boxes of 12 pencils and gives away 8 pencils. How many pencils does he keep?',
    reasoning: 'Three boxes of 12 make 36 pencils. Giving away 8 leaves 36 - 8 = 28.',
    answer: '28',
  },
  {
    question: 'A train leaves at 9:40 and the trip takes 1 hour 35 minutes. When does it arrive?',
    reasoning: 'Adding 1 hour to 9:40 gives 10:40. Adding 35 minutes more gives 11:15.',
    answer: '11:15',
  },
];

const fewShotBody = `{{#each examples}}\nQuestion: {{question}}\nAnswer: {{reasoning}} ${ANSWER_PHRASE} {{answer}}.\n\n{{/each}}\nQuestion: {{question}}\nAnswer:\n`;
const onePassBody = `Question: {{question}}\n\nWork through the problem one step at a time, showing each step. Then write the result on a last line of the form "${ANSWER_PHRASE} <answer>."\n`;

export const zeroShotCot: PromptPattern = {
  id: 'zero-shot-cot',
  family: 'reasoning',
  title: { en: 'Zero-shot chain of thought', 'zh-cn': '零样本思维链' },
  explanation: {
    what: {
      en: 'No worked examples: a short trigger asks the model to reason one step at a time before answering. The original method then makes a second call that feeds the reasoning back and asks only for the final answer in a fixed format, so it can be read off reliably. The one-pass form asks for both in one reply.',
      'zh-cn':
        '不给任何解题示例，只用一句简短的触发语让模型先一步一步推理再作答。原始方法随后发起第二次调用：把推理过程送回模型，只要求按固定格式给出最终答案，便于可靠地提取。单次形式则要求模型在一次回复中同时给出推理和答案。',
    },
    when: {
      en: 'Arithmetic, logic and multi-step questions on large models when you have no good exemplars at hand; a quick first try before writing few-shot chains.',
      'zh-cn': '在大模型上处理算术、逻辑和多步推理问题，而手头又没有合适示例的时候；在动手编写少样本思维链之前的快速尝试。',
    },
    mistakes: {
      en: 'A trigger but no fixed answer line, so the answer is buried somewhere in the reasoning; expecting gains on small models, where reasoning often drifts; using it for simple lookups, where it only adds length.',
      'zh-cn':
        '只有触发语、没有固定的答案格式，最终答案埋在推理过程中难以提取；指望在小模型上也有提升，而小模型的推理常常跑偏；把它用在简单的查询上，只会让回答变长。',
    },
  },
  references: [ZERO_SHOT_COT],
  datasets: ['MultiArith', 'GSM8K', 'AQUA-RAT', 'SVAMP', 'CommonsenseQA', 'StrategyQA'],
  templates: [
    {
      id: 'one-pass',
      form: 'scaffold',
      label: { en: 'Reasoning and answer in one reply', 'zh-cn': '推理与答案一次完成' },
      schema: QUESTION_SCHEMA,
      body: onePassBody,
    },
    {
      id: 'reason',
      form: 'scaffold',
      label: { en: 'Step 1: reasoning trigger', 'zh-cn': '第 1 步：推理触发语' },
      schema: QUESTION_SCHEMA,
      // The answer format is asked for by the second step, so the answer-format hint is off.
      extensions: { [ANSWER_STEP_KEY]: 'extract' },
      body: 'Question: {{question}}\nAnswer: Let us work it out one step at a time.\n',
    },
    {
      id: 'extract',
      form: 'scaffold',
      label: { en: 'Step 2: answer extraction', 'zh-cn': '第 2 步：提取答案' },
      schema: { ...QUESTION_SCHEMA, reasoning: 'string, The reply to step 1', answer_format: 'string, How the answer must be written' },
      body: 'Question: {{question}}\nAnswer: Let us work it out one step at a time.\n{{reasoning}}\nSo, written as {{answer_format}}, the answer is\n',
    },
  ],
  example: {
    question: WORD_PROBLEM,
    reasoning: 'She starts with 24. Three bags of 5 is 15, so 24 - 15 = 9 are left. Baking 10 more gives 9 + 10 = 19.',
    answer_format: 'a whole number',
  },
  answer: ANSWER_RULE,
};

export const fewShotCot: PromptPattern = {
  id: 'few-shot-cot',
  family: 'reasoning',
  title: { en: 'Few-shot chain of thought', 'zh-cn': '少样本思维链' },
  explanation: {
    what: {
      en: 'Each exemplar shows a question, the intermediate steps that solve it, and a final answer introduced by the same fixed phrase. The model imitates the format and writes its own steps before its answer.',
      'zh-cn':
        '每个示例都包含问题、解题的中间步骤，以及用同一个固定短语引出的最终答案。模型模仿这种格式，先写出自己的推理步骤，再给出答案。',
    },
    when: {
      en: 'Multi-step arithmetic, symbolic and commonsense reasoning on large models; when you want a particular style of reasoning, such as units written out or cases checked.',
      'zh-cn': '在大模型上处理多步算术、符号推理和常识推理；希望模型按某种特定方式推理时，比如写明单位、逐一检查各种情况。',
    },
    mistakes: {
      en: 'Exemplars whose reasoning contains errors (the model copies them); answer phrases that vary between exemplars, which breaks extraction; exemplars far easier than the real questions; expecting the same gains from small models.',
      'zh-cn':
        '示例的推理本身有错（模型会照着错）；各示例的答案短语不统一，导致无法提取答案；示例比真实问题简单得多；指望小模型也有同样的提升。',
    },
  },
  references: [COT, FLAN_SCALING],
  datasets: ['GSM8K', 'SVAMP', 'ASDiv', 'AQuA', 'MAWPS', 'CSQA', 'StrategyQA'],
  templates: [
    {
      id: 'few-shot',
      form: 'few-shot',
      label: { en: 'Worked exemplars', 'zh-cn': '带推理过程的示例' },
      schema: { ...QUESTION_SCHEMA, ...WORKED_EXAMPLES_SCHEMA },
      body: fewShotBody,
    },
  ],
  example: { question: WORD_PROBLEM, examples: WORKED_EXAMPLES },
  answer: ANSWER_RULE,
};

const sampled = (template: Omit<PatternTemplate, 'config' | 'extensions'>): PatternTemplate => ({
  ...template,
  // Several different reasoning paths need sampling above temperature 0.
  config: { temperature: 0.7 },
  extensions: { [SAMPLES_KEY]: 5 },
});

export const selfConsistency: PromptPattern = {
  id: 'self-consistency',
  family: 'reasoning',
  title: { en: 'Self-consistency', 'zh-cn': '自洽性（多路径投票）' },
  explanation: {
    what: {
      en: 'Run the same chain-of-thought prompt several times with sampling turned on, extract the final answer of each reply with the answer rule, and keep the answer that comes up most often. Different reasoning paths that agree are more likely to be right than any single path.',
      'zh-cn':
        '开启采样，把同一个思维链提示词运行多次，用答案规则从每次回复中提取最终答案，取出现次数最多的那个。多条推理路径得出相同答案时，比单独一条路径更可能正确。',
    },
    when: {
      en: 'Questions with one short, checkable answer (a number, an option) where accuracy matters more than cost. The sample count and temperature live in the frontmatter (promptscope.samples, config.temperature) and the comparison view uses them.',
      'zh-cn':
        '答案简短、可核对（一个数字、一个选项），且准确率比成本更重要的问题。采样次数和温度写在 frontmatter 中（promptscope.samples、config.temperature），对比视图会读取它们。',
    },
    mistakes: {
      en: 'Temperature 0, which makes every sample identical; free-form answers that never match exactly, so the vote splits; too few samples (two cannot break a tie); forgetting that cost grows with every sample.',
      'zh-cn':
        '温度设为 0，每次采样结果完全一样；答案是自由文本，彼此无法精确匹配，票数被分散；采样次数太少（两次无法打破平局）；忘了成本随采样次数线性增长。',
    },
  },
  references: [SELF_CONSISTENCY, COT],
  datasets: ['GSM8K', 'SVAMP', 'AQuA', 'StrategyQA', 'ARC-Challenge'],
  templates: [
    sampled({
      id: 'few-shot',
      form: 'few-shot',
      label: { en: 'Sampled few-shot chains', 'zh-cn': '对少样本思维链多次采样' },
      schema: { ...QUESTION_SCHEMA, ...WORKED_EXAMPLES_SCHEMA },
      body: fewShotBody,
    }),
    sampled({
      id: 'zero-shot',
      form: 'scaffold',
      label: { en: 'Sampled zero-shot chains', 'zh-cn': '对零样本思维链多次采样' },
      schema: QUESTION_SCHEMA,
      body: onePassBody,
    }),
  ],
  example: { question: WORD_PROBLEM, examples: WORKED_EXAMPLES },
  answer: ANSWER_RULE,
};
