import * as path from 'node:path';
import { prepareRun, type PreparedRun } from '../../core/execution/prepare';
import { apiKeyFromEnv, createProvider } from '../../core/providers';
import { ModelRefError } from '../../core/providers/endpoints';
import type { RunEvent, TokenEvent } from '../../core/providers/events';
import { PromptOptionsError } from '../../core/providers/request';
import { PromptRenderError } from '../../core/prompt/render';
import { RunHistory } from '../../core/runs/history';
import { HISTORY_FOLDER } from '../../core/execution/prepare';
import { executeRun } from '../../core/runs/runner';
import { parseArgs, stringFlag, UsageError } from '../args';
import { cliEndpoints } from '../endpoints';
import { EXIT, type CliIo } from '../io';
import { readInput } from './render';
import { partialContextFor, readPromptOrReport, singleFile } from '../workspace';

export const runUsage =
  'promptscope run <file> [--model <endpoint/model>] [--input <json>|@<file>] [--top-logprobs N] [--endpoints <file.json>] [--history <dir> | --no-history] [--json] [--workspace <dir>]';

/** Runs a prompt against a model, streaming visible text to stdout as it arrives. */
export async function runCommand(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const args = parseArgs(argv, ['model', 'input', 'top-logprobs', 'endpoints', 'history', 'workspace', 'partials'], ['json', 'no-history']);
  const file = singleFile(args, 'run', runUsage);
  const topLogprobs = parseTopLogprobs(stringFlag(args, 'top-logprobs'));
  const input = readInput(stringFlag(args, 'input'), io);
  const { endpoints, problems } = cliEndpoints(args, io);
  for (const problem of problems) io.err(`promptscope: endpoint settings: ${problem}\n`);

  const text = readPromptOrReport(file, io);
  if (text === undefined) return EXIT.usage;
  let prepared: PreparedRun;
  try {
    const model = stringFlag(args, 'model');
    prepared = await prepareRun(text, {
      endpoints,
      partials: partialContextFor(file, args, io),
      ...(input ? { input } : {}),
      ...(model ? { model } : {}),
      defaults: { topLogprobs },
    });
  } catch (err) {
    if (err instanceof PromptRenderError || err instanceof ModelRefError || err instanceof PromptOptionsError) {
      io.err(`promptscope: ${file}: ${err.message}\n`);
      return EXIT.findings;
    }
    throw err;
  }

  const json = args.flags.has('json');
  // Runs are saved where the editor keeps them (<workspace>/.promptscope/runs) unless told otherwise.
  const historyDir = args.flags.has('no-history') ? undefined : path.resolve(io.cwd, stringFlag(args, 'history') ?? path.join(stringFlag(args, 'workspace') ?? '.', HISTORY_FOLDER));
  const endpoint = prepared.ref.endpoint;
  const provider = createProvider(endpoint, { ...(apiKeyFromEnv(endpoint, process.env) ? { apiKey: apiKeyFromEnv(endpoint, process.env)! } : {}) });
  const tokens: TokenEvent[] = [];
  let lastChannel: TokenEvent['channel'] = 'content';
  const onEvent = (event: RunEvent): void => {
    if (event.type === 'token') {
      if (json) tokens.push(event);
      else if (event.channel === 'thinking') io.err(event.text);
      else {
        if (lastChannel === 'thinking') io.err('\n');
        io.out(event.text);
      }
      lastChannel = event.channel;
    } else if (event.type === 'notice' && !json) {
      io.err(`\npromptscope: ${event.message}\n`);
    }
  };
  const result = await executeRun(provider, prepared.request, { file, ...(input ? { inputs: input } : {}), endpoint: { name: endpoint.name, kind: endpoint.kind, url: endpoint.url } }, {
    onEvent,
    ...(historyDir ? { history: new RunHistory(historyDir) } : {}),
    ...(signal ? { signal } : {}),
  });
  const { record, summary } = result;
  if (result.historyError) io.err(`promptscope: the run could not be saved: ${result.historyError.message}\n`);
  if (json) {
    io.out(`${JSON.stringify({
      id: summary.id,
      file,
      endpoint: endpoint.name,
      model: prepared.request.model,
      status: record.status,
      content: record.content,
      thinking: record.thinking,
      stats: record.stats ?? null,
      error: record.error ? { kind: record.error.kind, message: record.error.message, serverMessage: record.error.serverMessage ?? null } : null,
      tokens: tokens.map((t) => ({ text: t.text, channel: t.channel, logprob: t.logprob ?? null, top: t.topLogprobs ?? [], ms: t.msSinceStart })),
    }, null, 2)}\n`);
  } else {
    // Finish the streamed line; partial output stays on stdout whatever happened.
    if (record.content !== '' && !record.content.endsWith('\n')) io.out('\n');
    if (record.error) io.err(`promptscope: ${record.error.message}${record.error.serverMessage ? ` (server said: ${record.error.serverMessage})` : ''}\n`);
    else io.err(`${statsLine(prepared.modelRef, record.stats)}\n`);
  }
  if (record.error) return record.status === 'stopped' ? EXIT.interrupted : EXIT.findings;
  return record.status === 'stopped' ? EXIT.interrupted : EXIT.ok;
}

function parseTopLogprobs(value: string | undefined): number {
  if (value === undefined) return 5;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 20) throw new UsageError(`--top-logprobs must be a whole number from 0 to 20, not "${value}"`);
  return n;
}

function statsLine(model: string, stats: PreparedStats | undefined): string {
  if (!stats) return `— ${model}`;
  const parts = [model];
  if (stats.outputTokens !== undefined) parts.push(`${stats.outputTokens} tokens`);
  if (stats.evalRate !== undefined) parts.push(`${stats.evalRate.toFixed(1)} tok/s`);
  if (stats.ttftMs !== undefined) parts.push(`first token ${Math.round(stats.ttftMs)} ms`);
  if (stats.doneReason) parts.push(`done: ${stats.doneReason}`);
  return `— ${parts.join(', ')}`;
}

type PreparedStats = NonNullable<import('../../core/runs/record').RunRecord['stats']>;
