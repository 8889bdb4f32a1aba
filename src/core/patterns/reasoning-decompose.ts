// Reasoning patterns that structure the work before or while doing it: least-to-most,
// plan-and-solve and ReAct.
import { ANSWER_STEP_KEY } from './compose';
import { ANSWER_PHRASE, ANSWER_RULE } from './reasoning-cot';
import { LEAST_TO_MOST, PLAN_AND_SOLVE, REACT, ZERO_SHOT_COT } from './references';
import type { PromptPattern } from './types';

export const leastToMost: PromptPattern = {
  id: 'least-to-most',
  family: 'reasoning',
  title: { en: 'Least-to-most prompting', 'zh-cn': '由少到多提示' },
  explanation: {
    what: {
      en: 'Two stages. First the model breaks a hard problem into simpler sub-questions, ordered so that each can use the answers before it. Then the sub-questions are answered one by one, each answer appended to the prompt for the next, until the original question is answered.',
      'zh-cn':
        '分两个阶段。先让模型把难题拆成若干更简单的子问题，并排好顺序，使每个子问题都能用上前面的答案；再逐个回答子问题，每得到一个答案就追加到下一次的提示词里，直到回答出原问题。',
    },
    when: {
      en: 'Problems harder than any exemplar you can show, where plain chain of thought gives up halfway: long word problems, multi-hop questions, tasks that generalize from short to long inputs.',
      'zh-cn': '问题比你能给出的任何示例都难、普通思维链做到一半就放弃的场景：很长的应用题、多跳问答、需要从短输入泛化到长输入的任务。',
    },
    mistakes: {
      en: 'Letting the decomposition stage also solve the problem; sub-questions that do not build on each other; dropping earlier answers from the solving prompt, so later steps start from scratch.',
      'zh-cn': '拆解阶段顺手把问题也解了；子问题之间没有递进关系；求解时丢掉了前面子问题的答案，后面的步骤只能从头开始。',
    },
  },
  references: [LEAST_TO_MOST],
  datasets: ['SCAN', 'GSM8K', 'DROP', 'Last letter concatenation'],
  templates: [
    {
      id: 'decompose',
      form: 'scaffold',
      label: { en: 'Stage 1: decompose', 'zh-cn': '第 1 阶段：拆解' },
      schema: { problem: 'string, The full problem' },
      extensions: { [ANSWER_STEP_KEY]: 'solve' },
      body: 'Problem: {{problem}}\n\nDo not solve the problem yet. List the simpler questions that have to be answered first, in the order they should be answered, one per line. The last line is the original question.\n',
    },
    {
      id: 'solve',
      form: 'scaffold',
      label: { en: 'Stage 2: solve in order', 'zh-cn': '第 2 阶段：依次求解' },
      schema: {
        problem: 'string, The full problem',
        'solved(array, Sub-questions answered so far)': { question: 'string', answer: 'string' },
        next_question: 'string, The sub-question to answer now',
      },
      body: `Problem: {{problem}}\n\n{{#each solved}}\nQ: {{question}}\nA: {{answer}}\n\n{{/each}}\nQ: {{next_question}}\nA: Use the answers above. Finish with "${ANSWER_PHRASE} <answer>."\n`,
    },
  ],
  example: {
    problem:
      'A pool holds 1,200 litres. One pipe fills 30 litres a minute and a drain empties 10 litres a minute. Starting empty with both open, how long until the pool is full?',
    solved: [{ question: 'How many litres does the pool gain each minute?', answer: '30 - 10 = 20 litres a minute.' }],
    next_question: 'How many minutes does it take to reach 1,200 litres?',
  },
  answer: ANSWER_RULE,
};

export const planAndSolve: PromptPattern = {
  id: 'plan-and-solve',
  family: 'reasoning',
  title: { en: 'Plan-and-solve', 'zh-cn': '先计划后求解' },
  explanation: {
    what: {
      en: 'A zero-shot refinement of chain of thought: the trigger asks the model to understand the problem and write a plan first, then carry the plan out step by step, paying attention to the numbers it extracts and to each calculation.',
      'zh-cn': '零样本思维链的改进版：触发语要求模型先理解问题、写出计划，再一步一步执行计划，并注意提取出的数字和每一步计算。',
    },
    when: {
      en: 'Where zero-shot chain of thought skips steps or miscalculates, and you still have no exemplars to offer.',
      'zh-cn': '零样本思维链会跳步或算错，而你仍然没有示例可用的时候。',
    },
    mistakes: {
      en: 'A plan the model then ignores because the prompt does not ask it to follow the plan; no final answer line; plans so long they use up the output budget.',
      'zh-cn': '写了计划但提示词没要求按计划执行，模型就不管计划了；没有最终答案行；计划写得太长，耗尽了输出长度上限。',
    },
  },
  references: [PLAN_AND_SOLVE, ZERO_SHOT_COT],
  datasets: ['GSM8K', 'MultiArith', 'AddSub', 'SVAMP', 'AQuA', 'CSQA', 'StrategyQA'],
  templates: [
    {
      id: 'plan-then-solve',
      form: 'scaffold',
      label: { en: 'Plan, then solve', 'zh-cn': '先写计划，再求解' },
      schema: { question: 'string, A problem that needs several steps' },
      body: `Question: {{question}}\n\nFirst, restate what is asked and list the numbers the question gives.\nNext, write a short numbered plan.\nThen follow the plan one step at a time, checking each calculation.\nFinish with a line of the form "${ANSWER_PHRASE} <answer>."\n`,
    },
  ],
  example: {
    question: 'A shop sells pens at 3 for 2 euros. Maria buys 12 pens and pays with a 10-euro note. How much change does she get?',
  },
  answer: ANSWER_RULE,
};

export const react: PromptPattern = {
  id: 'react',
  family: 'reasoning',
  title: { en: 'ReAct: thought, action, observation', 'zh-cn': 'ReAct：思考、行动、观察' },
  explanation: {
    what: {
      en: "The model alternates Thought lines (reasoning about what to do), Action lines (a call to a tool such as search or a calculator) and Observation lines (the tool's result, written in by your application). Reasoning decides which tool to call; results steer the next step. This is the basic loop behind tool-using agents.",
      'zh-cn':
        '模型交替写出“思考”行（推理下一步做什么）、“行动”行（调用搜索、计算器等工具）和“观察”行（工具返回的结果，由你的应用填入）。推理决定调用哪个工具，结果又引导下一步。这就是使用工具的智能体（Agent）的基本循环。',
    },
    when: {
      en: 'Questions that need fresh or private facts, calculations or several lookups; any agent that should explain why it calls each tool.',
      'zh-cn': '需要最新或私有信息、需要计算或多次查询的问题；任何需要说明自己为何调用每个工具的智能体。',
    },
    mistakes: {
      en: 'Letting the model write its own Observation lines (stop generation at "Observation:" and insert the real result); tools described too vaguely to choose between; no limit on the number of steps; no final-answer phrase to end the loop.',
      'zh-cn':
        '让模型自己编写“观察”行（应在 “Observation:” 处停止生成，再填入真实结果）；工具描述太含糊，模型无从选择；不限制步数；没有结束循环的最终答案短语。',
    },
  },
  references: [REACT],
  datasets: ['HotpotQA', 'FEVER', 'ALFWorld', 'WebShop'],
  templates: [
    {
      id: 'loop',
      form: 'scaffold',
      label: { en: 'Thought / Action / Observation loop', 'zh-cn': '思考 / 行动 / 观察循环' },
      schema: {
        task: 'string, What the agent has to find out or do',
        'available_tools(array, Tools the application executes)': { name: 'string', description: 'string' },
        'transcript?': 'string, The Thought/Action/Observation lines so far',
      },
      // Generation stops where an observation would begin: the application supplies it.
      config: { stopSequences: ['Observation:'] },
      body: [
        '{{role "system"}}',
        'Solve the task by repeating these steps:',
        'Thought: what you know so far and what to do next.',
        'Action: exactly one tool call, written as tool_name[input].',
        'After each Action, stop. The result will be given to you on an Observation line.',
        'When you can answer, write "Final answer: <answer>" instead of an Action.',
        '',
        'Tools:',
        '{{#each available_tools}}',
        '- {{name}}: {{description}}',
        '{{/each}}',
        '',
        '{{role "user"}}',
        'Task: {{task}}',
        '{{#if transcript}}',
        '{{transcript}}',
        '{{/if}}',
        '',
      ].join('\n'),
    },
  ],
  example: {
    task: 'How many years passed between the founding of the city library and the opening of its newest branch?',
    available_tools: [
      { name: 'search', description: 'looks up a short fact and returns one sentence' },
      { name: 'calculate', description: 'evaluates an arithmetic expression' },
    ],
    transcript:
      'Thought: I need the founding year first.\nAction: search[city library founding year]\nObservation: The city library was founded in 1887.',
  },
  answer: { kind: 'after-phrase', phrases: ['Final answer:', '最终答案：'] },
};
