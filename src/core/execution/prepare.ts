import { parseModelRef, type EndpointConfig, type ModelRef } from '../providers/endpoints';
import type { RunRequest } from '../providers/events';
import { buildRunRequest, type RunDefaults } from '../providers/request';
import type { PartialContext } from '../prompt/partials';
import { renderPrompt, type RenderedPrompt } from '../prompt/render';

/** Where runs are saved, relative to the workspace; the editor and the CLI share it. */
export const HISTORY_FOLDER = '.promptscope/runs';

export interface PrepareRunOptions {
  /** Prompt inputs; frontmatter defaults fill the rest. */
  input?: Record<string, unknown>;
  partials?: PartialContext;
  endpoints: readonly EndpointConfig[];
  /** An `endpoint/model` reference that replaces the frontmatter's `model`. */
  model?: string;
  defaults?: RunDefaults;
}

export interface PreparedRun {
  rendered: RenderedPrompt;
  ref: ModelRef;
  /** The reference as the user wrote it (`ollama/llama3.2`). */
  modelRef: string;
  request: RunRequest;
}

/**
 * The steps every run takes, for the editor and the CLI alike: render through the `dotprompt`
 * library, resolve the model reference against configured endpoints only, build the request.
 * Throws PromptRenderError, ModelRefError or PromptOptionsError with a specific message.
 */
export async function prepareRun(text: string, options: PrepareRunOptions): Promise<PreparedRun> {
  const rendered = await renderPrompt(text, {
    ...(options.input ? { input: options.input } : {}),
    ...(options.partials ? { partials: options.partials } : {}),
  });
  const modelRef = options.model ?? (typeof rendered.model === 'string' ? rendered.model : '');
  const ref = parseModelRef(modelRef, options.endpoints);
  const request = buildRunRequest(rendered as Parameters<typeof buildRunRequest>[0], ref.model, options.defaults ?? {});
  return { rendered, ref, modelRef, request };
}
