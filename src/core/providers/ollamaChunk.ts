/**
 * Reading Ollama stream chunks (`/api/chat` and `/api/generate`) without trusting their types:
 * the lines are JSON objects (the NDJSON guard checked that), but a field may still be null, a
 * string where a number belongs, or an object where text belongs.
 */
import type { RunStats, TopLogprob } from './events';
import { ProtocolError } from './errors';
import type { LogprobEntry } from './logprobAlign';
import type { TextPiece } from './textQueue';
import { bytesBeyondText } from './tokenBytes';
import { describeJsonValue, logprobNumber, optionalText } from './wireValues';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface OllamaChunkContent {
  segments: TextPiece[];
  entries: LogprobEntry[];
  toolCalls: { name: string; arguments: unknown }[];
  done: boolean;
}

/** `topK`: the alternatives asked for; longer lists are cut to it. */
export function readOllamaChunk(chunk: Json, topK: number | undefined): OllamaChunkContent {
  const content: OllamaChunkContent = { segments: [], entries: [], toolCalls: [], done: chunk['done'] === true };
  const hasMessage = chunk['message'] !== undefined && chunk['message'] !== null;
  if (hasMessage && !isObject(chunk['message']))
    throw new ProtocolError(`sent "message" as ${describeJsonValue(chunk['message'])}, not an object`);
  const message = hasMessage ? (chunk['message'] as Json) : undefined;
  const thinking = text(message ?? chunk, 'thinking', message ? 'message.thinking' : 'thinking');
  const visible = text(message ?? chunk, message ? 'content' : 'response', message ? 'message.content' : 'response');
  if (thinking) content.segments.push({ channel: 'thinking', text: thinking });
  if (visible) content.segments.push({ channel: 'content', text: visible });
  if (Array.isArray(chunk['logprobs'])) {
    for (const raw of chunk['logprobs']) {
      const entry = readEntry(raw, topK);
      if (entry !== undefined) content.entries.push(entry);
    }
  }
  const calls = message?.['tool_calls'];
  if (Array.isArray(calls)) {
    for (const call of calls) {
      const fn = isObject(call) ? call['function'] : undefined;
      if (!isObject(fn) || typeof fn['name'] !== 'string')
        throw new ProtocolError(`sent a tool call without a function name: ${describeJsonValue(call)}`);
      content.toolCalls.push({ name: fn['name'], arguments: fn['arguments'] });
    }
  }
  return content;
}

function text(record: Json, key: string, label: string): string | undefined {
  const value = optionalText(record[key]);
  if (!value.ok) throw new ProtocolError(`sent ${label} as ${describeJsonValue(record[key])} instead of text`);
  return value.text;
}

/**
 * An entry whose own logprob is unusable is dropped (its text still streams, without a
 * probability); a bad alternative is skipped and the rest kept.
 */
function readEntry(raw: unknown, topK: number | undefined): LogprobEntry | undefined {
  if (!isObject(raw)) return undefined;
  const logprob = logprobNumber(raw['logprob']);
  if (logprob === undefined) return undefined;
  const entry: LogprobEntry = { token: typeof raw['token'] === 'string' ? raw['token'] : '', logprob };
  const bytes = byteList(raw['bytes']);
  if (bytes !== undefined) entry.bytes = bytes;
  if (Array.isArray(raw['top_logprobs'])) entry.topLogprobs = readAlternatives(raw['top_logprobs'], topK);
  return entry;
}

export function readAlternatives(list: readonly unknown[], topK: number | undefined): TopLogprob[] {
  const out: TopLogprob[] = [];
  const limit = topK ?? list.length;
  for (const alt of list) {
    if (out.length >= limit) break;
    if (!isObject(alt) || typeof alt['token'] !== 'string') continue;
    const logprob = logprobNumber(alt['logprob']);
    if (logprob === undefined) continue;
    const top: TopLogprob = { text: alt['token'], logprob };
    const altBytes = bytesBeyondText(top.text, byteList(alt['bytes']));
    if (altBytes !== undefined) top.bytes = altBytes;
    out.push(top);
  }
  return out;
}

function byteList(value: unknown): number[] | undefined {
  return Array.isArray(value) && value.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)
    ? (value as number[])
    : undefined;
}

const NS_PER_MS = 1e6;

/** Final-chunk metrics: integers in nanoseconds, each omitted when zero (Go's `omitempty` in Ollama's api types). */
export function serverStats(chunk: Json): Omit<RunStats, 'wallMs'> {
  const stats: Omit<RunStats, 'wallMs'> = {};
  const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  if (typeof chunk['done_reason'] === 'string' && chunk['done_reason']) stats.doneReason = chunk['done_reason'];
  const promptCount = number(chunk['prompt_eval_count']);
  const promptDuration = number(chunk['prompt_eval_duration']);
  const evalCount = number(chunk['eval_count']);
  const evalDuration = number(chunk['eval_duration']);
  const load = number(chunk['load_duration']);
  const total = number(chunk['total_duration']);
  if (promptCount !== undefined) stats.promptTokens = promptCount;
  if (promptCount !== undefined && promptDuration) stats.promptEvalRate = (promptCount / promptDuration) * 1e9;
  if (evalCount !== undefined) stats.outputTokens = evalCount;
  if (evalCount !== undefined && evalDuration) stats.evalRate = (evalCount / evalDuration) * 1e9;
  if (load !== undefined) stats.loadMs = load / NS_PER_MS;
  if (total !== undefined) stats.totalMs = total / NS_PER_MS;
  return stats;
}
