// `npm run bench`: every benchmark, each reported against a baseline measured in the same run.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { benchDiagnostics } from './diagnostics';

interface Bench {
  name: string;
  aim: string;
  run: () => Promise<object>;
}

async function optional(file: string, exportName: string): Promise<(() => Promise<object>) | undefined> {
  if (!existsSync(path.join(__dirname, file))) return undefined;
  const mod = (await import(`./${file.replace(/\.ts$/, '')}`)) as Record<string, () => Promise<object>>;
  return mod[exportName];
}

async function main(): Promise<void> {
  const benches: Bench[] = [{ name: 'diagnostics', aim: 'under 200 ms for 10,000 lines', run: benchDiagnostics }];
  const tokenize = await optional('tokenize.ts', 'benchTokenize');
  if (tokenize) benches.unshift({ name: 'tokenize', aim: '≥ 50,000 lines/s', run: tokenize });
  const stream = await optional('stream.ts', 'runStreamBench');
  if (stream) benches.push({ name: 'stream', aim: 'provider pipeline ≥ 0.9 of the bare ollama client', run: stream });
  const panel = await optional('panel.ts', 'benchPanel');
  if (panel) benches.push({ name: 'panel', aim: '≥ 5,000 tokens/s, no task over 50 ms, heap under 150 MB', run: panel });
  const compare = await optional('compare.ts', 'benchCompare');
  if (compare) benches.push({ name: 'compare', aim: '≥ 5,000 tokens/s in total, no task over 50 ms', run: compare });
  const dataset = await optional('dataset.ts', 'benchDataset');
  if (dataset)
    benches.push({ name: 'dataset', aim: 'a 50 MB rows file exported within 3× the memory of a bare streaming read', run: dataset });
  const lines = await optional('lines.ts', 'benchLines');
  if (lines)
    benches.push({ name: 'lines', aim: 'NDJSON/SSE line splitting within 4× of decode+parse, growth per MB ≈ 1 (linear)', run: lines });
  const only = process.argv.slice(2);
  for (const bench of benches) {
    if (only.length > 0 && !only.includes(bench.name)) continue;
    const result = await bench.run();
    console.log(`${bench.name} (aim: ${bench.aim})`);
    console.log(JSON.stringify(result, null, 2));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
