// `promptscope export-dataset`, through main(argv, io): records on stdout or in --out, bad rows on
// stderr with their lines, and the exit codes (0 all good, 1 bad rows or a prompt that does not
// render, 2 usage and file problems).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';

const ws = mkdtempSync(path.join(tmpdir(), 'promptscope-export-'));
after(() => rmSync(ws, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const file = path.join(ws, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

write(
  'prompts/translate.prompt',
  '---\ninput:\n  schema:\n    text: string\n---\n{{role "system"}}\nTranslate into English. {{> note}}\n{{role "user"}}\n{{text}}\n',
);
write('prompts/_note.prompt', 'Keep names as they are.');
write('broken.prompt', '---\ninput: [oops\n---\n{{text}}\n');
write('good.jsonl', '{"text":"你好","output":"hello"}\n{"text":"再见","output":"goodbye"}\n');
write('mixed.jsonl', '{"text":"你好","output":"hello"}\n{"text":"再见"}\n{oops\n{"text":"谢谢","output":"thanks"}\n');
write('rows.csv', 'text,output\n"你好, 朋友","hello, friend"\n"line one\nline two","x ""quoted"""\n,missing\n');
write('rows.yaml', '- text: hi\n');

interface Run {
  code: number;
  out: string;
  err: string;
}
async function cli(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), cwd: ws, color: false };
  const code = await main(argv, io);
  return { code, out, err };
}
const records = (text: string): unknown[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);

test('all rows good: records on stdout, the summary on stderr, exit 0', async () => {
  const r = await cli('export-dataset', 'prompts/translate.prompt', '--data', 'good.jsonl');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(records(r.out), [
    { instruction: 'Translate into English. Keep names as they are.', input: '你好', output: 'hello' },
    { instruction: 'Translate into English. Keep names as they are.', input: '再见', output: 'goodbye' },
  ]);
  assert.equal(r.err, '2 records written; no bad rows\n');
});

test('bad rows: the good ones are written to --out, each bad row is named by line, exit 1', async () => {
  const r = await cli('export-dataset', 'prompts/translate.prompt', '--data', 'mixed.jsonl', '--format', 'chat', '--out', 'chat.jsonl');
  assert.equal(r.code, 1);
  assert.equal(r.out, '', 'nothing on stdout when --out is given');
  const lines = r.err.trim().split('\n');
  assert.match(lines[0]!, /^mixed\.jsonl:2: no "output" field/);
  assert.match(lines[1]!, /^mixed\.jsonl:3: not valid JSON/);
  assert.equal(lines.at(-1), '2 records written to chat.jsonl; 2 bad rows (of 4) were not exported');
  const written = records(readFileSync(path.join(ws, 'chat.jsonl'), 'utf8')) as { messages: { role: string; content: string }[] }[];
  assert.equal(written.length, 2);
  assert.deepEqual(
    written[1]!.messages.map((m) => m.role),
    ['system', 'user', 'assistant'],
  );
  assert.equal(written[1]!.messages[2]!.content, 'thanks');
  assert.ok(!readdirSync(ws).some((n) => n.endsWith('.tmp')), 'no temporary file is left');
});

test('CSV rows: quoting survives, an empty required cell is a bad row at its line', async () => {
  const r = await cli('export-dataset', 'prompts/translate.prompt', '--data=rows.csv');
  assert.equal(r.code, 1);
  assert.deepEqual(
    records(r.out).map((x) => (x as { input: string; output: string }).input),
    ['你好, 朋友', 'line one\nline two'],
  );
  assert.deepEqual(
    records(r.out).map((x) => (x as { output: string }).output),
    ['hello, friend', 'x "quoted"'],
  );
  assert.match(r.err, /^rows\.csv:5: no value for the required input "text"$/m);
});

test('a prompt that does not render: nothing is written, an existing --out is kept, exit 1', async () => {
  write('kept.jsonl', 'previous\n');
  const r = await cli('export-dataset', 'broken.prompt', '--data', 'good.jsonl', '--out', 'kept.jsonl');
  assert.equal(r.code, 1);
  assert.match(r.err, /broken\.prompt: .*\nNothing was exported/);
  assert.equal(readFileSync(path.join(ws, 'kept.jsonl'), 'utf8'), 'previous\n');
  assert.ok(!readdirSync(ws).some((n) => n.endsWith('.tmp')));
});

test('usage and file problems exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['prompts/translate.prompt'], /--data <rows\.jsonl\|rows\.csv> is required/],
    [['prompts/translate.prompt', '--data', 'rows.yaml'], /--data must be a \.jsonl or \.csv file/],
    [['prompts/translate.prompt', '--data', 'good.jsonl', '--format', 'alpaca'], /--format must be instruction or chat/],
    [['prompts/translate.prompt', '--data', 'good.jsonl', '--out', 'good.jsonl'], /--out would overwrite the data file/],
    [['prompts/translate.prompt', '--data', 'good.jsonl', '--out', './prompts/translate.prompt'], /--out would overwrite the prompt/],
    [['prompts/translate.prompt', '--data', 'nope.jsonl'], /cannot read nope\.jsonl: no such file/],
    [['missing.prompt', '--data', 'good.jsonl'], /cannot read missing\.prompt/],
    [
      ['prompts/translate.prompt', '--data', 'good.jsonl', '--out', 'no/such/dir/x.jsonl'],
      /cannot write no\/such\/dir\/x\.jsonl: its folder does not exist/,
    ],
    [['a.prompt', 'b.prompt', '--data', 'good.jsonl'], /takes one file/],
    [['prompts/translate.prompt', '--data', 'good.jsonl', '--json'], /unknown option --json/],
  ];
  for (const [args, message] of cases) {
    const r = await cli('export-dataset', ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
  }
  assert.ok(!existsSync(path.join(ws, 'no')));
});

test('help lists the command and its usage', async () => {
  const r = await cli('--help');
  assert.match(r.out, /export-dataset +render a prompt for every row/);
  const u = await cli('export-dataset', '--help');
  assert.match(
    u.out,
    /^Usage: promptscope export-dataset <file> --data <rows\.jsonl\|rows\.csv> \[--format instruction\|chat\] \[--out <file>\]/,
  );
});
