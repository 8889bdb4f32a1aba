/**
 * Dataset export memory: a 50 MB JSONL rows file exported by the CLI (`export-dataset --out`) in
 * a child process, against a baseline measured in the same run: a child process that only
 * streams the same file and counts its lines. Reports each peak resident set size and the ratio
 * export / baseline; a whole-file read (what the export did before it streamed) is shown too.
 *
 * Aim: the export's peak memory within 3× the bare streaming read, whatever the file's size.
 *
 * Run: npx tsx bench/dataset.ts
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

// PROMPTSCOPE_BENCH_DATASET_MB picks another size (a quicker run on a loaded machine).
const TARGET_BYTES = Number(process.env['PROMPTSCOPE_BENCH_DATASET_MB'] ?? 50) * 1024 * 1024;

export interface DatasetBenchResult {
  fileMB: number;
  rows: number;
  baselineStreamRssMB: number;
  wholeFileReadRssMB: number;
  exportRssMB: number;
  exportOverBaseline: number;
  exportSeconds: number;
}

function peakRssMB(args: string[], cwd: string): { mb: number; seconds: number; stderr: string } {
  // The child reports its own peak RSS when it exits (kilobytes on Linux).
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--require', join(cwd, 'peak.cjs'), ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const match = /PEAK_RSS_KB=(\d+)/.exec(run.stderr);
  if (!match) throw new Error(`no peak RSS reported (exit ${run.status}): ${run.stderr.slice(-500)}`);
  return { mb: Number(match[1]) / 1024, seconds, stderr: run.stderr };
}

export async function benchDataset(): Promise<DatasetBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'promptscope-bench-dataset-'));
  try {
    await writeFile(
      join(dir, 'peak.cjs'),
      "process.on('exit', () => process.stderr.write(`PEAK_RSS_KB=${process.resourceUsage().maxRSS}\\n`));\n",
    );
    await writeFile(
      join(dir, 't.prompt'),
      '---\ninput:\n  schema:\n    text: string\n---\n{{role "system"}}\nTranslate into English.\n{{role "user"}}\n{{text}}\n',
    );
    const rowsFile = join(dir, 'rows.jsonl');
    const out = createWriteStream(rowsFile);
    let bytes = 0;
    let rows = 0;
    while (bytes < TARGET_BYTES) {
      const line = `{"text":"row ${rows} ${'你好，世界。'.repeat(6)}","output":"hello world ${rows}"}\n`;
      if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      bytes += Buffer.byteLength(line);
      rows += 1;
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
    const cli = join(dir, 'cli.cjs');
    await build({
      entryPoints: [join(__dirname, '../src/cli/bin.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      define: { PROMPTSCOPE_VERSION: '"bench"' },
      logLevel: 'silent',
    });

    const baseline = peakRssMB(
      [
        '-e',
        "let n=0;require('fs').createReadStream('rows.jsonl',{highWaterMark:262144}).on('data',c=>{for(const b of c)if(b===10)n++}).on('end',()=>console.log(n))",
      ],
      dir,
    );
    const whole = peakRssMB(['-e', "const t=require('fs').readFileSync('rows.jsonl','utf8');console.log(t.split('\\n').length)"], dir);
    const exported = peakRssMB([cli, 'export-dataset', 't.prompt', '--data', 'rows.jsonl', '--out', 'out.jsonl'], dir);
    if (!/written to out\.jsonl; no bad rows/.test(exported.stderr)) throw new Error(`export failed: ${exported.stderr.slice(-500)}`);
    return {
      fileMB: Math.round(bytes / 1024 / 1024),
      rows,
      baselineStreamRssMB: Math.round(baseline.mb),
      wholeFileReadRssMB: Math.round(whole.mb),
      exportRssMB: Math.round(exported.mb),
      exportOverBaseline: Number((exported.mb / baseline.mb).toFixed(2)),
      exportSeconds: Number(exported.seconds.toFixed(1)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchDataset().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
