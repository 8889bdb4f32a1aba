/**
 * From a rendered Dotprompt prompt to a RunRequest.
 *
 * Frontmatter contract (Dotprompt extension fields, namespace `promptscope`; Dotprompt reserves
 * the plain `raw` key for the parsed frontmatter, so it cannot be used):
 *   promptscope.raw: true          raw completion, no chat template (Ollama /api/generate raw)
 *   promptscope.think: high        think: true | false | low | medium | high | max
 *   promptscope.keepAlive: 10m     Ollama keep_alive (duration string or seconds)
 * `config:` is the model config (temperature, topK, topP, maxOutputTokens, stopSequences, seed,
 * and any server option, passed through). Per-run settings (top logprobs, timeouts, keep-alive
 * default) come from the caller and lose to the frontmatter where both exist.
 */
import type { Message, RenderedPrompt } from 'dotprompt';
import type { RunConfig, RunRequest, ThinkSetting } from './events';

export class PromptOptionsError extends Error {
  override name = 'PromptOptionsError';
}

export interface RunDefaults {
  /** 0–20; undefined for no probabilities. */
  topLogprobs?: number;
  firstTokenTimeoutMs?: number;
  /** Silence allowed between chunks once streaming started; 0 turns it off. */
  idleTimeoutMs?: number;
  maxLineBytes?: number;
  keepAlive?: string | number;
}

const THINK_VALUES = new Set<unknown>([true, false, 'low', 'medium', 'high', 'max']);

/** `model` is the server-side name (after parseModelRef). */
export interface RenderedForRun {
  messages: Message[];
  /** Frontmatter `config:`; untrusted, so checked here. */
  config?: unknown;
  ext?: RenderedPrompt['ext'];
}

export function buildRunRequest(rendered: RenderedForRun, model: string, defaults: RunDefaults = {}): RunRequest {
  const ext: Record<string, unknown> = rendered.ext?.['promptscope'] ?? {};
  const request: RunRequest = { model, messages: rendered.messages };
  const config = rendered.config;
  if (config !== undefined && config !== null) {
    if (typeof config !== 'object' || Array.isArray(config))
      throw new PromptOptionsError(`config must be a map of options, not ${JSON.stringify(config)}`);
    if (Object.keys(config).length > 0) request.config = config as RunConfig;
  }

  const raw = ext['raw'];
  if (raw !== undefined && typeof raw !== 'boolean')
    throw new PromptOptionsError(`promptscope.raw must be true or false, not ${JSON.stringify(raw)}`);
  if (raw === true) request.raw = true;

  const think = ext['think'];
  if (think !== undefined) {
    if (!THINK_VALUES.has(think))
      throw new PromptOptionsError(`promptscope.think must be true, false, low, medium, high or max, not ${JSON.stringify(think)}`);
    request.think = think as ThinkSetting;
  }

  const keepAlive = ext['keepAlive'] ?? defaults.keepAlive;
  if (keepAlive !== undefined) {
    if (typeof keepAlive !== 'string' && typeof keepAlive !== 'number')
      throw new PromptOptionsError(`promptscope.keepAlive must be a duration like "10m" or seconds, not ${JSON.stringify(keepAlive)}`);
    request.keepAlive = keepAlive;
  }

  if (defaults.topLogprobs !== undefined) {
    if (!Number.isInteger(defaults.topLogprobs) || defaults.topLogprobs < 0 || defaults.topLogprobs > 20) {
      throw new PromptOptionsError(`top logprobs must be a whole number from 0 to 20, not ${defaults.topLogprobs}`);
    }
    request.topLogprobs = defaults.topLogprobs;
  }
  if (defaults.firstTokenTimeoutMs !== undefined) request.firstTokenTimeoutMs = defaults.firstTokenTimeoutMs;
  if (defaults.idleTimeoutMs !== undefined) request.idleTimeoutMs = defaults.idleTimeoutMs;
  if (defaults.maxLineBytes !== undefined) request.maxLineBytes = defaults.maxLineBytes;
  return request;
}
