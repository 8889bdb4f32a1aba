import { CLUSTER_TITLES, FAMILIES, FAMILY_TITLES, findPattern, PATTERNS } from '../../core/patterns/catalogue';
import { composePromptFile, findTemplate } from '../../core/patterns/compose';
import { explainPattern } from '../../core/patterns/markdown';
import { PATTERN_LANGUAGES, type PatternLanguage, type PromptPattern } from '../../core/patterns/types';
import { parseArgs, stringFlag, UsageError } from '../args';
import { EXIT, type CliIo } from '../io';

export const patternsUsage =
  'promptscope patterns [--json] [--lang en|zh-cn] | patterns show <id> [--lang zh-cn] | patterns file <id> [<template>] [--lang zh-cn]';

export interface PatternListing {
  id: string;
  family: string;
  cluster?: string;
  title: string;
  languages: string[];
  templates: { id: string; form: string; label: string }[];
  datasets: string[];
  references: { title: string; authors: string; year: number; venue?: string }[];
  answer?: PromptPattern['answer'];
}

function language(value: string | undefined): PatternLanguage {
  if (value === undefined) return 'en';
  const lang = value.toLowerCase();
  if ((PATTERN_LANGUAGES as readonly string[]).includes(lang)) return lang as PatternLanguage;
  throw new UsageError(`--lang must be one of ${PATTERN_LANGUAGES.join(', ')}, not "${value}"`);
}

function listing(pattern: PromptPattern, lang: PatternLanguage): PatternListing {
  return {
    id: pattern.id,
    family: pattern.family,
    ...(pattern.cluster ? { cluster: pattern.cluster } : {}),
    title: pattern.title[lang],
    languages: [...PATTERN_LANGUAGES],
    templates: pattern.templates.map((t) => ({ id: t.id, form: t.form, label: t.label[lang] })),
    datasets: [...pattern.datasets],
    references: pattern.references.map((r) => ({ ...r })),
    ...(pattern.answer ? { answer: pattern.answer } : {}),
  };
}

function requirePattern(id: string | undefined): PromptPattern {
  if (!id) throw new UsageError(`no pattern id given. Usage: ${patternsUsage}`);
  const pattern = findPattern(id);
  if (!pattern) throw new UsageError(`unknown pattern "${id}" (run "promptscope patterns" for the list)`);
  return pattern;
}

export async function patternsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ['lang'], ['json']);
  const lang = language(stringFlag(args, 'lang'));
  const [sub, id, templateId, ...extra] = args.positionals;
  const json = args.flags.has('json');

  if (sub === 'show') {
    if (templateId !== undefined) throw new UsageError(`"patterns show" takes one id. Usage: ${patternsUsage}`);
    const pattern = requirePattern(id);
    io.out(
      json
        ? `${JSON.stringify({ ...listing(pattern, lang), explanation: explainPattern(pattern, lang) }, null, 2)}\n`
        : explainPattern(pattern, lang),
    );
    return EXIT.ok;
  }
  if (sub === 'file') {
    if (extra.length > 0) throw new UsageError(`too many arguments. Usage: ${patternsUsage}`);
    const pattern = requirePattern(id);
    let template;
    try {
      template = findTemplate(pattern, templateId);
    } catch {
      throw new UsageError(
        `pattern "${pattern.id}" has no template "${templateId ?? ''}" (templates: ${pattern.templates.map((t) => t.id).join(', ')})`,
      );
    }
    io.out(composePromptFile(pattern, template, { lang }));
    return EXIT.ok;
  }
  if (sub !== undefined) throw new UsageError(`unknown subcommand "${sub}". Usage: ${patternsUsage}`);

  if (json) {
    io.out(
      `${JSON.stringify(
        PATTERNS.map((p) => listing(p, lang)),
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  const idWidth = Math.max(...PATTERNS.map((p) => p.id.length));
  for (const family of FAMILIES) {
    io.out(`${FAMILY_TITLES[family][lang]}\n`);
    for (const p of PATTERNS.filter((x) => x.family === family)) {
      const cluster = p.cluster ? ` [${CLUSTER_TITLES[p.cluster][lang]}]` : '';
      io.out(
        `  ${p.id.padEnd(idWidth)}  ${p.title[lang]}${p.cluster && CLUSTER_TITLES[p.cluster][lang] !== p.title[lang] ? cluster : ''}\n`,
      );
      io.out(`  ${''.padEnd(idWidth)}  ${lang === 'zh-cn' ? '模板' : 'templates'}: ${p.templates.map((t) => t.id).join(', ')}\n`);
    }
    io.out('\n');
  }
  io.out(
    lang === 'zh-cn'
      ? `共 ${PATTERNS.length} 个模式。用 "promptscope patterns show <id>" 查看说明。\n`
      : `${PATTERNS.length} patterns. "promptscope patterns show <id>" explains one.\n`,
  );
  return EXIT.ok;
}
