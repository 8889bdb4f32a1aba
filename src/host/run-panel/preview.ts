import type { Part } from 'dotprompt';
import { buildRunRequest, displayUrl, parseModelRef, type EndpointConfig, type RunDefaults } from '../../core/providers';
import type { PartialContext } from '../../core/prompt/partials';
import { renderPrompt } from '../../core/prompt/render';
import {
  isJsonValue,
  isStringRecord,
  type JsonValue,
  type PreviewPart,
  type PreviewTurn,
  type PromptPreview,
  type RunSent,
} from '../../shared/protocol';
import type { RunHeader } from '../../core/runs/record';
import { errorMessage } from '../../core/errors';

export interface PreviewOptions {
  input: Record<string, unknown>;
  partials?: PartialContext;
  endpoints: readonly EndpointConfig[];
  defaults: RunDefaults;
  /** The template has a `{{history}}` marker. */
  usesHistory: boolean;
  /** The model chosen outside the file (in the panel, the status bar or by default), instead of its `model:`. */
  model?: string;
}

/** The preview shows this much of any one text part; a run sends all of it. */
const MAX_TEXT = 20_000;
const MAX_URL = 240;

/**
 * What a run of `text` would send: the messages rendered by the `dotprompt` library, the model
 * resolved against the configured endpoints, the config and run options. No model is called.
 */
export async function previewPrompt(text: string, options: PreviewOptions): Promise<PromptPreview> {
  const notes: string[] = [];
  let rendered;
  try {
    rendered = await renderPrompt(text, { input: options.input, ...(options.partials ? { partials: options.partials } : {}) });
  } catch (err) {
    return { ok: false, error: errorMessage(err), turns: [], notes };
  }
  const preview: PromptPreview = { ok: true, turns: rendered.messages.map(turnOf), notes };
  if (options.usesHistory) notes.push('{{history}} is empty here: a run from the editor sends no earlier turns.');
  const ref = options.model ?? (typeof rendered.model === 'string' ? rendered.model : '');
  let model: string | undefined;
  try {
    const resolved = parseModelRef(ref, options.endpoints);
    model = resolved.model;
    preview.model = {
      ref,
      endpoint: resolved.endpoint.name,
      kind: resolved.endpoint.kind,
      url: displayUrl(resolved.endpoint.url),
      name: resolved.model,
    };
  } catch (err) {
    preview.model = { ref, error: errorMessage(err) };
  }
  try {
    const request = buildRunRequest(rendered as Parameters<typeof buildRunRequest>[0], model ?? ref, options.defaults);
    if (request.config) preview.config = jsonRecord(request.config);
    const run: Record<string, unknown> = {};
    if (request.topLogprobs !== undefined) run['topLogprobs'] = request.topLogprobs;
    if (request.think !== undefined) run['think'] = request.think;
    if (request.raw) run['raw'] = true;
    if (request.keepAlive !== undefined) run['keepAlive'] = request.keepAlive;
    preview.options = jsonRecord(run);
  } catch (err) {
    notes.push(errorMessage(err));
  }
  return preview;
}

export function turnOf(message: { role: string; content: Part[]; metadata?: Record<string, unknown> }): PreviewTurn {
  const purpose = message.metadata?.['purpose'];
  return { role: message.role, ...(typeof purpose === 'string' ? { purpose } : {}), parts: message.content.map(partOf) };
}

function partOf(part: Part): PreviewPart {
  if (typeof part.text === 'string') {
    const text =
      part.text.length > MAX_TEXT ? `${part.text.slice(0, MAX_TEXT)}… (${part.text.length - MAX_TEXT} more characters)` : part.text;
    return { kind: 'text', text };
  }
  if (part.media) {
    const url = part.media.url.length > MAX_URL ? `${part.media.url.slice(0, MAX_URL)}…` : part.media.url;
    return { kind: 'media', url, ...(part.media.contentType ? { contentType: part.media.contentType } : {}) };
  }
  const metadata = part.metadata as Record<string, unknown> | undefined;
  if (metadata?.['pending'] === true)
    return { kind: 'section', name: typeof metadata['purpose'] === 'string' ? metadata['purpose'] : 'pending' };
  const json = JSON.stringify(part);
  return { kind: 'data', json: json.length > MAX_TEXT ? `${json.slice(0, MAX_TEXT)}…` : json };
}

/** Keeps what is plain JSON (config comes from an untrusted frontmatter). */
function jsonRecord(v: object): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, x] of Object.entries(v)) if (isJsonValue(x)) out[k] = x;
  return out;
}

/** What a saved run sent, from its history record: its inputs and the rendered messages. */
export function sentOf(header: Pick<RunHeader, 'id' | 'inputs' | 'request'>): RunSent {
  const inputs = header.inputs;
  return {
    runId: header.id,
    ...(isStringRecord(inputs, (x) => isJsonValue(x)) ? { inputs: inputs as Record<string, JsonValue> } : {}),
    turns: header.request.messages.map(turnOf),
  };
}
