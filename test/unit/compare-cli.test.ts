// `promptscope compare` end to end: real HTTP to loopback servers speaking Ollama's protocol,
// with models of different speeds, a failing and a missing model; exit codes 0, 1, 2 and 3.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { CliIo } from '../../src/cli/io';
import { compareCommand } from '../../src/cli/commands/compare';
import { main } from '../../src/cli/main';
import { startCompareFake, type CompareFake } from '../fixtures/servers/compareScripts';
import type { FakeServer } from '../fixtures/servers/http';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';

let lab: CompareFake;
let ollama: FakeServer;
let dir: string;
const savedHost = process.env['OLLAMA_HOST'];

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), cwd: dir, color: false, stdout: () => out, stderr: () => err };
}

function write(name: string, text: string): string {
  writeFileSync(path.join(dir, name), text);
  return name;
}

function prompt(name: string, body = 'The answer is {{n}}.', extra = ''): string {
  return write(name, `---\nmodel: lab/echo\n${extra}input:\n  schema:\n    n: string\n  default:\n    n: "7"\n---\n${body}\n`);
}

async function compare(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(['compare', ...args, '--endpoints', 'endpoints.json'], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

interface JsonDoc {
  exitCode: number;
  columns: {
    id: string;
    model: string;
    completed: number;
    errors: number;
    metrics: Record<string, number>;
    best: string[];
    casesPassed: number;
    casesChecked: number;
  }[];
  cases: {
    id: string;
    line: number;
    cells: {
      column: string;
      sample: number;
      status: string;
      content: string;
      answer: string | null;
      answerProbability: number | null;
      assertions: { kind: string; pass: boolean; reason: string }[];
      error: { kind: string } | null;
    }[];
    votes: {
      column: string;
      majority: string | null;
      agreement: number;
      buckets: { answer: string; count: number; frequency: number; modelProbability?: number }[];
    }[];
  }[];
  problems: { line: number; message: string }[];
}

before(async () => {
  lab = await startCompareFake();
  ollama = await startOllamaFake();
  process.env['OLLAMA_HOST'] = ollama.url;
  dir = mkdtempSync(path.join(tmpdir(), 'promptscope-compare-'));
  write('endpoints.json', JSON.stringify([{ name: 'lab', kind: 'ollama', url: lab.url }]));
});

after(async () => {
  if (savedHost === undefined) delete process.env['OLLAMA_HOST'];
  else process.env['OLLAMA_HOST'] = savedHost;
  await lab.close();
  await ollama.close();
});

test('a table of fast, slow, failing and missing models: the failing columns stop nothing', async () => {
  const file = prompt('plain.prompt');
  const { code, out, err } = await compare(
    file,
    '--model',
    'lab/echo',
    '--model',
    'lab/paced-20',
    '--model',
    'ollama/error-mid',
    '--model',
    'lab/missing',
    '--model=ollama/tiny',
    '--concurrency',
    '2',
  );
  assert.equal(code, 0, err);
  assert.match(out, /c0 lab\/echo\s+The answer is 7\./);
  assert.match(out, /c1 lab\/paced-20\s+The answer is 7\./);
  assert.match(out, /c2 ollama\/error-mid\s+⚠\s+Partial output\s+— error: .*error was encountered/);
  assert.match(out, /c3 lab\/missing\s+⚠\s+— error: Model "missing" is not installed/);
  assert.match(out, /c4 ollama\/tiny\s+Hello world!/);
  assert.match(out, /Summary \(\* best\)/);
  assert.match(out, /c0 lab\/echo .*\*/, 'a best value is marked');
  assert.match(err, /Comparing plain\.prompt: 5 models × 1 cases, 2 columns at a time/);
  assert.match(err, /c2 ollama\/error-mid: running \(2 columns queued\)/);
  assert.match(err, /c3 lab\/missing: finished, 1 of 1 cells failed/);
});

test('--json: per-column stats, per-case assertion results, exit 3 when an assertion fails', async () => {
  const file = prompt('sum.prompt');
  write(
    'sum.tests.jsonl',
    '{"name": "seven", "n": "7", "expect": {"answer": "7", "contains": "answer"}}\n{"name": "forty-two", "input": {"n": "42"}, "expect.answer": "42"}\n{broken\n',
  );
  const { code, out, err } = await compare(file, '--model', 'lab/echo', '--model', 'lab/vote', '--model', 'ollama/error-mid', '--json');
  assert.equal(code, 3, err);
  const doc = JSON.parse(out) as JsonDoc;
  assert.equal(doc.exitCode, 3);
  assert.deepEqual(
    doc.problems.map((p) => p.line),
    [3],
  );
  assert.match(err, /sum\.tests\.jsonl:3: not valid JSON.*\(row skipped\)/);
  assert.deepEqual(
    doc.columns.map((c) => [c.model, c.completed, c.errors, c.casesPassed, c.casesChecked]),
    [
      ['lab/echo', 2, 0, 2, 2],
      ['lab/vote', 2, 0, 1, 2],
      ['ollama/error-mid', 0, 2, 0, 2],
    ],
  );
  assert.ok(doc.columns[0]!.metrics['tokensPerSecond']! > 0);
  const seven = doc.cases[0]!;
  assert.deepEqual([seven.id, seven.line], ['seven', 1]);
  assert.deepEqual(
    seven.cells[0]!.assertions.map((a) => [a.kind, a.pass]),
    [
      ['contains', true],
      ['answer', true],
    ],
  );
  const vote = seven.cells.find((c) => c.column === 'c1')!;
  assert.equal(vote.assertions[1]!.pass, false);
  assert.match(vote.assertions[1]!.reason, /expected answer "7", got "4\d"/);
  const failed = seven.cells.find((c) => c.column === 'c2')!;
  assert.deepEqual([failed.status, failed.content, failed.error!.kind], ['error', 'Partial output', 'server-error']);
});

test('all assertions passing exits 0 even with a failing column that has none to check', async () => {
  const file = prompt('pass.prompt');
  write('pass-cases.csv', 'name,n,expect.regex\nfirst,1,"^The answer is 1\\.$"\n');
  const { code, err } = await compare(file, '--tests', 'pass-cases.csv', '--model', 'lab/echo', '--model', 'lab/paced-10');
  assert.equal(code, 0, err);
});

test("--samples: the votes, majority, agreement and the model's probability of each answer", async () => {
  const file = prompt('vote.prompt', 'Think, then say "The answer is".');
  const { code, out, err } = await compare(
    file,
    '--model',
    'lab/vote',
    '--model',
    'lab/echo',
    '--samples',
    '5',
    '--seed',
    '0',
    '--temperature',
    '0.7',
    '--json',
  );
  assert.equal(code, 0, err);
  const doc = JSON.parse(out) as JsonDoc;
  const votes = doc.cases[0]!.votes.find((v) => v.column === 'c0')!;
  assert.equal(votes.majority, '42');
  assert.equal(votes.agreement, 0.6);
  assert.deepEqual(
    votes.buckets.map((b) => [b.answer, b.count, b.frequency, Number(b.modelProbability!.toFixed(4))]),
    [
      ['42', 3, 0.6, 0.9],
      ['41', 1, 0.2, 0.06],
      ['43', 1, 0.2, 0.04],
    ],
  );
  assert.equal(doc.cases[0]!.cells.filter((c) => c.column === 'c0').length, 5);

  const table = await compare(file, '--model', 'lab/vote', '--samples', '5', '--seed', '0', '--temperature', '0.7');
  assert.match(table.out, /answers: 42, 42, 41, 42, 43/);
  assert.match(
    table.out,
    /votes: 42 ×3 \(60%, model p=0\.90\) · 41 ×1 \(20%, model p=0\.06\) · 43 ×1 \(20%, model p=0\.04\) → 42, agreement 60%/,
  );
});

test('--variants finds name.variant.prompt; extra files join; --diff marks words against the first column', async () => {
  prompt('greet.prompt', 'The answer is {{n}}.');
  prompt('greet.short.prompt', 'Answer: {{n}}');
  prompt('other.prompt', 'The answer is {{n}} indeed.');
  const { code, out, err } = await compare('greet.prompt', '--variants', 'other.prompt', '--model', 'lab/echo', '--diff');
  assert.equal(code, 0, err);
  assert.match(out, /c0 greet · lab\/echo\s+The answer is 7\./);
  assert.match(out, /c1 greet\.short · lab\/echo\s+\[-The-\]\{\+Answer:\+\} \[-answer is -\]7\[-\.-\]/);
  assert.match(out, /c2 other · lab\/echo\s+The answer is 7\{\+ indeed\+\}\./);
});

test('models from promptscope.models; --history saves runs and the record; --export writes Markdown, CSV and JSONL', async () => {
  const file = prompt('listed.prompt', 'The answer is {{n}}.', 'promptscope.models: [lab/echo, lab/paced-5]\n');
  for (const name of ['out.md', 'out.csv', 'out.jsonl']) {
    const { code, err } = await compare(file, '--history', 'hist', '--export', name);
    assert.equal(code, 0, err);
    assert.match(err, /Saved comparison \S+ \(hist\/\S+\.comparison\.json\)/);
  }
  assert.match(readFileSync(path.join(dir, 'out.md'), 'utf8'), /\| default \| The answer is 7\. \| The answer is 7\. \|/);
  assert.match(readFileSync(path.join(dir, 'out.csv'), 'utf8'), /^column,variant,model,case,sample,status/);
  assert.equal(readFileSync(path.join(dir, 'out.jsonl'), 'utf8').trimEnd().split('\n').length, 2);
  const files = readdirSync(path.join(dir, 'hist'));
  assert.equal(files.filter((f) => f.endsWith('.comparison.json')).length, 3);
  assert.equal(files.filter((f) => f.endsWith('.meta.json')).length, 6);
});

test('exit 1 when nothing could run: every column failed or the prompt does not render', async () => {
  const file = prompt('nothing.prompt');
  const missing = await compare(file, '--model', 'lab/nope', '--model', 'lab/gone');
  assert.equal(missing.code, 1);
  assert.match(missing.out, /Model "nope" is not installed/);
  const broken = write('broken.prompt', '---\nmodel: lab/echo\n---\n{{> nowhere}}\n');
  const render = await compare(broken, '--json');
  assert.equal(render.code, 1);
  assert.match((JSON.parse(render.out) as JsonDoc).cases[0]!.cells[0]!.error!.kind, /prepare/);
  const allBad = prompt('allbad.prompt');
  write('allbad.tests.jsonl', 'nope\n[1]\n');
  const suite = await compare(allBad);
  assert.equal(suite.code, 1);
  assert.match(suite.err, /no test case could be read/);
});

test('usage and file problems exit 2 and name the problem', async () => {
  const file = prompt('usage.prompt');
  write('nomodel.prompt', 'Hello\n');
  const cases: [string[], RegExp][] = [
    [['nomodel.prompt'], /no models/],
    [[file, '--samples', '0'], /--samples must be a whole number from 1 to 100/],
    [[file, '--temperature', 'hot'], /--temperature must be a number/],
    [[file, '--concurrency', '1.5'], /--concurrency must be a whole number/],
    [[file, '--tests', 'absent.jsonl'], /cannot read absent\.jsonl: no such file/],
    [[file, '--export', 'out.xlsx'], /--export must name a \.md, \.csv or \.jsonl file/],
    [['absent.prompt', '--model', 'lab/echo'], /cannot read absent\.prompt/],
    [[file, '--model'], /--model needs a value/],
    [[], /no file given/],
  ];
  for (const [args, message] of cases) {
    const { code, err } = await compare(...args);
    assert.equal(code, 2, `${args.join(' ')}: ${err}`);
    assert.match(err, message);
  }
  assert.equal(existsSync(path.join(dir, 'out.xlsx')), false);
});

test('Ctrl+C stops every column, keeps what arrived and exits 130', async () => {
  const file = prompt('stop.prompt', 'The answer is {{n}} after a long and winding road of many words.');
  const controller = new AbortController();
  let err = '';
  let out = '';
  const io: CliIo = {
    out: (t) => void (out += t),
    // The runner reports each column starting on stderr; stop as soon as the slow one does.
    err: (t) => {
      err += t;
      if (t.includes('lab/paced-20: running')) queueMicrotask(() => controller.abort());
    },
    cwd: dir,
    color: false,
  };
  const code = await compareCommand(
    [
      file,
      '--model',
      'lab/echo',
      '--model',
      'lab/paced-20',
      '--model',
      'lab/fail-1',
      '--endpoints',
      'endpoints.json',
      '--history',
      'stopped',
    ],
    io,
    controller.signal,
  );
  assert.equal(code, 130, err);
  assert.match(out, /c0 lab\/echo\s+The answer is 7 after a long and winding road of many words\./);
  assert.match(out, /c1 lab\/paced-20\s+⚠\s+— stopped: Run stopped; the output so far is kept\./);
  assert.match(out, /c2 lab\/fail-1\s+·\s+— cancelled/);
  assert.match(out, /Stopped: the output received so far is kept\./);
  assert.match(err, /Saved comparison/, 'a stopped comparison is saved too');
});
