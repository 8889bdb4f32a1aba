/**
 * Test cases from a data file beside a prompt (JSONL, CSV or YAML). Each row gives the prompt's
 * inputs and, optionally, what the reply should satisfy:
 *
 *   JSONL  {"name": "sum", "input": {"a": 2, "b": 2}, "expect": {"answer": "4"}}
 *   CSV    name,a,b,expect.answer            (expect.* columns are expectations, others inputs)
 *   YAML   - name: sum
 *            input: {a: 2, b: 2}
 *            expect: {answer: "4", contains: [four]}
 *
 * A row without `input`/`inputs` takes every key other than name/id/expect/expect.* as an input.
 * Expectation keys: equals, contains, regex (a string or a list), schema (true), answer. A row
 * that cannot be read is reported with its line and skipped; the others still run.
 */
import * as path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parseCsv } from './csv';
import type { Expectations, RowProblem, TestCase, TestSuite } from './types';

export type TestFileFormat = 'jsonl' | 'csv' | 'yaml';

const EXPECT_KINDS = ['equals', 'contains', 'regex', 'schema', 'answer'] as const;
const BESIDE_EXTENSIONS = ['jsonl', 'csv', 'yaml', 'yml'] as const;

export function testFileFormat(file: string): TestFileFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return undefined;
}

export interface TestFileLocation {
  path: string;
  /** Named by the frontmatter (`promptscope.tests`), or found beside the prompt by name. */
  from: 'frontmatter' | 'beside';
}

/**
 * The data file for a prompt: the frontmatter's `promptscope.tests` (resolved against the
 * prompt's folder) when given, else the first of `name.tests.jsonl|csv|yaml|yml` that exists.
 * A variant `name.v2.prompt` shares its base prompt's `name.tests.*`.
 */
export function findTestFile(promptPath: string, extensionField: unknown, exists: (file: string) => boolean): TestFileLocation | undefined {
  const dir = path.dirname(promptPath);
  if (typeof extensionField === 'string' && extensionField.trim() !== '') {
    return { path: path.resolve(dir, extensionField.trim()), from: 'frontmatter' };
  }
  const stem = path.basename(promptPath).replace(/\.prompt$/i, '');
  const stems = [stem];
  const dot = stem.indexOf('.');
  if (dot > 0) stems.push(stem.slice(0, dot));
  for (const name of stems) {
    for (const ext of BESIDE_EXTENSIONS) {
      const candidate = path.join(dir, `${name}.tests.${ext}`);
      if (exists(candidate)) return { path: candidate, from: 'beside' };
    }
  }
  return undefined;
}

/** Parses a data file's text; `format` defaults to the one its extension names. */
export function parseTestFile(text: string, file: string, format: TestFileFormat | undefined = testFileFormat(file)): TestSuite {
  if (format === undefined) {
    return { file, cases: [], problems: [{ line: 0, message: `${path.basename(file)}: test cases must be .jsonl, .csv or .yaml` }] };
  }
  const rows = format === 'jsonl' ? jsonlRows(text) : format === 'csv' ? csvRows(text) : yamlRows(text);
  const suite = casesFromRows(rows.rows, rows.problems);
  suite.file = file;
  return suite;
}

interface RawRow {
  line: number;
  value: unknown;
}

interface RawRows {
  rows: RawRow[];
  problems: RowProblem[];
}

function jsonlRows(text: string): RawRows {
  const rows: RawRow[] = [];
  const problems: RowProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('//')) return;
    try {
      rows.push({ line: index + 1, value: JSON.parse(line) as unknown });
    } catch (error) {
      problems.push({ line: index + 1, message: `not valid JSON: ${(error as Error).message}` });
    }
  });
  return { rows, problems };
}

function csvRows(text: string): RawRows {
  const { records, problems } = parseCsv(text);
  const [header, ...data] = records;
  if (header === undefined) return { rows: [], problems };
  const names = header.fields.map((f) => f.trim());
  const rows: RawRow[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '')
      return { rows: [], problems: [...problems, { line: header.line, message: 'the header row has an empty column name' }] };
    if (seen.has(name))
      return { rows: [], problems: [...problems, { line: header.line, message: `the header row names "${name}" twice` }] };
    seen.add(name);
  }
  for (const record of data) {
    if (record.fields.length !== names.length) {
      problems.push({ line: record.line, message: `${record.fields.length} fields, but the header has ${names.length}` });
      continue;
    }
    const value: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const cell = record.fields[i]!;
      // An empty expectation cell means "no expectation"; an empty input is an empty string.
      if (name.startsWith('expect.') && cell === '') return;
      value[name] = cell;
    });
    rows.push({ line: record.line, value });
  }
  return { rows, problems: problems.sort((a, b) => a.line - b.line) };
}

function yamlRows(text: string): RawRows {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const problems: RowProblem[] = doc.errors.map((e) => ({
    line: lineCounter.linePos(e.pos[0]).line,
    message: `YAML: ${e.message.split('\n')[0]}`,
  }));
  if (doc.errors.length > 0) return { rows: [], problems };
  let list: Node | null | undefined = doc.contents as Node | null;
  if (isMap(list)) list = (list.get('cases', true) ?? list.get('tests', true)) as Node | undefined;
  if (list === null || list === undefined) return { rows: [], problems };
  if (!isSeq(list))
    return { rows: [], problems: [{ line: 1, message: 'a YAML test file is a list of cases (or a map with a `cases:` list)' }] };
  const rows = list.items.map((item) => {
    const offset = (item as Node).range?.[0] ?? 0;
    return { line: lineCounter.linePos(offset).line, value: (item as Node).toJSON() as unknown };
  });
  return { rows, problems };
}

function casesFromRows(rows: RawRow[], problems: RowProblem[]): TestSuite {
  const cases: TestCase[] = [];
  const ids = new Set<string>();
  rows.forEach((row) => {
    const result = caseFromRow(row.value, cases.length + 1);
    if (typeof result === 'string') {
      problems.push({ line: row.line, message: result });
      return;
    }
    let id = result.id;
    for (let n = 2; ids.has(id); n += 1) id = `${result.id}-${n}`;
    ids.add(id);
    cases.push({ ...result, id, line: row.line });
  });
  problems.sort((a, b) => a.line - b.line);
  return { cases, problems };
}

/** A case, or the reason the row is not one. */
function caseFromRow(value: unknown, ordinal: number): Omit<TestCase, 'line'> | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return 'a test case must be an object of inputs (and optionally name and expect)';
  const row = value as Record<string, unknown>;
  const nameValue = row['name'] ?? row['id'];
  if (nameValue !== undefined && typeof nameValue !== 'string' && typeof nameValue !== 'number') return 'name must be a string';
  const name = nameValue === undefined ? '' : String(nameValue).trim();

  let inputs: Record<string, unknown>;
  const given = row['input'] ?? row['inputs'];
  if (given !== undefined) {
    if (given === null || typeof given !== 'object' || Array.isArray(given)) return 'input must be an object of input values';
    inputs = { ...(given as Record<string, unknown>) };
  } else {
    inputs = {};
    for (const [key, v] of Object.entries(row)) {
      if (key === 'name' || key === 'id' || key === 'expect' || key.startsWith('expect.')) continue;
      inputs[key] = v;
    }
  }

  const raw: Record<string, unknown> = {};
  const nested = row['expect'];
  if (typeof nested === 'string' || typeof nested === 'number') raw['equals'] = nested;
  else if (nested !== undefined && nested !== null) {
    if (typeof nested !== 'object' || Array.isArray(nested))
      return 'expect must be an object (equals, contains, regex, schema, answer) or a string';
    Object.assign(raw, nested);
  }
  for (const [key, v] of Object.entries(row)) if (key.startsWith('expect.')) raw[key.slice('expect.'.length)] = v;
  const expect = expectationsFrom(raw);
  if (typeof expect === 'string') return expect;
  return { id: name !== '' ? name : `case-${ordinal}`, inputs, expect };
}

function expectationsFrom(raw: Record<string, unknown>): Expectations | string {
  const expect: Expectations = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    switch (key) {
      case 'equals':
      case 'answer': {
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return `expect.${key} must be a string`;
        expect[key] = String(value);
        break;
      }
      case 'contains':
      case 'regex': {
        const list = Array.isArray(value) ? value : [value];
        if (!list.every((v) => typeof v === 'string' || typeof v === 'number'))
          return `expect.${key} must be a string or a list of strings`;
        const strings = list.map(String);
        if (key === 'regex') {
          for (const pattern of strings) {
            const problem = regexProblem(pattern);
            if (problem !== undefined) return `expect.regex ${JSON.stringify(pattern)} is not a valid regular expression: ${problem}`;
          }
        }
        expect[key] = strings;
        break;
      }
      case 'schema':
      case 'json': {
        const flag =
          typeof value === 'string'
            ? /^(true|yes|1)$/i.test(value.trim())
              ? true
              : /^(false|no|0)$/i.test(value.trim())
                ? false
                : undefined
            : value;
        if (typeof flag !== 'boolean') return `expect.${key} must be true or false`;
        if (flag) expect.schema = true;
        break;
      }
      default:
        return `unknown expectation "${key}" (use ${EXPECT_KINDS.join(', ')})`;
    }
  }
  return expect;
}

/** `pattern` or `/pattern/flags` as a RegExp. */
export function compileRegex(source: string): RegExp {
  const literal = /^\/(.*)\/([dgimsuvy]*)$/s.exec(source);
  return literal ? new RegExp(literal[1]!, literal[2]!.replace(/g|y/g, '')) : new RegExp(source);
}

function regexProblem(source: string): string | undefined {
  try {
    compileRegex(source);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
