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

/** One row of a data file, or why a line could not be one. */
export type RowItem = { kind: 'row'; row: DataRow } | { kind: 'problem'; problem: RowProblem };

/** Splits a data file's text into rows (`dataFileFormat` tells the format from the file name). */
export function readDataRows(text: string, format: DataFileFormat): DataRows {
  const out: DataRows = { format, rows: [], problems: [] };
  const items = format === 'jsonl' ? jsonlItems(text) : csvItems(text);
  for (const item of items) {
    if (item.kind === 'row') out.rows.push(item.row);
    else out.problems.push(item.problem);
  }
  out.problems.sort((a, b) => a.line - b.line);
  return out;
}

function* jsonlItems(text: string): Generator<RowItem> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index]!;
    if (raw.trim() !== '') yield jsonlRow(raw, index + 1);
  }
}

/** One JSONL line (not blank) as a row or a problem. */
export function jsonlRow(raw: string, line: number): RowItem {
  let value: unknown;
  try {
    value = JSON.parse(raw.trim());
  } catch (err) {
    return { kind: 'problem', problem: { line, message: `not valid JSON: ${(err as Error).message}` } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { kind: 'problem', problem: { line, message: `a row must be a JSON object of fields, not ${describe(value)}` } };
  }
  return { kind: 'row', row: { line, values: value as Record<string, unknown>, source: 'jsonl' } };
}

function* csvItems(text: string): Generator<RowItem> {
  const { records, problems } = parseCsv(text);
  for (const problem of problems) yield { kind: 'problem', problem };
  const builder = new CsvRowBuilder();
  for (const record of records) yield* builder.add(record);
}

/**
 * CSV records to rows: the first record is the header. Without a usable header no row can be
 * read, so every data row is reported.
 */
export class CsvRowBuilder {
  private names: string[] | undefined;
  private broken = false;

  *add(record: { line: number; fields: string[] }): Generator<RowItem> {
    if (this.names === undefined) {
      this.names = record.fields.map((f) => f.trim());
      const seen = new Set<string>();
      for (const name of this.names) {
        const problem =
          name === '' ? 'the header row has an empty column name' : seen.has(name) ? `the header row names "${name}" twice` : undefined;
        if (problem !== undefined) {
          this.broken = true;
          yield { kind: 'problem', problem: { line: record.line, message: problem } };
          return;
        }
        seen.add(name);
      }
      return;
    }
    if (this.broken) {
      yield { kind: 'problem', problem: { line: record.line, message: 'not read: the header row is broken' } };
      return;
    }
    const names = this.names;
    if (record.fields.length !== names.length) {
      yield {
        kind: 'problem',
        problem: { line: record.line, message: `${record.fields.length} fields, but the header has ${names.length}` },
      };
      return;
    }
    const values: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const cell = record.fields[i]!;
      if (cell !== '') values[name] = cell;
    });
    yield { kind: 'row', row: { line: record.line, values, source: 'csv' } };
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
