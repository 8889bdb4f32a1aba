import * as path from 'node:path';
import { HISTORY_FOLDER, prepareRun, type PreparedRun } from '../../core/execution/prepare';
import { apiKeyFromEnv, createProvider, resolveEndpoints, type EndpointConfig } from '../../core/providers';
import { ModelRefError } from '../../core/providers/endpoints';
import type { RunEvent, RunStats, TokenEvent } from '../../core/providers/events';
import { PromptOptionsError } from '../../core/providers/request';
import { PromptRenderError } from '../../core/prompt/render';
import { RunHistory } from '../../core/runs/history';
import { executeRun } from '../../core/runs/runner';
import { parseArgs, stringFlag, takeRepeated, UsageError, type ParsedArgs } from '../args';
import { cliEndpoints } from '../endpoints';
import { EXIT, type CliIo } from '../io';
import { readInput } from './render';
import { partialContextFor, readPromptOrReport, singleFile } from '../workspace';

export const runUsage =
  'promptscope run <file> [--model <endpoint/model>]… [--input <json>|@<file>] [--ollama-host <url>] [--openai-base-url <url>] [--top-logprobs N] [--json] [--endpoints <file.json>] [--history <dir> | --no-history] [--workspace <dir>]';

/**
 * Runs a prompt on one model or several in turn. The terminal shows tokens coloured by
 * probability (NO_COLOR respected) and then the stats; `--json` streams NDJSON events.
 * Exit 0 when every run succeeded, 3 when one failed (after printing what arrived), 2 on usage.
 */
export async function runCommand(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { values: models, rest } = takeRepeated(argv, 'model');
  const args = parseArgs(rest, ['input', 'top-logprobs', 'endpoints', 'history', 'workspace', 'partials', 'ollama-host', 'openai-base-url'], ['json', 'no-history']);
  const file = singleFile(args, 'run', runUsage);
  const topLogprobs = parseTopLogprobs(stringFlag(args, 'top-logprobs'));
  const input = readInput(stringFlag(args, 'input'), io);
  const endpoints = runEndpoints(args, io);
  const text = readPromptOrReport(file, io);
  if (text === undefined) return EXIT.usage;
  const json = args.flags.has('json');
  const historyDir = args.flags.has('no-history') ? undefined : path.resolve(io.cwd, stringFlag(args, 'history') ?? path.join(stringFlag(args, 'workspace') ?? '.', HISTORY_FOLDER));
  const history = historyDir ? new RunHistory(historyDir) : undefined;

  let failed = false;
  for (const model of models.length > 0 ? models : [undefined]) {
    if (signal?.aborted) break;
    let prepared: PreparedRun;
    try {
      prepared = await prepareRun(text, {
        endpoints,
        partials: partialContextFor(file, args, io),
        ...(input ? { input } : {}),
        ...(model ? { model } : {}),
        defaults: { topLogprobs },
      });
    } catch (err) {
      if (!(err instanceof PromptRenderError || err instanceof ModelRefError || err instanceof PromptOptionsError)) throw err;
      failed = true;
      if (json) io.out(`${JSON.stringify({ type: 'error', model: model ?? null, message: err.message })}\n`);
      else io.err(`promptscope: ${file}: ${err.message}\n`);
      continue;
    }
    const ok = await runOne(prepared, file, input, io, json, models.length > 1, history, signal);
    failed ||= !ok;
  }
  if (signal?.aborted) return EXIT.interrupted;
  return failed ? EXIT.assertions : EXIT.ok;
}

async function runOne(prepared: PreparedRun, file: string, input: Record<string, unknown> | undefined, io: CliIo, json: boolean, several: boolean, history: RunHistory | undefined, signal: AbortSignal | undefined): Promise<boolean> {
  const endpoint = prepared.ref.endpoint;
  const apiKey = apiKeyFromEnv(endpoint, process.env);
  const provider = createProvider(endpoint, apiKey ? { apiKey } : {});
  const model = prepared.modelRef;
  if (several && !json) io.out(`${io.color ? '\u001b[1m' : ''}── ${model} ──${io.color ? '\u001b[0m' : ''}\n`);
  let lastChannel: TokenEvent['channel'] = 'content';
  const onEvent = (event: RunEvent): void => {
    if (json) {
      const line = toNdjson(event, model);
      if (line) io.out(`${line}\n`);
      return;
    }
    if (event.type === 'token') {
      if (event.channel === 'thinking') io.err(event.text);
      else {
        if (lastChannel === 'thinking') io.err('\n');
        io.out(io.color ? colourToken(event) : event.text);
      }
      lastChannel = event.channel;
    } else if (event.type === 'notice') {
      io.err(`\npromptscope: ${event.message}\n`);
    }
  };
  const result = await executeRun(provider, prepared.request, { file, ...(input ? { inputs: input } : {}), endpoint: { name: endpoint.name, kind: endpoint.kind, url: endpoint.url } }, {
    onEvent,
    ...(history ? { history } : {}),
    ...(signal ? { signal } : {}),
  });
  const { record } = result;
  if (result.historyError) io.err(`promptscope: the run could not be saved: ${result.historyError.message}\n`);
  if (!json) {
    // Finish the streamed line; partial output stays on stdout whatever happened.
    if (record.content !== '' && !record.content.endsWith('\n')) io.out('\n');
    if (record.error) io.err(`promptscope: ${record.error.message}${record.error.serverMessage ? ` (server said: ${record.error.serverMessage})` : ''}\n`);
    else io.err(`${statsLine(model, record.stats)}\n`);
  }
  return record.error === undefined;
}

/** The NDJSON event shapes of `promptscope run --json`. */
function toNdjson(event: RunEvent, model: string): string | undefined {
  switch (event.type) {
    case 'token':
      return JSON.stringify({
        type: 'token',
        model,
        text: event.text,
        logprob: event.logprob ?? null,
        top_logprobs: (event.topLogprobs ?? []).map((a) => ({ text: a.text, logprob: a.logprob })),
        channel: event.channel,
        t_ms: event.msSinceStart,
      });
    case 'done':
      return JSON.stringify({ type: 'done', model, stats: ndjsonStats(event.stats) });
    case 'error':
      return JSON.stringify({ type: 'error', model, message: event.message, kind: event.kind, ...(event.serverMessage ? { server_message: event.serverMessage } : {}) });
    case 'notice':
      return JSON.stringify({ type: 'notice', model, message: event.message });
    case 'tool-call':
      return JSON.stringify({ type: 'tool_call', model, name: event.name, arguments: event.arguments, t_ms: event.msSinceStart });
  }
}

function ndjsonStats(s: RunStats): Record<string, number | string | null> {
  return {
    ttft_ms: s.ttftMs ?? null,
    prompt_tokens: s.promptTokens ?? null,
    output_tokens: s.outputTokens ?? null,
    tokens_per_s: s.evalRate ?? null,
    done_reason: s.doneReason ?? null,
    load_ms: s.loadMs ?? null,
    total_ms: s.totalMs ?? null,
  };
}

/** Low-probability tokens stand out: red under 20 %, magenta under 50 %, yellow under 80 %. */
export function colourToken(token: TokenEvent): string {
  if (token.logprob === undefined || token.text === '') return token.text;
  const p = Math.exp(token.logprob);
  const code = p < 0.2 ? 31 : p < 0.5 ? 35 : p < 0.8 ? 33 : 0;
  return code === 0 ? token.text : `\u001b[${code}m${token.text}\u001b[0m`;
}

function runEndpoints(args: ParsedArgs, io: CliIo): EndpointConfig[] {
  const base = cliEndpoints(args, io);
  const ollamaHost = stringFlag(args, 'ollama-host');
  const openaiBase = stringFlag(args, 'openai-base-url');
  if (!ollamaHost && !openaiBase) {
    for (const problem of base.problems) io.err(`promptscope: endpoint settings: ${problem}\n`);
    return base.endpoints;
  }
  // --ollama-host sets the default endpoint; --openai-base-url defines one named "openai".
  const configured = base.endpoints.filter((e) => e.name !== 'ollama' && (!openaiBase || e.name !== 'openai'));
  if (openaiBase) configured.push({ name: 'openai', kind: 'openai', url: openaiBase, apiKeyEnv: 'OPENAI_API_KEY' });
  const { endpoints, problems } = resolveEndpoints(configured, { ...(ollamaHost ? { setting: ollamaHost } : {}), env: process.env });
  for (const problem of problems) io.err(`promptscope: endpoint settings: ${problem}\n`);
  return endpoints;
}

function parseTopLogprobs(value: string | undefined): number {
  if (value === undefined) return 5;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 20) throw new UsageError(`--top-logprobs must be a whole number from 0 to 20, not "${value}"`);
  return n;
}

function statsLine(model: string, stats: RunStats | undefined): string {
  if (!stats) return `— ${model}`;
  const parts = [model];
  if (stats.outputTokens !== undefined) parts.push(`${stats.outputTokens} tokens`);
  if (stats.evalRate !== undefined) parts.push(`${stats.evalRate.toFixed(1)} tok/s`);
  if (stats.ttftMs !== undefined) parts.push(`first token ${Math.round(stats.ttftMs)} ms`);
  if (stats.promptTokens !== undefined) parts.push(`prompt ${stats.promptTokens} tokens`);
  if (stats.doneReason) parts.push(`done: ${stats.doneReason}`);
  return `— ${parts.join(', ')}`;
}
