import type { EndpointKind } from '../providers/endpoints';
import type { RunRequest } from '../providers/events';

/**
 * The request that continues a run from a prefix: the output up to a chosen token, with the
 * alternative the user picked in its place.
 *
 * We use assistant prefill rather than rebuilding the model's chat template ourselves: the
 * original messages plus a final `model` message holding the prefix. Ollama continues a final
 * assistant message instead of starting a new one (and a raw request is plain text, so the
 * prefix is simply appended); vLLM needs `continue_final_message` with `add_generation_prompt`
 * off, which llama.cpp's server accepts as well. The model's own template therefore stays the
 * single source of truth for how turns are formatted.
 */
export function branchRequest(original: RunRequest, prefix: string, kind: EndpointKind): RunRequest {
  const messages = [...original.messages];
  const last = messages[messages.length - 1];
  if (last && last.role === 'model' && !original.raw) {
    // The prompt already ends in a model turn (a prefill of its own): extend it.
    const text = last.content.map((p) => ('text' in p && typeof p.text === 'string' ? p.text : '')).join('');
    messages[messages.length - 1] = { ...last, content: [{ text: text + prefix }] };
  } else {
    messages.push({ role: 'model', content: [{ text: prefix }] });
  }
  const request: RunRequest = { ...original, messages };
  if (kind === 'openai') request.config = { ...(original.config ?? {}), continueFinalMessage: true, addGenerationPrompt: false };
  return request;
}
