/**
 * Reading `chat.completion.chunk` objects defensively: every server omits, nulls or renames
 * something (vLLM, llama.cpp, LM Studio, SGLang and Ollama's /v1 each differ a little), so fields are checked at runtime rather than trusted.
 */
import type { RunStats } from './events';
import { ProtocolError } from './errors';
import type { LogprobEntry } from './logprobAlign';
import { readAlternatives } from './ollamaChunk';
import type { TextPiece } from './textQueue';
import { describeJsonValue, logprobNumber, optionalText } from './wireValues';

export interface ChunkContent {
  segments: TextPiece[];
  entries: LogprobEntry[];
  finishReason: string | undefined;
  toolCallDeltas: ToolCallDelta[];
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  name?: string;
  arguments?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * The first choice's text, logprobs, finish reason and tool-call fragments. `topK`: the
 * alternatives asked for; longer lists are cut to it. Text fields that are not text throw a
 * ProtocolError naming what arrived.
 */
export function readChoice(chunk: Json, topK?: number): ChunkContent {
  const content: ChunkContent = { segments: [], entries: [], finishReason: undefined, toolCallDeltas: [] };
  const choices = Array.isArray(chunk['choices']) ? chunk['choices'] : [];
  const choice = choices.find((c): c is Json => isObject(c) && (c['index'] === undefined || c['index'] === 0));
  if (choice === undefined) return content;
  const delta = isObject(choice['delta']) ? choice['delta'] : {};
  // llama.cpp/vLLM say reasoning_content, Ollama /v1 says reasoning.
  const thinking = textField(delta, 'reasoning_content') ?? textField(delta, 'reasoning');
  const text = textField(delta, 'content');
  if (thinking) content.segments.push({ channel: 'thinking', text: thinking });
  if (text) content.segments.push({ channel: 'content', text });
  const logprobs = choice['logprobs'];
  if (isObject(logprobs) && Array.isArray(logprobs['content'])) {
    for (const raw of logprobs['content']) {
      const entry = readEntry(raw, topK);
      if (entry !== undefined) content.entries.push(entry);
    }
  }
  content.finishReason = str(choice['finish_reason']);
  if (Array.isArray(delta['tool_calls'])) {
    delta['tool_calls'].forEach((raw, position) => {
      if (!isObject(raw)) return;
      const fn = isObject(raw['function']) ? raw['function'] : {};
      const call: ToolCallDelta = { index: num(raw['index']) ?? position };
      const id = str(raw['id']);
      const name = str(fn['name']);
      const args = str(fn['arguments']) ?? (isObject(fn['arguments']) ? JSON.stringify(fn['arguments']) : undefined);
      if (id !== undefined) call.id = id;
      if (name !== undefined) call.name = name;
      if (args !== undefined) call.arguments = args;
      content.toolCallDeltas.push(call);
    });
  }
  return content;
}

function textField(delta: Json, key: string): string | undefined {
  const value = optionalText(delta[key]);
  if (!value.ok) throw new ProtocolError(`sent delta.${key} as ${describeJsonValue(delta[key])} instead of text`);
  return value.text;
}

/** logprob, or llama.cpp's post-sampling `prob` turned into one. */
function logprobOf(raw: Json): number | undefined {
  const logprob = logprobNumber(raw['logprob']);
  if (logprob !== undefined) return logprob;
  const prob = logprobNumber(raw['prob']);
  return prob === undefined ? undefined : Math.log(prob);
}

function bytesOf(raw: Json): number[] | null | undefined {
  const bytes = raw['bytes'];
  if (bytes === null) return null;
  return Array.isArray(bytes) && bytes.every((b) => typeof b === 'number') ? (bytes as number[]) : undefined;
}

function readEntry(raw: unknown, topK: number | undefined): LogprobEntry | undefined {
  if (!isObject(raw)) return undefined;
  const logprob = logprobOf(raw);
  if (logprob === undefined) return undefined;
  const entry: LogprobEntry = { token: str(raw['token']) ?? '', logprob };
  const bytes = bytesOf(raw);
  if (bytes !== undefined) entry.bytes = bytes;
  const alternatives = Array.isArray(raw['top_logprobs'])
    ? raw['top_logprobs']
    : Array.isArray(raw['top_probs'])
      ? raw['top_probs']
      : undefined;
  if (alternatives !== undefined) entry.topLogprobs = readAlternatives(alternatives.map(withLogprob), topK);
  return entry;
}

/** llama.cpp's `top_probs` alternatives carry `prob`; the shared reader wants `logprob`. */
function withLogprob(alt: unknown): unknown {
  if (!isObject(alt) || alt['logprob'] !== undefined) return alt;
  const logprob = logprobOf(alt);
  return logprob === undefined ? alt : { ...alt, logprob };
}

/** `usage` (include_usage) and llama.cpp's `timings`, when present. */
export function readUsage(chunk: Json): Omit<RunStats, 'wallMs'> {
  const stats: Omit<RunStats, 'wallMs'> = {};
  const usage = chunk['usage'];
  if (isObject(usage)) {
    const prompt = num(usage['prompt_tokens']);
    const completion = num(usage['completion_tokens']);
    if (prompt !== undefined) stats.promptTokens = prompt;
    if (completion !== undefined) stats.outputTokens = completion;
  }
  const timings = chunk['timings'];
  if (isObject(timings)) {
    const promptRate = num(timings['prompt_per_second']);
    const evalRate = num(timings['predicted_per_second']);
    const promptMs = num(timings['prompt_ms']);
    const predictedMs = num(timings['predicted_ms']);
    if (promptRate !== undefined) stats.promptEvalRate = promptRate;
    if (evalRate !== undefined) stats.evalRate = evalRate;
    if (promptMs !== undefined && predictedMs !== undefined) stats.totalMs = promptMs + predictedMs;
    const predicted = num(timings['predicted_n']);
    const prompted = num(timings['prompt_n']);
    if (stats.outputTokens === undefined && predicted !== undefined) stats.outputTokens = predicted;
    if (stats.promptTokens === undefined && prompted !== undefined) stats.promptTokens = prompted;
  }
  return stats;
}

/** Accumulates streamed tool-call fragments by index (arguments arrive as JSON text pieces). */
export class ToolCallAssembler {
  private readonly calls = new Map<number, { id?: string; name: string; arguments: string }>();

  add(deltas: ToolCallDelta[]): void {
    for (const delta of deltas) {
      const call = this.calls.get(delta.index) ?? { name: '', arguments: '' };
      if (delta.id !== undefined) call.id = delta.id;
      if (delta.name !== undefined) call.name += delta.name;
      if (delta.arguments !== undefined) call.arguments += delta.arguments;
      this.calls.set(delta.index, call);
    }
  }

  /** Completed calls in index order; arguments parsed when they are JSON. */
  take(): { id?: string; name: string; arguments: unknown }[] {
    const out = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => {
        let args: unknown = call.arguments;
        try {
          args = call.arguments === '' ? {} : JSON.parse(call.arguments);
        } catch {
          // Kept as the raw string: the model produced invalid JSON, which the user should see.
        }
        return call.id === undefined ? { name: call.name, arguments: args } : { id: call.id, name: call.name, arguments: args };
      });
    this.calls.clear();
    return out;
  }
}
