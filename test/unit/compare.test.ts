// Comparison inputs: test-case files (JSONL, CSV, YAML), their discovery, variants, frontmatter
// settings, assertions and the JSON Schema subset that Picoschema produces.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { picoschema } from 'dotprompt';
import {
  addVariantFiles,
  checkExpectations,
  comparisonSettings,
  discoverVariants,
  findTestFile,
  formatCsv,
  parseCsv,
  parseJsonReply,
  parseTestFile,
  validateJson,
} from '../../src/core/compare';

test('CSV: RFC 4180 quoting, CRLF, embedded line breaks, and the line each record starts on', () => {
  const text = 'name,text\r\none,"a, b"\r\ntwo,"say ""hi"""\r\nthree,"line 1\nline 2"\r\n\r\nfour,plain';
  const { records, problems } = parseCsv(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    records.map((r) => r.fields),
    [
      ['name', 'text'],
      ['one', 'a, b'],
      ['two', 'say "hi"'],
      ['three', 'line 1\nline 2'],
      ['four', 'plain'],
    ],
  );
  assert.deepEqual(
    records.map((r) => r.line),
    [1, 2, 3, 4, 7],
  );
  assert.deepEqual(
    parseCsv('a,b\r').records.map((r) => r.fields),
    [['a', 'b']],
    'a lone CR ends the last record',
  );
});

test('CSV: broken records are reported with their line and the rest still read', () => {
  const { records, problems } = parseCsv('a,b\n1,"x"y\n2,ok\n3,"never closed\n');
  assert.deepEqual(
    records.map((r) => r.fields[0]),
    ['a', '2'],
  );
  assert.equal(problems.length, 2);
  assert.equal(problems[0]!.line, 2);
  assert.match(problems[0]!.message, /after a closing quote/);
  assert.equal(problems[1]!.line, 4);
  assert.match(problems[1]!.message, /never closes/);
});

test('CSV: what formatCsv writes parses back to the same fields', () => {
  const rows = [
    ['a', 'b, c', 'say "x"'],
    ['multi\nline', ' padded ', ''],
    ['你好', '=1+1', ''],
  ];
  const { records, problems } = parseCsv(formatCsv(rows));
  assert.deepEqual(problems, []);
  assert.deepEqual(
    records.map((r) => r.fields),
    rows,
  );
});

test('JSONL cases: input objects, flat inputs, expect objects and expect.* keys; bad rows skipped with their line', () => {
  const text = [
    '{"name": "sum", "input": {"a": 2, "b": 2}, "expect": {"answer": 4, "contains": "4"}}',
    '',
    '{"a": 1, "b": 1, "expect.regex": "/^two$/i"}',
    'not json',
    '{"a": 1, "expect": {"contain": "x"}}',
    '[1, 2]',
    '{"name": "sum", "a": 0, "expect": "0"}',
    '{"expect": {"regex": "("}}',
  ].join('\n');
  const suite = parseTestFile(text, '/p/x.tests.jsonl');
  assert.deepEqual(
    suite.cases.map((c) => [c.id, c.line]),
    [
      ['sum', 1],
      ['case-2', 3],
      ['sum-2', 7],
    ],
  );
  assert.deepEqual(suite.cases[0]!.inputs, { a: 2, b: 2 });
  assert.deepEqual(suite.cases[0]!.expect, { answer: '4', contains: ['4'] });
  assert.deepEqual(suite.cases[1]!.inputs, { a: 1, b: 1 });
  assert.deepEqual(suite.cases[1]!.expect, { regex: ['/^two$/i'] });
  assert.deepEqual(suite.cases[2]!.expect, { equals: '0' });
  assert.deepEqual(
    suite.problems.map((p) => p.line),
    [4, 5, 6, 8],
  );
  assert.match(suite.problems[0]!.message, /not valid JSON/);
  assert.match(suite.problems[1]!.message, /unknown expectation "contain"/);
  assert.match(suite.problems[2]!.message, /must be an object/);
  assert.match(suite.problems[3]!.message, /not a valid regular expression/);
});

test('CSV cases: expect.* columns are expectations (empty means none), other columns are inputs', () => {
  const text =
    'name,question,expect.answer,expect.schema\nq1,"What is 2+2, exactly?",4,\nq2,Capital of France?,,yes\nq3,short\nq4,x,y,maybe\n';
  const suite = parseTestFile(text, 'cases.csv');
  assert.deepEqual(
    suite.cases.map((c) => c.id),
    ['q1', 'q2'],
  );
  assert.deepEqual(suite.cases[0]!.inputs, { question: 'What is 2+2, exactly?' });
  assert.deepEqual(suite.cases[0]!.expect, { answer: '4' });
  assert.deepEqual(suite.cases[1]!.expect, { schema: true });
  assert.deepEqual(
    suite.problems.map((p) => p.line),
    [4, 5],
  );
  assert.match(suite.problems[0]!.message, /2 fields, but the header has 4/);
  assert.match(suite.problems[1]!.message, /schema must be true or false/);
});

test('YAML cases: a list or a map with cases:, with the line of each row', () => {
  const text = '# cases\ncases:\n  - name: one\n    input: {n: 1}\n    expect:\n      contains: [one, "1"]\n  - n: 2\n  - just a string\n';
  const suite = parseTestFile(text, 'x.tests.yaml');
  assert.deepEqual(
    suite.cases.map((c) => [c.id, c.line]),
    [
      ['one', 3],
      ['case-2', 7],
    ],
  );
  assert.deepEqual(suite.cases[0]!.expect, { contains: ['one', '1'] });
  assert.deepEqual(suite.cases[1]!.inputs, { n: 2 });
  assert.deepEqual(suite.problems, [{ line: 8, message: 'a test case must be an object of inputs (and optionally name and expect)' }]);
  const broken = parseTestFile('- a: [1\n', 'x.yaml');
  assert.equal(broken.cases.length, 0);
  assert.ok(broken.problems[0]!.line >= 1);
  assert.match(parseTestFile('x', 'cases.txt').problems[0]!.message, /\.jsonl, \.csv or \.yaml/);
});

test('test files: the frontmatter field wins, else name.tests.* beside the prompt (variants share it)', () => {
  const existing = new Set([path.join('/w', 'greet.tests.csv'), path.join('/w', 'greet.tests.yaml')]);
  const exists = (f: string): boolean => existing.has(f);
  assert.deepEqual(findTestFile('/w/greet.prompt', 'data/cases.jsonl', exists), {
    path: path.resolve('/w/data/cases.jsonl'),
    from: 'frontmatter',
  });
  assert.deepEqual(findTestFile('/w/greet.prompt', undefined, exists), { path: path.join('/w', 'greet.tests.csv'), from: 'beside' });
  assert.deepEqual(findTestFile('/w/greet.casual.prompt', undefined, exists), { path: path.join('/w', 'greet.tests.csv'), from: 'beside' });
  assert.equal(findTestFile('/w/other.prompt', undefined, exists), undefined);
});

test('variants: name.variant.prompt beside name.prompt, from the base or a variant, plus chosen files', () => {
  const entries = ['greet.prompt', 'greet.casual.prompt', 'greet.formal.prompt', 'greeting.prompt', 'greet.tests.csv', 'greet.a.b.prompt'];
  const fromBase = discoverVariants('/w/greet.prompt', entries);
  assert.deepEqual(
    fromBase.map((v) => v.id),
    ['greet', 'greet.casual', 'greet.formal'],
  );
  assert.deepEqual(
    discoverVariants('/w/greet.formal.prompt', entries).map((v) => v.id),
    ['greet', 'greet.casual', 'greet.formal'],
  );
  const added = addVariantFiles(fromBase, ['/w/greet.prompt', '/w/other/greet.prompt', '/x/greet.prompt'], '/w');
  assert.deepEqual(
    added.map((v) => v.id),
    ['greet', 'greet.casual', 'greet.formal', 'other/greet', '../x/greet'],
  );
});

test('frontmatter settings: models, tests, samples and temperature; bad values named', () => {
  const text =
    '# header\n---\nmodel: ollama/a\npromptscope.models: [ollama/a, lab/b]\npromptscope.tests: cases.csv\npromptscope.samples: 5\nconfig:\n  temperature: 0.7\n---\nHi\n';
  assert.deepEqual(comparisonSettings(text), {
    models: ['ollama/a', 'lab/b'],
    tests: 'cases.csv',
    samples: 5,
    temperature: 0.7,
    problems: [],
  });
  assert.deepEqual(comparisonSettings('---\nmodel: ollama/a\n---\nHi\n').models, ['ollama/a']);
  const bad = comparisonSettings('---\npromptscope.models: 3\npromptscope.samples: 0\n---\n');
  assert.equal(bad.problems.length, 2);
  assert.deepEqual(comparisonSettings('no frontmatter'), { models: [], problems: [] });
});

test('assertions: equals, contains, regex and answer, each with a reason', () => {
  const reply = '  Paris is the capital.\nThe answer is Paris.';
  const results = checkExpectations(
    reply,
    { equals: 'Paris', contains: ['capital', 'London'], regex: ['/the ANSWER is/i', '^Lyon'], answer: 'paris' },
    { answer: 'Paris' },
  );
  assert.deepEqual(
    results.map((r) => [r.kind, r.pass]),
    [
      ['equals', false],
      ['contains', true],
      ['contains', false],
      ['regex', true],
      ['regex', false],
      ['answer', true],
    ],
  );
  assert.match(results[0]!.reason, /expected "Paris", got "Paris is the capital/);
  assert.match(results[2]!.reason, /does not contain "London"/);
  assert.match(results[3]!.reason, /at "The answer is"/);
  assert.equal(checkExpectations('x', {}).length, 0);
  const none = checkExpectations('no phrase here', { answer: '4' });
  assert.equal(none[0]!.pass, false);
  assert.match(none[0]!.reason, /no answer found/);
  const numeric = checkExpectations('', { answer: '1000' }, { answer: '1,000.0' });
  assert.equal(numeric[0]!.pass, true, 'numbers compare by value');
});

test('assertions: a failed run fails its case even when the partial reply would pass', () => {
  const results = checkExpectations('Partial', { contains: ['Partial'] }, { runError: 'stream cut' });
  assert.deepEqual(
    results.map((r) => [r.kind, r.pass]),
    [
      ['run', false],
      ['contains', true],
    ],
  );
});

test('schema assertion: valid JSON matching the output.schema Picoschema expands to', async () => {
  const schema = await picoschema({
    answer: 'integer',
    'why?': 'string',
    'tags(array)': 'string',
    'mood(enum)': ['calm', 'busy'],
    'meta?(object)': { n: 'number' },
  });
  const pass = checkExpectations(
    '```json\n{"answer": 4, "tags": ["a"], "mood": "calm", "why": null}\n```',
    { schema: true },
    { outputSchema: schema },
  );
  assert.equal(pass[0]!.pass, true, pass[0]!.reason);
  const fail = checkExpectations(
    '{"answer": 4.5, "tags": [1], "mood": "sad", "extra": true, "meta": {"n": "x"}}',
    { schema: true },
    { outputSchema: schema },
  );
  assert.equal(fail[0]!.pass, false);
  assert.match(fail[0]!.reason, /\$\.answer: expected integer, got number 4\.5/);
  assert.match(fail[0]!.reason, /and \d+ more/);
  const errors = validateJson({ answer: 4.5, tags: [1], mood: 'sad', extra: true, meta: { n: 'x' } }, schema);
  assert.deepEqual(errors.map((e) => e.path).sort(), ['$', '$.answer', '$.meta.n', '$.mood', '$.tags[0]']);
  assert.ok(errors.some((e) => /property "extra" is not allowed/.test(e.message)));
  assert.deepEqual(
    validateJson({ tags: [] }, schema).map((e) => e.message),
    ['missing required property "answer"', 'missing required property "mood"'],
  );
  const notJson = checkExpectations('Sure! {"answer": 4}', { schema: true }, { outputSchema: schema });
  assert.match(notJson[0]!.reason, /not valid JSON/);
  assert.equal(checkExpectations('[1]', { schema: true })[0]!.pass, true, 'without a schema any JSON passes');
});

test('JSON Schema subset: wildcard additionalProperties, any, and nullable types', async () => {
  const schema = await picoschema({ '(*)': 'number', 'name?': 'string', 'anything?': 'any' });
  assert.deepEqual(validateJson({ a: 1, b: 2, name: null, anything: [1] }, schema), []);
  assert.deepEqual(
    validateJson({ a: 'x' }, schema).map((e) => e.path),
    ['$.a'],
  );
  assert.deepEqual(validateJson('x', { type: ['string', 'null'] }), []);
  assert.equal(parseJsonReply('  ').ok, false);
});
