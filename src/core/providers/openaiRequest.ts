/**
 * Builds the `POST {base}/chat/completions` body for OpenAI-compatible servers from a RunRequest.
 */
import type { Message as DotpromptMessage } from 'dotprompt';
import type { RunConfig, RunRequest } from './events';
import { camelToSnake } from './configKeys';
import { textOfParts } from './parts';

type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

interface ToolCallOut {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessageOut {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | ContentPart[] | null;
  tool_calls?: ToolCallOut[];
  tool_call_id?: string;
  name?: string;
}

export type ChatCompletionBody = Record<string, unknown> & {
  model: string;
  messages: ChatMessageOut[];
  stream: true;
};

const ROLE: Record<DotpromptMessage['role'], ChatMessageOut['role']> = {
  user: 'user',
  model: 'assistant',
  system: 'system',
  tool: 'tool',
};

/** Dotprompt names → OpenAI names; other keys pass through in snake_case. */
const DOTPROMPT_TO_OPENAI: Record<string, string> = {
  temperature: 'temperature',
  topP: 'top_p',
  topK: 'top_k',
  maxOutputTokens: 'max_tokens',
  stopSequences: 'stop',
  seed: 'seed',
};

/** Keys the provider owns; config cannot override them. */
const RESERVED = new Set(['model', 'messages', 'stream', 'stream_options', 'logprobs', 'top_logprobs']);

export function toOpenAiOptions(config: RunConfig | undefined): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config ?? {})) {
    if (value === undefined) continue;
    const name = DOTPROMPT_TO_OPENAI[key] ?? camelToSnake(key);
    if (!RESERVED.has(name)) options[name] = value;
  }
  return options;
}

export function toOpenAiMessages(messages: readonly DotpromptMessage[]): ChatMessageOut[] {
  return messages.map((message) => {
    const role = ROLE[message.role];
    const toolResponse = message.content.find((part) => part.toolResponse !== undefined)?.toolResponse;
    if (toolResponse !== undefined) {
      const output = toolResponse.output;
      const out: ChatMessageOut = {
        role: 'tool',
        content: typeof output === 'string' ? output : JSON.stringify(output ?? null),
        name: toolResponse.name,
      };
      if (toolResponse.ref !== undefined) out.tool_call_id = toolResponse.ref;
      return out;
    }
    const hasMedia = message.content.some((part) => part.media !== undefined);
    const content: ChatMessageOut['content'] = hasMedia ? contentParts(message) : textOfParts(message.content);
    const out: ChatMessageOut = { role, content };
    const toolCalls = message.content.flatMap((part, index) =>
      part.toolRequest !== undefined
        ? [
            {
              id: part.toolRequest.ref ?? `call_${index}`,
              type: 'function' as const,
              function: { name: part.toolRequest.name, arguments: JSON.stringify(part.toolRequest.input ?? {}) },
            },
          ]
        : [],
    );
    if (toolCalls.length > 0) {
      out.tool_calls = toolCalls;
      if (out.content === '') out.content = null;
    }
    return out;
  });
}

function contentParts(message: DotpromptMessage): ContentPart[] {
  const parts: ContentPart[] = [];
  for (const part of message.content) {
    if (part.text !== undefined) parts.push({ type: 'text', text: part.text });
    else if (part.data !== undefined) parts.push({ type: 'text', text: JSON.stringify(part.data) });
    else if (part.media !== undefined) parts.push({ type: 'image_url', image_url: { url: part.media.url } });
  }
  return parts;
}

export function buildChatCompletionBody(request: RunRequest): ChatCompletionBody {
  const body: ChatCompletionBody = {
    ...toOpenAiOptions(request.config),
    model: request.model,
    messages: toOpenAiMessages(request.messages),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.topLogprobs !== undefined) {
    body['logprobs'] = true;
    // Always explicit: llama.cpp defaults to 20 alternatives when top_logprobs is absent.
    body['top_logprobs'] = request.topLogprobs;
  }
  if (typeof request.think === 'string') body['reasoning_effort'] = request.think === 'max' ? 'high' : request.think;
  return body;
}
