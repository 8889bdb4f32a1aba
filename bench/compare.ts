/**
 * Comparison panel benchmark: 4 columns × 25,000 tokens and one column of 100,000 tokens,
 * streamed concurrently from a loopback server speaking Ollama's protocol (with token
 * probabilities and 5 alternatives per token) through the comparison runner, the run history on
 * disk and the host's comparison model, into the comparison panel's webview bundle in headless
 * Chromium. Reports the total tokens per second (until the last chip is on screen) and the
 * longest main-thread task of the page, read from a Chromium trace.
 *
 * Aim: ≥ 5,000 tokens/s in total, no task over 50 ms.
 *
 * Run: npx tsx bench/compare.ts    (npm run build first: it loads dist/webview/compare.js)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { columnsFor, runComparison } from '../src/core/compare';
import { RunHistory } from '../src/core/runs/history';
import { ComparisonModel } from '../src/host/compare/model';
import type { CompareHostMessage } from '../src/shared/compare-protocol';
import { FakeServer, sendJson, write } from '../test/fixtures/servers/http';
import { goJson, utf8Bytes } from '../test/fixtures/servers/scripts';
import { openCompare, startBrowser, stopBrowser } from '../test/webview/compare-page';

export interface CompareBenchResult {
  columns: string;
  tokens: number;
  /** From the start of the comparison until every token is a chip on screen. */
  seconds: number;
  tokensPerSecond: number;
  /** When the host had received every token (the rest is the webview catching up). */
  hostSeconds: number;
  longestTaskMs: number;
  tasksOver50ms: number;
  messages: number;
  aim: string;
  met: boolean;
}

const WORDS = ('the model reads every token of the prompt and then writes its answer one piece at a time while the panel colours each piece by how likely ' +
  'it was so that a reader sees where the model hesitated and which alternatives it almost chose instead of the one it wrote').split(' ');

/** A token stream of `count` tokens: words, punctuation and a line break every few dozen tokens. */
function* tokens(count: number, seed: number): Generator<{ text: string; logprob: number }> {
  let state = seed;
  const rand = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  let line = 0;
  for (let i = 0; i < count; i += 1) {
    line += 1;
    let text: string;
    if (line > 40 + rand() * 50) {
      text = '.\n';
      line = 0;
    } else {
      text = `${line === 1 ? '' : ' '}${WORDS[Math.floor(rand() * WORDS.length)]!}`;
    }
    yield { text, logprob: Math.log(0.05 + 0.95 * rand()) };
  }
}

async function streamTokens(res: ServerResponse, model: string, count: number, top: number): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
  let lines: string[] = [];
  let sent = 0;
  for (const t of tokens(count, model.length * 7919 + count)) {
    const alternatives = [{ token: t.text, logprob: t.logprob }, ...[0.5, 0.2, 0.1, 0.05].map((share, k) => ({ token: `${t.text.trimEnd()}${'s'.repeat(k + 1)}`, logprob: Math.log((1 - Math.exp(t.logprob)) * share + 1e-9) }))];
    const chunk = {
      model,
      created_at: '2026-11-28T10:00:00Z',
      message: { role: 'assistant', content: t.text },
      done: false,
      logprobs: [{ token: t.text, logprob: t.logprob, bytes: utf8Bytes(t.text), top_logprobs: alternatives.slice(0, top).map((a) => ({ ...a, bytes: utf8Bytes(a.token) })) }],
    };
    lines.push(goJson(chunk));
    sent += 1;
    if (lines.length === 64) {
      await write(res, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  const final = { model, created_at: '2026-11-28T10:00:00Z', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', total_duration: 1e9, prompt_eval_count: 12, prompt_eval_duration: 1e7, eval_count: sent, eval_duration: 1e9 };
  lines.push(goJson(final));
  await write(res, `${lines.join('\n')}\n`);
  res.end();
}

/** Models `bench-<n>[-x]` stream n tokens. */
async function startBenchServer(): Promise<FakeServer> {
  const fake = new FakeServer(async (req, res, body) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/api/version') return sendJson(res, 200, { version: '0.13.5' });
    if (req.method !== 'POST' || path !== '/api/chat') return sendJson(res, 404, { error: '404 page not found' });
    const chat = body as { model?: string; top_logprobs?: number };
    const m = /^bench-(\d+)/.exec(chat.model ?? '');
    if (!m) return sendJson(res, 404, { error: `model '${chat.model ?? ''}' not found` });
    return streamTokens(res, chat.model!, Number(m[1]), chat.top_logprobs ?? 0);
  });
  // The recorded request bodies are not needed and would only hold memory.
  fake.requests.push = () => 0;
  return fake.start();
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  cat?: string;
  args?: { name?: string };
}

/** The longest task on the page's main thread (CrRendererMain with the most tasks). */
function longestTasks(trace: Buffer): { longestMs: number; over50: number } {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, number[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined || !mains.has(`${e.pid}:${e.tid}`)) continue;
    if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'RunTask') continue;
    const list = byThread.get(`${e.pid}:${e.tid}`) ?? [];
    list.push(e.dur / 1000);
    byThread.set(`${e.pid}:${e.tid}`, list);
  }
  const main = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  return { longestMs: Math.round(Math.max(0, ...main) * 10) / 10, over50: main.filter((d) => d > 50).length };
}

export async function benchCompare(): Promise<CompareBenchResult> {
  const lab = await startBenchServer();
  const folder = await mkdtemp(join(tmpdir(), 'promptscope-bench-compare-'));
  let browser: Browser | undefined;
  try {
    browser = await startBrowser();
    const panel = await openCompare(1600, 900);
    const models = ['lab/bench-25000-a', 'lab/bench-25000-b', 'lab/bench-25000-c', 'lab/bench-25000-d', 'lab/bench-100000'];
    const total = 4 * 25_000 + 100_000;
    const variants = [{ id: 'bench', file: join(folder, 'bench.prompt'), text: '---\nmodel: lab/bench-1\n---\nWrite at length.\n' }];
    const cases = [{ id: 'default', line: 0, inputs: {}, expect: {} }];
    const model = new ComparisonModel({ title: 'Compare bench.prompt', file: 'bench.prompt', variants, columns: columnsFor(variants, models), cases, samples: 1, concurrency: models.length });
    // Messages reach the page in order, as VS Code's postMessage delivers them.
    let chain: Promise<unknown> = Promise.resolve();
    let messages = 0;
    // Sent as JSON text and parsed in the page, the way messages cross from the extension host.
    model.attach((message: CompareHostMessage) => {
      messages += 1;
      const text = JSON.stringify(message);
      chain = chain.then(() => panel.page.evaluate((m) => window.postMessage(JSON.parse(m), '*'), text));
    });
    model.sendSnapshot();
    await chain;
    await browser.startTracing(panel.page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink'] });
    const started = performance.now();
    const result = await runComparison(
      { file: 'bench.prompt', variants, models, cases, concurrency: models.length, topLogprobs: 5 },
      {
        endpoints: [{ name: 'lab', kind: 'ollama', url: lab.url }],
        history: new RunHistory(folder, { maxRuns: 20 }),
        onEvent: (cellId, event) => model.onEvent(cellId, event),
        onCell: (cell) => model.onCell(cell),
      },
    );
    model.finish(result, result.id);
    const hostDone = performance.now();
    await chain;
    const failed = result.cells.filter((c) => c.status !== 'completed');
    if (failed.length > 0) throw new Error(`cells did not complete: ${failed.map((c) => `${c.model}: ${c.error?.message ?? c.status}`).join('; ')}`);
    await panel.page.waitForFunction((n) => document.getElementsByClassName('tok').length >= n, total, { polling: 100, timeout: 600_000 });
    const finished = performance.now();
    const tasks = longestTasks(await browser.stopTracing());
    if (panel.errors.length > 0) throw new Error(`page errors: ${panel.errors.join('; ')}`);
    await panel.close();
    const seconds = (finished - started) / 1000;
    const tokensPerSecond = Math.round(total / seconds);
    return {
      columns: '4 × 25,000 + 1 × 100,000 tokens, 5 alternatives each, concurrently',
      tokens: total,
      seconds: Math.round(seconds * 100) / 100,
      tokensPerSecond,
      hostSeconds: Math.round((hostDone - started) / 10) / 100,
      longestTaskMs: tasks.longestMs,
      tasksOver50ms: tasks.over50,
      messages,
      aim: '≥ 5,000 tokens/s in total, no main-thread task over 50 ms',
      met: tokensPerSecond >= 5000 && tasks.longestMs <= 50,
    };
  } finally {
    await stopBrowser();
    await lab.close();
    await rm(folder, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchCompare().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
