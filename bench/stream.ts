/**
 * Streaming benchmark: 200,000 tokens from the loopback Ollama fake
 *   (a) through provider → runner → history (on disk) → a null sink, and
 *   (b) through a bare `ollama` client loop,
 * in the same process; reports both rates and their ratio (aim: ≥ 0.9).
 *
 * Run: npx tsx bench/stream.ts [tokens]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ollama } from 'ollama';
import { OllamaProvider } from '../src/core/providers/ollama';
import { RunHistory } from '../src/core/runs/history';
import { executeRun } from '../src/core/runs/runner';
import { startOllamaFake } from '../test/fixtures/servers/ollamaFake';

export interface StreamBenchResult {
  tokens: number;
  topLogprobs: number;
  bareTokensPerSecond: number;
  pipelineTokensPerSecond: number;
  ratio: number;
  /** Breakdown: the provider alone (no runner, no history), to show where the time goes. */
  providerOnlyTokensPerSecond: number;
  providerOnlyRatio: number;
}

const TOP_LOGPROBS = 5;

async function bareClient(url: string, tokens: number): Promise<number> {
  const client = new Ollama({ host: url });
  const started = performance.now();
  const stream = await client.chat({
    model: 'bench',
    messages: [{ role: 'user', content: 'go' }],
    stream: true,
    logprobs: true,
    top_logprobs: TOP_LOGPROBS,
    options: { num_predict: tokens },
  });
  let seen = 0;
  for await (const chunk of stream) {
    if (!chunk.done) seen += 1;
  }
  if (seen !== tokens) throw new Error(`bare client saw ${seen} chunks, expected ${tokens}`);
  return performance.now() - started;
}

async function providerOnly(url: string, tokens: number): Promise<number> {
  const provider = new OllamaProvider({ url });
  const started = performance.now();
  let seen = 0;
  for await (const event of provider.run({
    model: 'bench',
    messages: [{ role: 'user', content: [{ text: 'go' }] }],
    config: { maxOutputTokens: tokens },
    topLogprobs: TOP_LOGPROBS,
  })) {
    if (event.type === 'token') seen += 1;
  }
  if (seen !== tokens) throw new Error(`provider saw ${seen} tokens, expected ${tokens}`);
  return performance.now() - started;
}

async function pipeline(url: string, tokens: number, folder: string): Promise<number> {
  const provider = new OllamaProvider({ url });
  const history = new RunHistory(folder, { maxRuns: 2 });
  const started = performance.now();
  let seen = 0;
  const result = await executeRun(
    provider,
    {
      model: 'bench',
      messages: [{ role: 'user', content: [{ text: 'go' }] }],
      config: { maxOutputTokens: tokens },
      topLogprobs: TOP_LOGPROBS,
    },
    { endpoint: { name: 'ollama', kind: 'ollama', url } },
    {
      history,
      onEvent: (event) => {
        if (event.type === 'token') seen += 1;
      },
    },
  );
  const elapsed = performance.now() - started;
  if (result.summary.status !== 'completed' || seen !== tokens) {
    throw new Error(`pipeline run ${result.summary.status} with ${seen} tokens (expected ${tokens}): ${result.summary.errorMessage ?? ''}`);
  }
  if (result.historyError) throw result.historyError;
  return elapsed;
}

export async function runStreamBench(tokens = 200_000, rounds = 3): Promise<StreamBenchResult> {
  const fake = await startOllamaFake();
  const folder = await mkdtemp(join(tmpdir(), 'promptscope-bench-'));
  try {
    // Warm up both paths (JIT, connection setup, the provider's version check) and let the fake
    // build the full-size body once, so the timed rounds measure the client side only.
    await bareClient(fake.url, tokens);
    await pipeline(fake.url, 2000, folder);
    let bare = Infinity;
    let piped = Infinity;
    let alone = Infinity;
    for (let round = 0; round < rounds; round += 1) {
      bare = Math.min(bare, await bareClient(fake.url, tokens));
      piped = Math.min(piped, await pipeline(fake.url, tokens, folder));
      alone = Math.min(alone, await providerOnly(fake.url, tokens));
    }
    const rate = (ms: number): number => Math.round((tokens / ms) * 1000);
    const ratio = (ms: number): number => Math.round((bare / ms) * 1000) / 1000;
    return {
      tokens,
      topLogprobs: TOP_LOGPROBS,
      bareTokensPerSecond: rate(bare),
      pipelineTokensPerSecond: rate(piped),
      ratio: ratio(piped),
      providerOnlyTokensPerSecond: rate(alone),
      providerOnlyRatio: ratio(alone),
    };
  } finally {
    await fake.close();
    await rm(folder, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const tokens = Number(process.argv[2] ?? 200_000);
  runStreamBench(tokens).then(
    (result) => {
      console.log(`stream bench: ${result.tokens} tokens, top_logprobs ${result.topLogprobs}`);
      console.log(`  bare ollama client loop:               ${result.bareTokensPerSecond} tokens/s`);
      console.log(`  provider → runner → history → null sink: ${result.pipelineTokensPerSecond} tokens/s`);
      console.log(`  ratio: ${result.ratio} (aim ≥ 0.9)`);
      console.log(`  (provider alone: ${result.providerOnlyTokensPerSecond} tokens/s, ratio ${result.providerOnlyRatio})`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
