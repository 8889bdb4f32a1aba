/**
 * Builds `ollama` client requests (`/api/chat`, raw `/api/generate`) from a RunRequest.
 */
import type { Message as DotpromptMessage } from 'dotprompt';
import type { ChatRequest, GenerateRequest, Message as OllamaMessage, Options } from 'ollama';
import type { RunConfig, RunRequest, ThinkSetting } from './events';
import { camelToSnake } from './configKeys';
import { inlineImages, textOfParts } from './parts';

/** Ollama runtime and load-time option names (the `Options` and `Runner` fields of Ollama's api types). */
const OLLAMA_OPTIONS = new Set([
  'num_keep',
  'seed',
  'num_predict',
  'top_k',
  'top_p',
  'min_p',
  'typical_p',
  'repeat_last_n',
  'temperature',
  'repeat_penalty',
  'presence_penalty',
  'frequency_penalty',
  'stop',
  'num_ctx',
  'num_batch',
  'num_gpu',
  'main_gpu',
  'use_mmap',
  'use_mlock',
  'num_thread',
  'draft_num_predict',
  'numa',
  'penalize_newline',
  'tfs_z',
  'mirostat',
  'mirostat_tau',
  'mirostat_eta',
  'low_vram',
  'f16_kv',
  'vocab_only',
  'logits_all',
]);

/** Dotprompt's portable config names → Ollama option names. */
const DOTPROMPT_TO_OLLAMA: Record<string, string> = {
  temperature: 'temperature',
  topK: 'top_k',
  topP: 'top_p',
  maxOutputTokens: 'num_predict',
  stopSequences: 'stop',
  seed: 'seed',
};

/**
 * Maps config to Ollama options. Unknown keys go through unchanged (Ollama logs and ignores
 * them), camelCase ones become snake_case when that names an Ollama option (`numCtx` → num_ctx).
 */
export function toOllamaOptions(config: RunConfig | undefined): Partial<Options> {
  const options: Record<string, unknown> = {};
  if (config === undefined) return options;
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    const known = DOTPROMPT_TO_OLLAMA[key];
    const snake = camelToSnake(key);
    const name = known ?? (OLLAMA_OPTIONS.has(snake) ? snake : key);
    options[name] = value;
  }
  return options as Partial<Options>;
}

const ROLE: Record<DotpromptMessage['role'], string> = {
  user: 'user',
  model: 'assistant',
  system: 'system',
  tool: 'tool',
};

export function toOllamaMessages(messages: readonly DotpromptMessage[]): OllamaMessage[] {
  return messages.map((message) => {
    const mapped: OllamaMessage = { role: ROLE[message.role], content: textOfParts(message.content) };
    const images = inlineImages(message.content);
    if (images.length > 0) mapped.images = images;
    const toolCalls = message.content.flatMap((part) =>
      part.toolRequest !== undefined ? [{ function: { name: part.toolRequest.name, arguments: asArguments(part.toolRequest.input) } }] : [],
    );
    if (toolCalls.length > 0) mapped.tool_calls = toolCalls;
    const response = message.content.find((part) => part.toolResponse !== undefined)?.toolResponse;
    if (response !== undefined) {
      mapped.tool_name = response.name;
      if (mapped.content === '')
        mapped.content = typeof response.output === 'string' ? response.output : JSON.stringify(response.output ?? null);
    }
    return mapped;
  });
}

function asArguments(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : { input };
}

/**
 * Raw completion text: messages' text joined with newlines. Raw mode has no roles, so a raw
 * prompt is normally one message.
 */
export function rawPrompt(messages: readonly DotpromptMessage[]): string {
  return messages.map((m) => textOfParts(m.content)).join('\n');
}

export interface OllamaCallPlan {
  logprobs: boolean;
  /** The think value to send, or undefined to leave the server default. */
  think: ThinkSetting | undefined;
}

type ClientThink = NonNullable<ChatRequest['think']>;

/** `max` is newer than the client's type; the server accepts it since v0.22. */
function clientThink(think: ThinkSetting): ClientThink {
  return think as ClientThink;
}

function commonFields(
  request: RunRequest,
  plan: OllamaCallPlan,
): Pick<ChatRequest, 'model' | 'options' | 'keep_alive' | 'think' | 'logprobs' | 'top_logprobs'> {
  const fields: Pick<ChatRequest, 'model' | 'options' | 'keep_alive' | 'think' | 'logprobs' | 'top_logprobs'> = {
    model: request.model,
    options: toOllamaOptions(request.config),
  };
  if (request.keepAlive !== undefined) fields.keep_alive = request.keepAlive;
  if (plan.think !== undefined) fields.think = clientThink(plan.think);
  if (plan.logprobs) {
    fields.logprobs = true;
    fields.top_logprobs = request.topLogprobs ?? 0;
  }
  return fields;
}

export function buildChatRequest(request: RunRequest, plan: OllamaCallPlan): ChatRequest & { stream: true } {
  return { ...commonFields(request, plan), messages: toOllamaMessages(request.messages), stream: true };
}

export function buildGenerateRequest(request: RunRequest, plan: OllamaCallPlan): GenerateRequest & { stream: true } {
  const images = request.messages.flatMap((m) => inlineImages(m.content));
  const body: GenerateRequest & { stream: true } = {
    ...commonFields(request, plan),
    prompt: rawPrompt(request.messages),
    raw: true,
    stream: true,
  };
  if (images.length > 0) body.images = images;
  return body;
}
