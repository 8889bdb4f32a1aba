import { CLUSTER_TITLES, FAMILY_TITLES } from './catalogue';
import { composePromptFile } from './compose';
import type { AnswerRule, Localized, PatternLanguage, PatternReference, PromptPattern, TemplateForm } from './types';

/** Headings and labels of a pattern's explanation page, in every catalogue language. */
export const EXPLANATION_LABELS = {
  what: { en: 'What it is', 'zh-cn': '是什么' },
  when: { en: 'When to use it', 'zh-cn': '何时使用' },
  mistakes: { en: 'Common mistakes', 'zh-cn': '常见错误' },
  datasets: { en: 'Datasets', 'zh-cn': '数据集' },
  answer: { en: 'Answer extraction', 'zh-cn': '答案提取' },
  references: { en: 'References', 'zh-cn': '参考文献' },
  templates: { en: 'Templates', 'zh-cn': '模板' },
} as const satisfies Record<string, Localized>;

export const FORM_LABELS: Readonly<Record<TemplateForm, Localized>> = {
  'zero-shot': { en: 'zero-shot', 'zh-cn': '零样本' },
  'few-shot': { en: 'few-shot', 'zh-cn': '少样本' },
  options: { en: 'options', 'zh-cn': '选项' },
  scaffold: { en: 'scaffold', 'zh-cn': '脚手架' },
};

export function describeAnswerRule(rule: AnswerRule, lang: PatternLanguage): string {
  const zh = lang === 'zh-cn';
  switch (rule.kind) {
    case 'after-phrase': {
      const phrases = rule.phrases.map((p) => `"${p}"`).join(zh ? '、' : ', ');
      return zh ? `取最后一次出现 ${phrases} 之后、到该行末尾的文字。` : `The text after the last ${phrases}, up to the end of that line.`;
    }
    case 'first-line':
      return zh
        ? '取回复的第一个非空行（去掉 “Answer:” 之类的前缀），它应当是所列选项之一。'
        : 'The first non-empty line of the reply (without a leading "Answer:"); it should be one of the listed options.';
    case 'json-field':
      return zh ? `回复中 JSON 对象的 "${rule.field}" 字段。` : `The "${rule.field}" field of the JSON object in the reply.`;
    case 'whole-text':
      return zh
        ? '整个回复（去掉首尾空白）；自由文本答案只能整体比较。'
        : 'The whole reply, trimmed; free-text answers are compared as a whole.';
  }
}

export function formatReference(ref: PatternReference): string {
  return `*${ref.title}* — ${ref.authors}${ref.venue ? `, ${ref.venue}` : ''} ${ref.year}`;
}

/** The family (and cluster) line shown under a pattern's title. */
export function patternGroupLabel(pattern: PromptPattern, lang: PatternLanguage): string {
  const family = FAMILY_TITLES[pattern.family][lang];
  return pattern.cluster ? `${family} · ${CLUSTER_TITLES[pattern.cluster][lang]}` : family;
}

export interface ExplainOptions {
  /** Include every template as a complete `.prompt` file (default true). */
  templates?: boolean;
  /** Heading level of the title (default 1; hovers use 3). */
  headingLevel?: number;
}

/** A pattern's explanation page as Markdown: the view, the hover and `promptscope patterns show` use it. */
export function explainPattern(pattern: PromptPattern, lang: PatternLanguage, options: ExplainOptions = {}): string {
  const h = '#'.repeat(options.headingLevel ?? 1);
  const sub = `${h}#`;
  const L = (key: keyof typeof EXPLANATION_LABELS): string => EXPLANATION_LABELS[key][lang];
  const parts = [
    `${h} ${pattern.title[lang]}`,
    `*${patternGroupLabel(pattern, lang)}* · \`${pattern.id}\``,
    `${sub} ${L('what')}\n\n${pattern.explanation.what[lang]}`,
    `${sub} ${L('when')}\n\n${pattern.explanation.when[lang]}`,
    `${sub} ${L('mistakes')}\n\n${pattern.explanation.mistakes[lang]}`,
  ];
  if (pattern.datasets.length > 0) parts.push(`${sub} ${L('datasets')}\n\n${pattern.datasets.join(', ')}`);
  if (pattern.answer) parts.push(`${sub} ${L('answer')}\n\n${describeAnswerRule(pattern.answer, lang)}`);
  if (pattern.references.length > 0)
    parts.push(`${sub} ${L('references')}\n\n${pattern.references.map((r) => `- ${formatReference(r)}`).join('\n')}`);
  if (options.templates ?? true) {
    const blocks = pattern.templates.map((t) => {
      const file = composePromptFile(pattern, t, { lang });
      // A fence longer than any backtick run in the file keeps the block closed.
      const fence = '`'.repeat(Math.max(3, ...(file.match(/`+/g) ?? []).map((m) => m.length + 1)));
      return `${sub}# ${t.label[lang]} (${FORM_LABELS[t.form][lang]})\n\n${fence}handlebars\n${file}${fence}`;
    });
    parts.push(`${sub} ${L('templates')}\n\n${blocks.join('\n\n')}`);
  }
  return `${parts.join('\n\n')}\n`;
}
