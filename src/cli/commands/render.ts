import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PromptRenderError, renderPrompt, type RenderedPrompt } from '../../core/prompt/render';
import { parseArgs, stringFlag, UsageError } from '../args';
import { EXIT, type CliIo } from '../io';
import { field, message } from '../json';
import { describeReadError, partialContextFor, readPromptOrReport, singleFile } from '../workspace';

export const renderUsage =
  'promptscope render <file> [--input <json> | --input @<file.json>] [--json] [--workspace <dir>] [--partials <dir>]';

export async function renderCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ['input', 'workspace', 'partials'], ['json']);
  const file = singleFile(args, 'render', renderUsage);
  const input = readInput(stringFlag(args, 'input'), io);
  const text = readPromptOrReport(file, io);
  if (text === undefined) return EXIT.usage;
  let rendered: RenderedPrompt;
  try {
    rendered = await renderPrompt(text, { ...(input ? { input } : {}), partials: partialContextFor(file, args, io) });
  } catch (err) {
    if (!(err instanceof PromptRenderError)) throw err;
    io.err(`promptscope: ${field(file)}: ${message(err.message)}\n`);
    return EXIT.findings;
  }
  io.out(args.flags.has('json') ? `${JSON.stringify(rendered, null, 2)}\n` : formatRendered(rendered));
  return EXIT.ok;
}

export function readInput(value: string | undefined, io: CliIo): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let json = value;
  let where = '--input';
  if (value.startsWith('@')) {
    where = value.slice(1);
    try {
      json = readFileSync(path.resolve(io.cwd, where), 'utf8');
    } catch (err) {
      throw new UsageError(describeReadError(where, err));
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new UsageError(`${where} is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError(`${where} must be a JSON object of input values`);
  return parsed as Record<string, unknown>;
}

/** A readable view of the rendered messages: a header per message, then its parts. */
export function formatRendered(rendered: RenderedPrompt): string {
  const lines: string[] = [];
  if (rendered.model) lines.push(`model: ${rendered.model}`);
  if (rendered.config && Object.keys(rendered.config).length > 0) lines.push(`config: ${JSON.stringify(rendered.config)}`);
  for (const message of rendered.messages) {
    const purpose = (message.metadata as { purpose?: string } | undefined)?.purpose;
    lines.push('', `── ${message.role}${purpose ? ` (${purpose})` : ''} ──`);
    for (const part of message.content) {
      // Leading and trailing line breaks are trimmed for reading; --json shows the exact text.
      if ('text' in part && typeof part.text === 'string') lines.push(part.text.replace(/^\n+|\n+$/g, ''));
      else if ('media' in part && part.media)
        lines.push(`[media ${part.media.url}${part.media.contentType ? ` ${part.media.contentType}` : ''}]`);
      else if ('metadata' in part && part.metadata) lines.push(`[section ${JSON.stringify(part.metadata)}]`);
      else lines.push(JSON.stringify(part));
    }
  }
  return `${lines.join('\n').replace(/^\n/, '')}\n`;
}
