/**
 * Rows of a dataset file read as a stream of bytes, so a file of any size is exported in bounded
 * memory: rows come out while the rest of the file is still being read. The bytes are checked as
 * UTF-8 line by line; a row on a line with bytes that are not UTF-8 is reported with its line
 * (and where on the line) and is not exported, rather than carrying U+FFFD into the records.
 */
import { firstInvalidUtf8 } from '../io/read-prompt';
import { parseCsv } from '../compare/csv';
import { CsvRowBuilder, jsonlRow, type DataFileFormat, type RowItem } from './rows';

/** Whole lines of text: `text` starts on line `firstLine`; `badLines` maps a line to its problem. */
interface TextPiece {
  text: string;
  firstLine: number;
  badLines: ReadonlyMap<number, string>;
}

const NEWLINE = 0x0a;

/** Splits bytes into pieces of whole lines (a line break byte never occurs inside a UTF-8 character). */
async function* decodeLines(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<TextPiece> {
  // ignoreBOM keeps a U+FEFF at the start of a later piece: only the file's first bytes are a mark.
  const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  let carry: Uint8Array = new Uint8Array(0);
  let line = 1;
  let first = true;
  const piece = (body: Uint8Array): TextPiece => {
    let start = 0;
    if (first && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) start = 3; // a byte order mark
    first = false;
    const data = body.subarray(start);
    const badLines = new Map<number, string>();
    let text: string;
    try {
      text = fatal.decode(data);
    } catch {
      // Rare: find the lines that are not UTF-8, for their messages.
      let lineStart = 0;
      let at = line;
      for (let i = 0; i <= data.length; i += 1) {
        if (i === data.length || data[i] === NEWLINE) {
          const lineBytes = data.subarray(lineStart, i);
          const bad = firstInvalidUtf8(lineBytes);
          if (bad < lineBytes.length)
            badLines.set(
              at,
              `not valid UTF-8: byte ${bad + 1} of the line (0x${lineBytes[bad]!.toString(16).padStart(2, '0')}) starts no character; save the file as UTF-8`,
            );
          lineStart = i + 1;
          at += 1;
        }
      }
      text = lenient.decode(data);
    }
    const result = { text, firstLine: line, badLines };
    for (const b of data) if (b === NEWLINE) line += 1;
    return result;
  };
  for await (const chunk of bytes) {
    const lastBreak = chunk.lastIndexOf(NEWLINE);
    if (lastBreak < 0) {
      carry = concat(carry, chunk);
      continue;
    }
    const whole = concat(carry, chunk.subarray(0, lastBreak + 1));
    carry = chunk.slice(lastBreak + 1);
    yield piece(whole);
  }
  if (carry.length > 0 || first) yield piece(carry);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The rows of a JSONL or CSV byte stream, in file order, with every problem at its line. */
export async function* streamDataRows(bytes: AsyncIterable<Uint8Array>, format: DataFileFormat): AsyncGenerator<RowItem> {
  if (format === 'jsonl') yield* jsonlItems(decodeLines(bytes));
  else yield* csvItems(decodeLines(bytes));
}

async function* jsonlItems(pieces: AsyncIterable<TextPiece>): AsyncGenerator<RowItem> {
  for await (const piece of pieces) {
    const lines = piece.text.split(/\r\n|\n|\r/);
    // The piece ends with a line break, so the last split is empty (or the file's unterminated last line).
    for (let i = 0; i < lines.length; i += 1) {
      const line = piece.firstLine + i;
      const raw = lines[i]!;
      if (raw.trim() === '') continue;
      const bad = piece.badLines.get(line);
      if (bad !== undefined) yield { kind: 'problem', problem: { line, message: bad } };
      else yield jsonlRow(raw, line);
    }
  }
}

async function* csvItems(pieces: AsyncIterable<TextPiece>): AsyncGenerator<RowItem> {
  const builder = new CsvRowBuilder();
  const bad = new Map<number, string>();
  let pending = '';
  let pendingLine = 1;
  let inQuotes = false;
  let scanned = 0;
  let cut = -1;
  const emit = function* (text: string, firstLine: number): Generator<RowItem> {
    const { records, problems } = parseCsv(text);
    const items: { line: number; item: RowItem | undefined; fields?: string[] }[] = [
      ...problems.map((p) => ({
        line: p.line + firstLine - 1,
        item: { kind: 'problem', problem: { line: p.line + firstLine - 1, message: p.message } } as RowItem,
      })),
      ...records.map((r) => ({ line: r.line + firstLine - 1, item: undefined, fields: r.fields })),
    ].sort((a, b) => a.line - b.line);
    for (const entry of items) {
      if (entry.item !== undefined) {
        yield entry.item;
        continue;
      }
      const fields = entry.fields!;
      const lineCount = fields.reduce((n, f) => n + (f.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
      let problem: string | undefined;
      for (let l = entry.line; l <= entry.line + lineCount && problem === undefined; l += 1) problem = bad.get(l);
      if (problem !== undefined) yield { kind: 'problem', problem: { line: entry.line, message: problem } };
      else yield* builder.add({ line: entry.line, fields });
    }
  };
  for await (const piece of pieces) {
    for (const [line, message] of piece.badLines) bad.set(line, message);
    if (pending === '') pendingLine = piece.firstLine;
    pending += piece.text;
    // A line break outside quotes ends a record (doubled quotes keep the count even); cut there.
    for (let i = scanned; i < pending.length; i += 1) {
      const c = pending.charCodeAt(i);
      if (c === 0x22) inQuotes = !inQuotes;
      else if (c === NEWLINE && !inQuotes) cut = i;
    }
    scanned = pending.length;
    if (cut >= 0) {
      const head = pending.slice(0, cut + 1);
      yield* emit(head, pendingLine);
      pendingLine += head.split('\n').length - 1;
      pending = pending.slice(cut + 1);
      scanned = pending.length;
      cut = -1;
      for (const line of bad.keys()) if (line < pendingLine) bad.delete(line);
    }
  }
  if (pending !== '') yield* emit(pending, pendingLine);
}
