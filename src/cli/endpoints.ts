import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { apiKeyFromEnv, resolveEndpoints, type EndpointConfig } from '../core/providers/endpoints';
import { urlSecrets } from '../core/text/redact';
import { stringFlag, takeRepeated, UsageError, type ParsedArgs } from './args';
import type { CliIo } from './io';
import { describeReadError } from './workspace';

/**
 * The endpoint options every command that talks to a model takes, parsed in one place so `run`
 * and `compare` (and any later command) speak the same language.
 */
export const ENDPOINT_VALUE_FLAGS = ['endpoints', 'ollama-host', 'openai-base-url', 'api-key-env', 'top-logprobs'] as const;

export const ENDPOINT_USAGE =
  '[--model <endpoint/model>]… [--ollama-host <url>] [--openai-base-url <url> [--api-key-env <NAME>]] [--endpoints <file.json>] [--top-logprobs N]';

/** What `--help` says about the endpoint options (shared by every model command). */
export const ENDPOINT_HELP = `Models and endpoints (the same for every command that runs a model):
  --model <endpoint/model>   the model to use, e.g. ollama/llama3.2; repeat it for several
  --ollama-host <url>        where the default "ollama" endpoint is (else OLLAMA_HOST, else http://127.0.0.1:11434)
  --openai-base-url <url>    defines the endpoint "openai" (an OpenAI-compatible server: vLLM, llama.cpp, LM Studio …)
  --api-key-env <NAME>       the environment variable holding that server's API key (default OPENAI_API_KEY)
  --endpoints <file.json>    more endpoints, a JSON list like the promptscope.endpoints setting (else PROMPTSCOPE_ENDPOINTS)
  --top-logprobs N           alternatives per token, 0 to 20 (default 5)`;

/** `--model` may repeat; it is taken out of argv before the other options are parsed. */
export function takeModels(argv: readonly string[]): { models: string[]; rest: string[] } {
  const { values, rest } = takeRepeated(argv, 'model');
  return { models: values, rest };
}

/**
 * Endpoints for a command: `--endpoints <file.json>` or PROMPTSCOPE_ENDPOINTS, plus the default
 * `ollama` endpoint (from --ollama-host, else OLLAMA_HOST, else http://127.0.0.1:11434), plus
 * "openai" from --openai-base-url. Problems with the settings are reported on stderr; the
 * credentials in every endpoint URL and the API keys are registered so they are never printed.
 */
export function cliEndpoints(args: ParsedArgs, io: CliIo, env: NodeJS.ProcessEnv = process.env): EndpointConfig[] {
  const configured = configuredEndpoints(args, io, env);
  const ollamaHost = stringFlag(args, 'ollama-host');
  const openaiBase = stringFlag(args, 'openai-base-url');
  const apiKeyEnv = stringFlag(args, 'api-key-env');
  if (apiKeyEnv !== undefined && openaiBase === undefined) throw new UsageError('--api-key-env goes with --openai-base-url');
  if (apiKeyEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv))
    throw new UsageError(`--api-key-env must name an environment variable, not "${apiKeyEnv}"`);
  // --ollama-host replaces an "ollama" endpoint from the file, --openai-base-url an "openai" one.
  const replaced = new Set([...(ollamaHost !== undefined ? ['ollama'] : []), ...(openaiBase !== undefined ? ['openai'] : [])]);
  let list: unknown = configured;
  if (replaced.size > 0 && Array.isArray(configured))
    list = configured.filter((e: unknown) => !replaced.has(String((e as { name?: unknown } | null)?.name)));
  if (openaiBase !== undefined)
    list = [
      ...(Array.isArray(list) ? list : []),
      { name: 'openai', kind: 'openai', url: openaiBase, apiKeyEnv: apiKeyEnv ?? 'OPENAI_API_KEY' },
    ];
  const { endpoints, problems } = resolveEndpoints(list, { ...(ollamaHost !== undefined ? { setting: ollamaHost } : {}), env });
  const secrets = [
    ...(ollamaHost !== undefined ? urlSecrets(ollamaHost) : []),
    ...(openaiBase !== undefined ? urlSecrets(openaiBase) : []),
  ];
  for (const endpoint of endpoints) {
    secrets.push(...urlSecrets(endpoint.url));
    const key = apiKeyFromEnv(endpoint, env);
    if (key !== undefined) secrets.push(key);
  }
  io.conceal?.(secrets);
  for (const problem of problems) io.err(`promptscope: endpoint settings: ${problem}\n`);
  return endpoints;
}

/** The top-logprobs option shared by the model commands. */
export function topLogprobsFlag(args: ParsedArgs): number {
  const value = stringFlag(args, 'top-logprobs');
  if (value === undefined) return 5;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 20)
    throw new UsageError(`--top-logprobs must be a whole number from 0 to 20, not "${value}"`);
  return n;
}

function configuredEndpoints(args: ParsedArgs, io: CliIo, env: NodeJS.ProcessEnv): unknown {
  const file = stringFlag(args, 'endpoints');
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (err) {
      throw new UsageError(describeReadError(file, err));
    }
    return parseJson(text, file);
  }
  if (env['PROMPTSCOPE_ENDPOINTS']) return parseJson(env['PROMPTSCOPE_ENDPOINTS'], 'PROMPTSCOPE_ENDPOINTS');
  return undefined;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where} is not valid JSON: ${(err as Error).message}`);
  }
}
