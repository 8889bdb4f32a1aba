/**
 * Rows of a dataset file: JSON Lines (one object per line) or CSV with a header row. Every row
 * keeps the 1-based line it starts on, so a problem can be reported where the user can find it.
 * Rows that cannot be read are returned as problems, never dropped.
 */
import * as path from 'node:path';
import { parseCsv } from '../compare/csv';

export type DataFileFormat = 'jsonl' | 'csv';

export interface DataRow {
  /** 1-based line on which the row starts. */
  line: number;
  /** The row's fields by name. CSV fields are strings; an empty CSV cell is left out. */
  values: Record<string, unknown>;
  /** Where the values came from: CSV cells are text and are converted by the input schema. */
  source: DataFileFormat;
}

export interface RowProblem {
  /** 1-based line in the data file; 0 when the problem concerns the whole file. */
  line: number;
  message: string;
}

export interface DataRows {
  format: DataFileFormat;
  rows: DataRow[];
  problems: RowProblem[];
}

export function dataFileFormat(file: string): DataFileFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  return undefined;
}

/** Splits a data file's text into rows (`dataFileFormat` tells the format from the file name). */
export function readDataRows(text: string, format: DataFileFormat): DataRows {
  return format === 'jsonl' ? jsonlRows(text) : csvRows(text);
}

function jsonlRows(text: string): DataRows {
  const rows: DataRow[] = [];
  const problems: RowProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      problems.push({ line, message: `not valid JSON: ${(err as Error).message}` });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ line, message: `a row must be a JSON object of fields, not ${describe(value)}` });
      return;
    }
    rows.push({ line, values: value as Record<string, unknown>, source: 'jsonl' });
  });
  return { format: 'jsonl', rows, problems };
}

function csvRows(text: string): DataRows {
  const { records, problems } = parseCsv(text);
  const out: DataRows = { format: 'csv', rows: [], problems: [...problems] };
  const [header, ...data] = records;
  if (header === undefined) return out;
  const names = header.fields.map((f) => f.trim());
  const seen = new Set<string>();
  for (const name of names) {
    const problem = name === '' ? 'the header row has an empty column name' : seen.has(name) ? `the header row names "${name}" twice` : undefined;
    if (problem !== undefined) {
      // Without a usable header no row can be read: every data row is reported.
      out.problems.push({ line: header.line, message: problem });
      for (const record of data) out.problems.push({ line: record.line, message: 'not read: the header row is broken' });
      out.problems.sort((a, b) => a.line - b.line);
      return out;
    }
    seen.add(name);
  }
  for (const record of data) {
    if (record.fields.length !== names.length) {
      out.problems.push({ line: record.line, message: `${record.fields.length} fields, but the header has ${names.length}` });
      continue;
    }
    const values: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const cell = record.fields[i]!;
      if (cell !== '') values[name] = cell;
    });
    out.rows.push({ line: record.line, values, source: 'csv' });
  }
  out.problems.sort((a, b) => a.line - b.line);
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
