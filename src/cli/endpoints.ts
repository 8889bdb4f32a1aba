import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { resolveEndpoints, type EndpointList } from '../core/providers/endpoints';
import { stringFlag, UsageError, type ParsedArgs } from './args';
import type { CliIo } from './io';
import { describeReadError } from './workspace';

/**
 * Endpoints for the CLI: `--endpoints <file.json>` or the PROMPTSCOPE_ENDPOINTS environment
 * variable (both a JSON list like the `promptscope.endpoints` setting), plus the default
 * `ollama` endpoint from OLLAMA_HOST or http://127.0.0.1:11434.
 */
export function cliEndpoints(args: ParsedArgs, io: CliIo, env: NodeJS.ProcessEnv = process.env): EndpointList {
  const file = stringFlag(args, 'endpoints');
  let configured: unknown;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (err) {
      throw new UsageError(describeReadError(file, err));
    }
    configured = parseJson(text, file);
  } else if (env['PROMPTSCOPE_ENDPOINTS']) {
    configured = parseJson(env['PROMPTSCOPE_ENDPOINTS'], 'PROMPTSCOPE_ENDPOINTS');
  }
  return resolveEndpoints(configured, { env });
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where} is not valid JSON: ${(err as Error).message}`);
  }
}
