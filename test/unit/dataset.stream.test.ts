// Dataset export against real files and byte streams: rows that are not UTF-8 are reported with
// their line (JSONL and CSV), rows are rendered while the file is still being read, --out is
// checked before any row is rendered, and an interrupted export leaves no temporary file.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { constants, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import type { CliIo } from '../../src/cli/io';
import { exportDatasetCommand } from '../../src/cli/commands/export-dataset';
import { main } from '../../src/cli/main';
import { exportDataset, streamDataRows, type RowItem } from '../../src/core/dataset';

const ws = mkdtempSync(path.join(tmpdir(), 'promptscope-dataset-stream-'));
after(() => rmSync(ws, { recursive: true, force: true }));
const PROMPT = '---\ninput:\n  schema:\n    text: string\n---\n{{role "system"}}\nTranslate.\n{{role "user"}}\n{{text}}\n';
writeFileSync(path.join(ws, 't.prompt'), PROMPT);

interface Run {
  code: number;
  out: string;
  err: string;
}
async function cli(argv: string[], signal?: AbortSignal): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), cwd: ws, color: false };
  const code = signal ? await exportDatasetCommand(argv.slice(1), io, signal) : await main(argv, io);
  return { code, out, err };
}

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
}

async function collect(items: AsyncIterable<RowItem>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items)
    out.push(
      item.kind === 'row'
        ? `${item.row.line} row ${JSON.stringify(item.row.values)}`
        : `${item.problem.line} problem ${item.problem.message}`,
    );
  return out;
}

const BAD = Buffer.from([0x68, 0x69, 0xff, 0x21]); // "hi", a byte no UTF-8 text has, "!"

test('JSONL: a row with bytes that are not UTF-8 is reported with its line, not exported as U+FFFD', async () => {
  const items = await collect(
    streamDataRows(chunks('{"text":"ok","output":"a"}\n{"text":"', BAD, '","output":"b"}\n', '\n{"text":"fine","output":"c"}\n'), 'jsonl'),
  );
  assert.deepEqual(items, [
    '1 row {"text":"ok","output":"a"}',
    '2 problem not valid UTF-8: byte 12 of the line (0xff) starts no character; save the file as UTF-8',
    '4 row {"text":"fine","output":"c"}',
  ]);
  writeFileSync(
    path.join(ws, 'bad.jsonl'),
    Buffer.concat([Buffer.from('{"text":"ok","output":"a"}\n{"text":"'), BAD, Buffer.from('","output":"b"}\n')]),
  );
  const run = await cli(['export-dataset', 't.prompt', '--data', 'bad.jsonl']);
  assert.equal(run.code, 1);
  assert.doesNotMatch(run.out, /\uFFFD/);
  assert.equal(run.out.trim().split('\n').length, 1);
  assert.match(run.err, /^bad\.jsonl:2: not valid UTF-8: byte 12 of the line \(0xff\)/m);
});

test('CSV: a record with bytes that are not UTF-8 (also inside a quoted multi-line field) is reported at the line it starts on', async () => {
  const csv = Buffer.concat([
    Buffer.from('text,output\nfine,a\n"two\nlines '),
    BAD,
    Buffer.from('",b\n'),
    BAD,
    Buffer.from(',c\nlast,d\n'),
  ]);
  const items = await collect(streamDataRows(chunks(csv.subarray(0, 25), csv.subarray(25)), 'csv'));
  assert.deepEqual(items, [
    '2 row {"text":"fine","output":"a"}',
    '3 problem not valid UTF-8: byte 9 of the line (0xff) starts no character; save the file as UTF-8',
    '5 problem not valid UTF-8: byte 3 of the line (0xff) starts no character; save the file as UTF-8',
    '6 row {"text":"last","output":"d"}',
  ]);
  writeFileSync(path.join(ws, 'bad.csv'), csv);
  const run = await cli(['export-dataset', 't.prompt', '--data', 'bad.csv']);
  assert.equal(run.code, 1);
  assert.doesNotMatch(run.out, /\uFFFD/);
  assert.match(run.err, /^bad\.csv:3: not valid UTF-8/m);
  assert.match(run.err, /^bad\.csv:5: not valid UTF-8/m);
});

test('streamed rows keep the line numbers, CSV quoting and problems of the whole-file reader, whatever the chunk size', async () => {
  const csv = 'text,output\r\n"a, b","x ""q"""\r\n"multi\nline",y\r\n\r\n"never closed,z\n';
  const whole = await collect(streamDataRows(chunks(csv), 'csv'));
  for (const size of [1, 3, 7]) {
    const parts: Uint8Array[] = [];
    const bytes = Buffer.from(csv);
    for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
    assert.deepEqual(await collect(streamDataRows(chunks(...parts), 'csv')), whole, `chunks of ${size}`);
  }
  assert.deepEqual(whole, [
    '2 row {"text":"a, b","output":"x \\"q\\""}',
    '3 row {"text":"multi\\nline","output":"y"}',
    '6 problem a quoted field opened on line 1 never closes',
  ]);
});

test('rows are rendered and written while the file is still being read (memory stays bounded)', async () => {
  for (const format of ['jsonl', 'csv'] as const) {
    const ROWS_PER_CHUNK = 50;
    const CHUNKS = 6;
    let written = 0;
    const writtenAtPull: number[] = [];
    async function* source(): AsyncGenerator<Uint8Array> {
      if (format === 'csv') yield Buffer.from('text,output\n');
      for (let c = 0; c < CHUNKS; c += 1) {
        writtenAtPull.push(written);
        const lines = Array.from({ length: ROWS_PER_CHUNK }, (_, i) =>
          format === 'jsonl' ? `{"text":"r${c}-${i}","output":"o"}` : `r${c}-${i},o`,
        );
        yield Buffer.from(`${lines.join('\n')}\n`);
      }
    }
    const summary = await exportDataset({
      promptText: PROMPT,
      rows: streamDataRows(source(), format),
      format: 'chat',
      write: () => void (written += 1),
    });
    assert.equal(summary.records, ROWS_PER_CHUNK * CHUNKS);
    // When chunk c is asked for, every row of the chunks before it is already written.
    assert.deepEqual(
      writtenAtPull,
      Array.from({ length: CHUNKS }, (_, c) => c * ROWS_PER_CHUNK),
      format,
    );
  }
});

test('an exported row is not kept alive by the export (with and without a cancel signal)', async () => {
  // Each read used to race a promise that stayed pending for the whole export; every race left a
  // reaction on it that kept its row, so memory grew with the file. A collected row proves it is gone.
  setFlagsFromString('--expose-gc');
  const collectGarbage = runInNewContext('gc') as () => void;
  for (const signal of [undefined, new AbortController().signal]) {
    let firstRow: WeakRef<object> | undefined;
    let firstRowCollected: boolean | undefined;
    async function* items(): AsyncGenerator<RowItem> {
      for (let line = 1; line <= 200; line += 1) {
        const item: RowItem = { kind: 'row', row: { line, values: { text: `row ${line}`, output: 'o' }, source: 'jsonl' } };
        if (line === 1) firstRow = new WeakRef(item);
        if (line === 200) {
          // Let the rows before settle, then collect: the first one must be unreachable by now.
          await new Promise((resolve) => setImmediate(resolve));
          collectGarbage();
          firstRowCollected = firstRow?.deref() === undefined;
        }
        yield item;
      }
    }
    const summary = await exportDataset({
      promptText: PROMPT,
      rows: items(),
      format: 'chat',
      write: () => undefined,
      ...(signal ? { signal } : {}),
    });
    assert.equal(summary.records, 200);
    assert.equal(firstRowCollected, true, `the first row was still reachable with signal ${signal ? 'given' : 'absent'}`);
  }
});

test('--out naming a folder fails before any row is rendered; --data and --out naming the same file, also through a symlink, are refused before anything is written', async () => {
  writeFileSync(path.join(ws, 'rows.jsonl'), '{"text":"a","output":"b"}\n{"text":"c"}\n');
  mkdirSync(path.join(ws, 'outdir'), { recursive: true });
  const folder = await cli(['export-dataset', 't.prompt', '--data', 'rows.jsonl', '--out', 'outdir']);
  assert.equal(folder.code, 2);
  assert.match(folder.err, /--out names a folder \(.*outdir\); give a file name for the records/);
  assert.doesNotMatch(folder.err, /rows\.jsonl:2|written/, 'no row was rendered');
  assert.deepEqual(readdirSync(path.join(ws, 'outdir')), []);

  symlinkSync(path.join(ws, 'rows.jsonl'), path.join(ws, 'rows-link.jsonl'));
  const before = readFileSync(path.join(ws, 'rows.jsonl'), 'utf8');
  for (const [data, out] of [
    ['rows.jsonl', 'rows-link.jsonl'],
    ['rows-link.jsonl', 'rows.jsonl'],
    ['rows.jsonl', './rows.jsonl'],
  ] as const) {
    const run = await cli(['export-dataset', 't.prompt', '--data', data, '--out', out]);
    assert.equal(run.code, 2, `${data} → ${out}`);
    assert.match(run.err, /--out would overwrite the data file/);
  }
  assert.equal(readFileSync(path.join(ws, 'rows.jsonl'), 'utf8'), before);
  assert.deepEqual(
    readdirSync(ws).filter((n) => n.endsWith('.tmp')),
    [],
  );
});

/** A named pipe: the test decides when rows arrive, so "mid-export" needs no timing. */
function fifo(name: string): string {
  const file = path.join(ws, name);
  const made = spawnSync('mkfifo', [file]);
  assert.equal(made.status, 0, String(made.stderr));
  return file;
}

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

const temps = (): string[] => readdirSync(ws).filter((n) => n.startsWith('.out') && n.endsWith('.tmp'));
const tempHasRecords = (): boolean => temps().some((n) => statSync(path.join(ws, n)).size > 0);

test('aborting mid-export (the signal Ctrl+C raises) removes the temporary file and writes no output; exit 130', async () => {
  const pipe = fifo('live.jsonl');
  const controller = new AbortController();
  const running = cli(['export-dataset', 't.prompt', '--data', 'live.jsonl', '--out', 'out.jsonl'], controller.signal);
  const writer = await open(pipe, constants.O_RDWR);
  await writer.write('{"text":"a","output":"b"}\n{"text":"c","output":"d"}\n');
  await waitFor(tempHasRecords);
  controller.abort();
  // The export ends at the abort, while the pipe is still open and a read is pending.
  const run = await running;
  assert.deepEqual(temps(), []);
  await writer.close();
  assert.equal(run.code, 130, run.err);
  assert.match(run.err, /interrupted; out\.jsonl was not written/);
  assert.equal(existsSync(path.join(ws, 'out.jsonl')), false);
});

let cliJs: string;
before(async () => {
  cliJs = path.join(ws, 'cli.cjs');
  await build({
    entryPoints: [path.join(__dirname, '../../src/cli/bin.ts')],
    outfile: cliJs,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: { PROMPTSCOPE_VERSION: '"test"' },
    logLevel: 'silent',
  });
});

test('Ctrl+C (SIGINT) to the CLI process mid-export removes the temporary file; exit 130', async () => {
  const pipe = fifo('sig.jsonl');
  const child = spawn(process.execPath, [cliJs, 'export-dataset', 't.prompt', '--data', 'sig.jsonl', '--out', 'out-sig.jsonl'], {
    cwd: ws,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let exitCode: number | null | undefined;
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  // Read-write: opening a FIFO write-only blocks until a reader comes, and a CLI that died early
  // never comes. The test's descriptor is the only writer, so closing it still ends the data.
  const writer = await open(pipe, constants.O_RDWR);
  await writer.write('{"text":"a","output":"b"}\n');
  const sigTemps = (): string[] => readdirSync(ws).filter((n) => n.startsWith('.out-sig') && n.endsWith('.tmp'));
  const stillRunning = (): void => assert.equal(exitCode, undefined, `the CLI exited early (${exitCode}): ${err}`);
  await waitFor(() => (stillRunning(), sigTemps().some((n) => statSync(path.join(ws, n)).size > 0)));
  child.kill('SIGINT');
  await waitFor(() => sigTemps().length === 0 || exitCode !== undefined);
  assert.deepEqual(sigTemps(), []);
  // Only now may the pipe end (the process then exits): the file was removed on the signal alone.
  await writer.close();
  assert.equal(await exited, 130, err);
  assert.equal(existsSync(path.join(ws, 'out-sig.jsonl')), false);
});
