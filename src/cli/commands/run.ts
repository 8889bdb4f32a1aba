import * as path from 'node:path';
import { HISTORY_FOLDER, prepareRun, type PreparedRun } from '../../core/execution/prepare';
import { apiKeyFromEnv, createProvider } from '../../core/providers';
import { ModelRefError } from '../../core/providers/endpoints';
import type { RunEvent, RunStats, TokenEvent } from '../../core/providers/events';
import { redactUrlCredentials } from '../../core/text/redact';
import { asDisplayText } from '../../core/text/terminal';
import { PromptOptionsError } from '../../core/providers/request';
import { PromptRenderError } from '../../core/prompt/render';
import { RunHistory } from '../../core/runs/history';
import { executeRun } from '../../core/runs/runner';
import { parseArgs, stringFlag } from '../args';
import { cliEndpoints, ENDPOINT_USAGE, ENDPOINT_VALUE_FLAGS, takeModels, topLogprobsFlag } from '../endpoints';
import { EXIT, type CliIo, type Style } from '../io';
import { errorJson, field, message, runEventJson, statsJson } from '../json';
import { readInput } from './render';
import { partialContextFor, readPromptOrReport, singleFile } from '../workspace';

export const runUsage = `promptscope run <file> ${ENDPOINT_USAGE} [--input <json>|@<file>] [--json] [--history <dir> | --no-history] [--workspace <dir>] [--partials <dir>]`;

/**
 * Runs a prompt on one model or several in turn. The terminal shows tokens coloured by
 * probability (NO_COLOR respected) and then the stats; `--json` streams NDJSON events.
 * Exit 0 when every run succeeded, 3 when one failed (after printing what arrived), 2 on usage.
 */
export async function runCommand(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { models, rest } = takeModels(argv);
  const args = parseArgs(rest, [...ENDPOINT_VALUE_FLAGS, 'input', 'history', 'workspace', 'partials'], ['json', 'no-history']);
  const file = singleFile(args, 'run', runUsage);
  const topLogprobs = topLogprobsFlag(args);
  const input = readInput(stringFlag(args, 'input'), io);
  const endpoints = cliEndpoints(args, io);
  const text = readPromptOrReport(file, io);
  if (text === undefined) return EXIT.usage;
  const json = args.flags.has('json');
  const historyDir = args.flags.has('no-history')
    ? undefined
    : path.resolve(io.cwd, stringFlag(args, 'history') ?? path.join(stringFlag(args, 'workspace') ?? '.', HISTORY_FOLDER));
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
      if (json)
        io.out(`${JSON.stringify({ type: 'error', model: model ?? null, ...errorJson({ kind: 'prompt', message: err.message }) })}\n`);
      else io.err(`promptscope: ${field(file)}: ${message(err.message)}\n`);
      continue;
    }
    const ok = await runOne(prepared, file, input, io, json, models.length > 1, history, signal);
    failed ||= !ok;
  }
  if (signal?.aborted) return EXIT.interrupted;
  return failed ? EXIT.assertions : EXIT.ok;
}

async function runOne(
  prepared: PreparedRun,
  file: string,
  input: Record<string, unknown> | undefined,
  io: CliIo,
  json: boolean,
  several: boolean,
  history: RunHistory | undefined,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const endpoint = prepared.ref.endpoint;
  const apiKey = apiKeyFromEnv(endpoint, process.env);
  const provider = createProvider(endpoint, apiKey ? { apiKey } : {});
  const model = prepared.modelRef;
  if (several && !json) {
    io.out(`── ${field(model)} ──`, 'bold');
    io.out('\n');
  }
  let lastChannel: TokenEvent['channel'] = 'content';
  const onEvent = (event: RunEvent): void => {
    if (json) {
      io.out(`${JSON.stringify(runEventJson(event, model))}\n`);
      return;
    }
    if (event.type === 'token') {
      // A token is content: its newlines and tabs are kept; control characters are shown by safeIo.
      const text = asDisplayText(event.text);
      if (event.channel === 'thinking') io.err(text);
      else {
        if (lastChannel === 'thinking') io.err('\n');
        io.out(text, tokenStyle(event));
      }
      lastChannel = event.channel;
    } else if (event.type === 'notice') {
      io.err(`\npromptscope: ${message(event.message)}\n`);
    }
  };
  const result = await executeRun(
    provider,
    prepared.request,
    {
      file,
      ...(input ? { inputs: input } : {}),
      endpoint: { name: endpoint.name, kind: endpoint.kind, url: redactUrlCredentials(endpoint.url) },
    },
    {
      onEvent,
      ...(history ? { history } : {}),
      ...(signal ? { signal } : {}),
    },
  );
  const { record } = result;
  if (result.historyError) io.err(`promptscope: the run could not be saved: ${message(result.historyError.message)}\n`);
  if (!json) {
    // Finish the streamed line; partial output stays on stdout whatever happened.
    if (record.content !== '' && !record.content.endsWith('\n')) io.out('\n');
    if (record.error)
      io.err(
        `promptscope: ${message(record.error.message)}${record.error.serverMessage ? ` (server said: ${message(record.error.serverMessage)})` : ''}\n`,
      );
    else io.err(`${statsLine(model, record.stats)}\n`);
  }
  return record.error === undefined;
}

/** Low-probability tokens stand out: red under 20 %, magenta under 50 %, yellow under 80 %. */
export function tokenStyle(token: TokenEvent): Style | undefined {
  if (typeof token.logprob !== 'number' || !Number.isFinite(token.logprob)) return undefined;
  const p = Math.exp(token.logprob);
  return p < 0.2 ? 'red' : p < 0.5 ? 'magenta' : p < 0.8 ? 'yellow' : undefined;
}

function statsLine(model: string, stats: RunStats | undefined): string {
  if (!stats) return `— ${field(model)}`;
  const json = statsJson(stats)!;
  const parts = [field(model)];
  if (json.outputTokens !== null) parts.push(`${json.outputTokens} tokens`);
  if (json.tokensPerSecond !== null) parts.push(`${json.tokensPerSecond.toFixed(1)} tok/s`);
  if (json.ttftMs !== null) parts.push(`first token ${Math.round(json.ttftMs)} ms`);
  if (json.promptTokens !== null) parts.push(`prompt ${json.promptTokens} tokens`);
  if (json.doneReason) parts.push(`done: ${field(json.doneReason)}`);
  return `— ${parts.join(', ')}`;
}
