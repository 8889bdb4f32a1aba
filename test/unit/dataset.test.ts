// Dataset export: rows → inputs → rendered prompt (through the dotprompt library) → records, with
// every bad row reported at its line, and the atomic writer.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import {
  AtomicFile,
  dataFileFormat,
  DatasetPromptError,
  exportDataset,
  readDataRows,
  summaryLine,
  writeFileAtomic,
  type DataFileFormat,
  type DatasetFormat,
  type ExportSummary,
} from '../../src/core/dataset';
import { findPattern, PATTERNS } from '../../src/core/patterns/catalogue';
import { composePromptFile, exampleInputFor } from '../../src/core/patterns/compose';

const TRANSLATE = `---
input:
  schema:
    text: string
    lang?: string
  default:
    lang: English
---
{{role "system"}}
Translate the text into {{lang}}.
{{role "user"}}
{{text}}
`;

async function run(
  prompt: string,
  data: string,
  format: DatasetFormat = 'instruction',
  kind: DataFileFormat = 'jsonl',
): Promise<{ lines: unknown[]; summary: ExportSummary }> {
  const lines: unknown[] = [];
  const summary = await exportDataset({
    promptText: prompt,
    rows: readDataRows(data, kind),
    format,
    write: (line) => void lines.push(JSON.parse(line)),
  });
  return { lines, summary };
}

const jsonl = (...rows: unknown[]): string => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

test('each row renders through the prompt: system text is the instruction, the user text the input', async () => {
  const { lines, summary } = await run(
    TRANSLATE,
    jsonl({ text: '你好', output: 'hello' }, { text: '谢谢', lang: 'French', output: 'merci' }),
  );
  assert.deepEqual(lines, [
    { instruction: 'Translate the text into English.', input: '你好', output: 'hello' },
    { instruction: 'Translate the text into French.', input: '谢谢', output: 'merci' },
  ]);
  assert.deepEqual(summary.problems, []);
  assert.equal(summary.records, 2);
  assert.deepEqual(summary.defaulted, { lang: 1 }, 'the default that filled an optional input is counted');
  assert.equal(summaryLine(summary, 'out.jsonl'), '2 records written to out.jsonl; no bad rows');
});

test('chat format: the rendered messages, model as assistant, then the output', async () => {
  const prompt =
    '{{role "system"}}\nYou label sentiment.\n{{role "user"}}\nGreat film!\n{{role "model"}}\npositive\n{{role "user"}}\n{{review}}\n';
  const { lines } = await run(prompt, jsonl({ review: 'Dull.', output: 'negative' }), 'chat');
  assert.deepEqual(lines, [
    {
      messages: [
        { role: 'system', content: 'You label sentiment.' },
        { role: 'user', content: 'Great film!' },
        { role: 'assistant', content: 'positive' },
        { role: 'user', content: 'Dull.' },
        { role: 'assistant', content: 'negative' },
      ],
    },
  ]);
});

test('{{section "input"}} splits instruction from input; without it and without a system message the input is empty', async () => {
  const marked = '---\ninput:\n  schema:\n    q: string\n---\nAnswer the question in one word.\n{{section "input"}}\nQuestion: {{q}}\n';
  const a = await run(marked, jsonl({ q: 'Capital of France?', output: 'Paris' }));
  assert.deepEqual(a.lines, [{ instruction: 'Answer the question in one word.', input: 'Question: Capital of France?', output: 'Paris' }]);
  const plain = '---\ninput:\n  schema:\n    q: string\n---\nAnswer in one word.\n\nQuestion: {{q}}\n';
  const b = await run(plain, jsonl({ q: 'Capital of Italy?', output: 'Rome' }));
  assert.deepEqual(b.lines, [{ instruction: 'Answer in one word.\n\nQuestion: Capital of Italy?', input: '', output: 'Rome' }]);
  // The chat format ignores the marker: the user message is whole.
  const c = await run(marked, jsonl({ q: 'Capital of Spain?', output: 'Madrid' }), 'chat');
  assert.deepEqual(c.lines, [
    {
      messages: [
        { role: 'user', content: 'Answer the question in one word.\n\nQuestion: Capital of Spain?' },
        { role: 'assistant', content: 'Madrid' },
      ],
    },
  ]);
});

test('bad rows are reported with their line numbers and never written', async () => {
  const data = jsonl(
    { text: 'one', output: '1' }, // 1 good
    'not json', // 2
    '', // 3 blank: skipped, not a row
    '[1, 2]', // 4
    { lang: 'German', output: 'x' }, // 5 missing required text
    { text: 'two' }, // 6 no output
    { text: 3, output: 'y' }, // 7 wrong type
    { text: 'three', output: '   ' }, // 8 blank output
    { text: 'four', output: { label: 'ok' } }, // 9 good: JSON output
  );
  const { lines, summary } = await run(TRANSLATE, data);
  assert.deepEqual(
    summary.problems.map((p) => p.line),
    [2, 4, 5, 6, 7, 8],
  );
  const at = (line: number): string => summary.problems.find((p) => p.line === line)!.message;
  assert.match(at(2), /not valid JSON/);
  assert.match(at(4), /must be a JSON object/);
  assert.match(at(5), /required input "text"/);
  assert.match(at(6), /no "output" field/);
  assert.match(at(7), /text: expected string, got/);
  assert.match(at(8), /no "output" field/);
  assert.deepEqual(
    lines.map((l) => (l as { output: string }).output),
    ['1', '{"label":"ok"}'],
  );
  assert.equal(summary.rows, 8);
  assert.equal(summaryLine(summary), '2 records written; 6 bad rows (of 8) were not exported');
});

test('render errors are reported per row; a prompt that cannot render at all stops the export', async () => {
  const helper = await run(
    '---\ninput:\n  schema:\n    t: string\n---\n{{shout t}}\n',
    jsonl({ t: 'a', output: 'A' }, { t: 'b', output: 'B' }),
  );
  assert.deepEqual(
    helper.summary.problems.map((p) => p.line),
    [1, 2],
  );
  assert.match(helper.summary.problems[0]!.message, /helper "shout"/);
  const media = await run(
    '---\ninput:\n  schema:\n    img: string\n---\nDescribe {{media url=img}}\n',
    jsonl({ img: 'https://example.com/a.png', output: 'a cat' }),
  );
  assert.match(media.summary.problems[0]!.message, /renders media/);
  await assert.rejects(run('---\ninput: [unclosed\n---\nHi\n', jsonl({ output: 'x' })), DatasetPromptError);
});

test('frontmatter defaults never stand in for a required input', async () => {
  const prompt = '---\ninput:\n  schema:\n    premise: string\n  default:\n    premise: The worked example.\n---\n{{premise}}\n';
  const { summary } = await run(prompt, jsonl({ output: 'yes' }));
  assert.match(summary.problems[0]!.message, /required input "premise" \(frontmatter defaults are not used for required inputs\)/);
});

test('without an input schema, variables read outside {{#if}} are required', async () => {
  const prompt = 'Task: {{task}}\n{{#if context}}Context: {{context}}{{/if}}\n';
  const { lines, summary } = await run(prompt, jsonl({ task: 'sum', output: '4' }, { context: 'c', output: '5' }));
  assert.deepEqual(lines, [{ instruction: 'Task: sum', input: '', output: '4' }]);
  assert.deepEqual(
    summary.problems.map((p) => [p.line, p.message]),
    [[2, 'no value for the required input "task"']],
  );
});

test('CSV: quoted commas, doubled quotes and line breaks; line numbers after a multi-line field; typed cells', async () => {
  const prompt = `---
input:
  schema:
    text: string
    n?: integer
    loud?: boolean
    tags?(array): string
---
{{text}} n={{n}} loud={{loud}}{{#each tags}} #{{this}}{{/each}}
`;
  const csv = 'text,n,loud,tags,output\r\n"a, b",2,yes,"[""x"",""y""]","say ""hi"""\r\n"two\nlines",,,,ok\r\nbad,zwei,no,,z\r\nshort,1\r\n';
  const { lines, summary } = await run(prompt, csv, 'instruction', 'csv');
  assert.deepEqual(lines, [
    { instruction: 'a, b n=2 loud=true #x #y', input: '', output: 'say "hi"' },
    { instruction: 'two\nlines n= loud=', input: '', output: 'ok' },
  ]);
  assert.deepEqual(
    summary.problems.map((p) => p.line),
    [5, 6],
  );
  assert.match(summary.problems[0]!.message, /n: expected integer/);
  assert.match(summary.problems[1]!.message, /2 fields, but the header has 5/);
});

test('CSV: a broken header reports every row; an unclosed quote is reported at its line', async () => {
  const dup = await run(TRANSLATE, 'text,text,output\na,b,c\nd,e,f\n', 'instruction', 'csv');
  assert.deepEqual(
    dup.summary.problems.map((p) => p.line),
    [1, 2, 3],
  );
  assert.equal(dup.summary.records, 0);
  const open = await run(TRANSLATE, 'text,output\nfine,ok\n"never closed,x\n', 'instruction', 'csv');
  assert.equal(open.summary.records, 1);
  assert.deepEqual(
    open.summary.problems.map((p) => p.line),
    [3],
  );
});

test('data file formats by extension', () => {
  assert.equal(dataFileFormat('a/rows.JSONL'), 'jsonl');
  assert.equal(dataFileFormat('rows.ndjson'), 'jsonl');
  assert.equal(dataFileFormat('rows.csv'), 'csv');
  assert.equal(dataFileFormat('rows.yaml'), undefined);
});

test('progress is reported per row and a cancelled export stops', async () => {
  const controller = new AbortController();
  const seen: number[] = [];
  const summary = await exportDataset({
    promptText: TRANSLATE,
    rows: readDataRows(jsonl(...[1, 2, 3, 4].map((n) => ({ text: `t${n}`, output: `o${n}` }))), 'jsonl'),
    format: 'instruction',
    write: () => undefined,
    signal: controller.signal,
    onProgress: (done, total) => {
      seen.push(done);
      assert.equal(total, 4);
      if (done === 2) controller.abort();
    },
  });
  assert.deepEqual(seen, [1, 2]);
  assert.equal(summary.cancelled, true);
  assert.equal(summary.records, 2);
});

test('every catalogue template exports its worked example as a record, in both formats', async () => {
  for (const pattern of PATTERNS) {
    for (const template of pattern.templates) {
      const row = { ...exampleInputFor(pattern, template), output: 'the expected reply' };
      for (const format of ['instruction', 'chat'] as const) {
        const { lines, summary } = await run(composePromptFile(pattern, template, { withExample: false }), jsonl(row), format);
        assert.deepEqual(summary.problems, [], `${pattern.id}/${template.id} (${format})`);
        assert.equal(lines.length, 1);
      }
    }
  }
  // The seed's own record format: the instruction-record pattern's example row round-trips.
  const record = findPattern('instruction-record')!;
  const { lines } = await run(composePromptFile(record, record.templates[0]!, { withExample: false }), jsonl(record.example));
  const [written] = lines as { instruction: string; input: string; output: string }[];
  assert.ok(written!.instruction.startsWith(String(record.example['instruction'])));
  assert.equal(written!.output, record.example['output']);
});

const dir = mkdtempSync(path.join(tmpdir(), 'promptscope-dataset-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('atomic write: replaces the target in one step and leaves no temporary file', () => {
  const target = path.join(dir, 'out.jsonl');
  writeFileSync(target, 'old\n');
  const file = AtomicFile.open(target);
  file.write('{"a":1}\n');
  assert.equal(readFileSync(target, 'utf8'), 'old\n', 'the target is untouched until commit');
  assert.ok(existsSync(file.temp) && path.dirname(file.temp) === dir, 'the temporary file sits beside the target');
  file.write('{"b":"中文"}\n');
  file.commit();
  assert.equal(readFileSync(target, 'utf8'), '{"a":1}\n{"b":"中文"}\n');
  assert.deepEqual(readdirSync(dir), ['out.jsonl']);
});

test('atomic write: an aborted write keeps the old file; a missing folder fails before anything is written', () => {
  const target = path.join(dir, 'keep.jsonl');
  writeFileSync(target, 'old\n');
  const file = AtomicFile.open(target);
  file.write('half');
  file.abort();
  file.abort();
  assert.equal(readFileSync(target, 'utf8'), 'old\n');
  assert.ok(!readdirSync(dir).some((n) => n.endsWith('.tmp')));
  assert.throws(() => writeFileAtomic(path.join(dir, 'missing', 'x.jsonl'), 'x'), /ENOENT/);
  assert.throws(() => file.write('more'), /closed/);
});
