/**
 * Line splitting benchmark: Ollama NDJSON (NdjsonLineChecker, which also parses every line) and
 * OpenAI SSE (readSse: eventsource-parser plus our byte cap), fed in 64 KiB network-sized reads.
 *
 * Inputs: one long line (8 MB and 32 MB, no newline until the end: the quadratic case of a
 * re-scanning splitter) and 200,000 ordinary token lines. The baseline, measured in the same run
 * on the same bytes, is the least any reader must do: decode the body once and JSON.parse each
 * line at known boundaries. Reports time ratios against it and the per-MB growth from 8 to 32 MB
 * (1.0 = linear; a re-scanning splitter grows with the size).
 *
 * Run: npx tsx bench/lines.ts
 */
import { NdjsonLineChecker } from '../src/core/providers/ndjsonGuard';
import { readSse } from '../src/core/providers/sse';

const CHUNK = 64 * 1024;
const MB = 1024 * 1024;
const CAP = 64 * MB;

function chunked(text: string): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK) out.push(bytes.subarray(at, at + CHUNK));
  return out;
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

function time(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

async function timeAsync(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Decode once, parse each line at boundaries known in advance. */
function baseline(chunks: Uint8Array[], lines: string[]): number {
  return time(() => {
    const decoder = new TextDecoder();
    for (const chunk of chunks) decoder.decode(chunk, { stream: true });
    decoder.decode();
    for (const line of lines) JSON.parse(line);
  });
}

function ndjson(chunks: Uint8Array[]): number {
  return time(() => {
    const checker = new NdjsonLineChecker(CAP);
    for (const chunk of chunks) {
      if (checker.push(chunk).failure !== undefined) throw new Error('bench input rejected');
    }
    if (checker.end().failure !== undefined) throw new Error('bench input rejected');
  });
}

async function sse(chunks: Uint8Array[]): Promise<number> {
  return timeAsync(async () => {
    for await (const item of readSse(streamOf(chunks), { maxLineBytes: CAP })) {
      if (item.type === 'message' && item.data !== '[DONE]') JSON.parse(item.data);
    }
  });
}

const longPayload = (bytes: number): string =>
  JSON.stringify({ model: 'm', message: { role: 'assistant', content: 'x'.repeat(bytes) }, done: false });
const tokenPayload = (i: number): string =>
  JSON.stringify({
    model: 'm',
    created_at: '2025-11-20T10:00:00.123456Z',
    message: { role: 'assistant', content: ` tok${i}` },
    done: false,
    logprobs: [{ token: ` tok${i}`, logprob: -0.25, top_logprobs: [{ token: ` tok${i}`, logprob: -0.25 }] }],
  });

interface Case {
  name: string;
  payloads: string[];
}

export interface LinesBenchResult {
  cases: Record<string, { mb: number; baselineMs: number; ndjsonMs: number; sseMs: number; ndjsonRatio: number; sseRatio: number }>;
  /** (ms per MB at 32 MB) / (ms per MB at 8 MB): 1.0 is linear. */
  ndjsonGrowth: number;
  sseGrowth: number;
}

export async function benchLines(): Promise<LinesBenchResult> {
  const cases: Case[] = [
    { name: 'one 8 MB line', payloads: [longPayload(8 * MB)] },
    { name: 'one 32 MB line', payloads: [longPayload(32 * MB)] },
    { name: '200,000 token lines', payloads: Array.from({ length: 200_000 }, (_, i) => tokenPayload(i)) },
  ];
  const result: LinesBenchResult = { cases: {}, ndjsonGrowth: 0, sseGrowth: 0 };
  for (const { name, payloads } of cases) {
    const ndjsonChunks = chunked(payloads.map((p) => `${p}\n`).join(''));
    const sseChunks = chunked(`${payloads.map((p) => `data: ${p}\n\n`).join('')}data: [DONE]\n\n`);
    const best = { baselineMs: Infinity, ndjsonMs: Infinity, sseMs: Infinity };
    for (let round = 0; round < 3; round += 1) {
      best.baselineMs = Math.min(best.baselineMs, baseline(ndjsonChunks, payloads));
      best.ndjsonMs = Math.min(best.ndjsonMs, ndjson(ndjsonChunks));
      best.sseMs = Math.min(best.sseMs, await sse(sseChunks));
    }
    const mb = ndjsonChunks.reduce((sum, c) => sum + c.length, 0) / MB;
    result.cases[name] = {
      mb: Math.round(mb * 10) / 10,
      baselineMs: round1(best.baselineMs),
      ndjsonMs: round1(best.ndjsonMs),
      sseMs: round1(best.sseMs),
      ndjsonRatio: round2(best.ndjsonMs / best.baselineMs),
      sseRatio: round2(best.sseMs / best.baselineMs),
    };
  }
  const small = result.cases['one 8 MB line'];
  const large = result.cases['one 32 MB line'];
  if (small !== undefined && large !== undefined) {
    result.ndjsonGrowth = round2(large.ndjsonMs / large.mb / (small.ndjsonMs / small.mb));
    result.sseGrowth = round2(large.sseMs / large.mb / (small.sseMs / small.mb));
  }
  return result;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
const round2 = (n: number): number => Math.round(n * 100) / 100;

if (require.main === module) {
  benchLines().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
