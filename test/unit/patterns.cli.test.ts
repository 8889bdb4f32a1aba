import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/cli/args';
import type { CliIo } from '../../src/cli/io';
import { patternsCommand, type PatternListing } from '../../src/cli/commands/patterns';
import { PATTERNS } from '../../src/core/patterns/catalogue';
import { analyzePrompt } from '../../src/core/prompt/analyze';

function capture(): { io: CliIo; out: () => string } {
  let out = '';
  return { io: { out: (t) => (out += t), err: () => undefined, cwd: process.cwd(), color: false }, out: () => out };
}

test('patterns --json lists the whole catalogue with templates and languages', async () => {
  const c = capture();
  assert.equal(await patternsCommand(['--json'], c.io), 0);
  const list = JSON.parse(c.out()) as PatternListing[];
  assert.equal(list.length, PATTERNS.length);
  const nli = list.find((p) => p.id === 'flan-nli')!;
  assert.deepEqual(nli.languages, ['en', 'zh-cn']);
  assert.deepEqual(
    nli.templates.map((t) => t.id),
    ['zero-shot', 'few-shot', 'options'],
  );
  assert.equal(nli.cluster, 'natural-language-inference');
});

test('patterns lists by family, in Chinese with --lang zh-cn', async () => {
  const en = capture();
  await patternsCommand([], en.io);
  assert.match(en.out(), /FLAN instruction templates\n {2}flan-nli/);
  const zh = capture();
  await patternsCommand(['--lang', 'zh-cn'], zh.io);
  assert.match(zh.out(), /FLAN 指令模板/);
  assert.match(zh.out(), /自然语言推理/);
});

test('patterns show <id> prints the explanation; patterns file prints a valid .prompt', async () => {
  const show = capture();
  await patternsCommand(['show', 'self-consistency', '--lang', 'zh-cn'], show.io);
  assert.match(show.out(), /^# 自洽性/);
  const file = capture();
  await patternsCommand(['file', 'flan-nli', 'options'], file.io);
  const analysis = await analyzePrompt(file.out());
  assert.deepEqual(analysis.diagnostics, []);
  assert.match(file.out(), /OPTIONS:/);
});

test('usage errors', async () => {
  const c = capture();
  await assert.rejects(patternsCommand(['show', 'nope'], c.io), UsageError);
  await assert.rejects(patternsCommand(['show'], c.io), UsageError);
  await assert.rejects(patternsCommand(['file', 'flan-nli', 'nope'], c.io), /templates: zero-shot, few-shot, options/);
  await assert.rejects(patternsCommand(['--lang', 'fr'], c.io), /--lang must be one of en, zh-cn/);
  await assert.rejects(patternsCommand(['list'], c.io), /unknown subcommand/);
});
