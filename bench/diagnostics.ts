import Handlebars from 'handlebars';
import { performance } from 'node:perf_hooks';
import { analyzePrompt } from '../src/core/prompt/analyze';
import { generatePrompt } from './generate';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeIt(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * Full diagnostics of a 10,000-line prompt, against a baseline measured in the same run: the bare
 * Handlebars parse of the same template (the least any analysis must do).
 */
export async function benchDiagnostics(): Promise<Record<string, number>> {
  const text = generatePrompt(10_000);
  const body = text.slice(text.indexOf('---\n', 4) + 4);
  await analyzePrompt(text); // warm up
  const diagnosticsMs = await timeIt(7, () => analyzePrompt(text));
  const parseMs = await timeIt(7, () => Handlebars.parseWithoutProcessing(body));
  const small = generatePrompt(1_000);
  const smallMs = await timeIt(7, () => analyzePrompt(small));
  return {
    lines: 10_000,
    diagnosticsMs: round(diagnosticsMs),
    handlebarsParseMs: round(parseMs),
    ratioToBareParse: round(diagnosticsMs / parseMs),
    scalingRatio10kTo1k: round(diagnosticsMs / smallMs),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
