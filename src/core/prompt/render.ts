import { Dotprompt, type DataArgument, type JSONSchema, type Message, type ParsedPrompt, type ToolDefinition } from 'dotprompt';
import { resolvePartial, type PartialContext } from './partials';
import { librarySource, layoutPrompt, templateTooComplex } from './source';
import { analyzePrompt } from './analyze';

export interface RenderRequest {
  /** Input values; frontmatter `input.default` fills the ones not given. */
  input?: Record<string, unknown>;
  /** Conversation history for `{{history}}`. */
  messages?: Message[];
  /** Documents, available to the template as `@metadata.docs`. */
  docs?: DataArgument['docs'];
  /** `@` variables (`{{@state.x}}`). */
  context?: Record<string, unknown>;
  /** Options passed to the library's render (e.g. `input.default` overrides). */
  options?: Record<string, unknown>;
  /** Partials from files, resolved inside the workspace. */
  partials?: PartialContext;
  /** Partials given by name, as an application's `definePartial` would. */
  namedPartials?: Record<string, string>;
  /** Partials offered through the library's partial resolver. */
  resolverPartials?: Record<string, string>;
  schemas?: Record<string, JSONSchema>;
  tools?: Record<string, ToolDefinition>;
}

export type RenderedPrompt = Awaited<ReturnType<Dotprompt['render']>>;

export class PromptRenderError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'PromptRenderError';
  }
}

/**
 * Renders a prompt with the `dotprompt` library. We only prepare its inputs: the leading
 * comment header current Dotprompt tooling allows is removed, frontmatter defaults are passed
 * as `input.default` (the library's render does not apply them itself), and partials resolve
 * inside the workspace.
 */
// Template syntax errors are reported from the analysis too: Handlebars' own parse errors span
// several lines and count lines from the end of the frontmatter.
const BLOCKING_CODES = new Set([
  'invalid-yaml',
  'frontmatter-not-a-map',
  'binary-content',
  'partial-cycle',
  'partial-outside-workspace',
  'handlebars-syntax',
  'unclosed-block',
  'mismatched-block',
]);

export async function renderPrompt(text: string, request: RenderRequest = {}): Promise<RenderedPrompt> {
  const render = await compilePrompt(text, request);
  return render(request);
}

/** What changes from one render of a compiled prompt to the next. */
export type RenderData = Pick<RenderRequest, 'input' | 'messages' | 'context' | 'docs'>;

/**
 * Checks, parses and compiles a prompt once and returns a function that renders it with new
 * data — what a dataset export needs for thousands of rows (one Handlebars environment and one
 * compiled template for all of them, instead of one per row). Throws PromptRenderError when the
 * prompt itself cannot render; the returned function throws it with code 'render-failed' when
 * the data make the render fail.
 */
export async function compilePrompt(
  text: string,
  request: Omit<RenderRequest, keyof RenderData> = {},
): Promise<(data: RenderData) => Promise<RenderedPrompt>> {
  const layout = layoutPrompt(text);
  const source = librarySource(layout);
  const ctx = request.partials;
  // Handlebars' compiler hangs or runs out of memory on these (e.g. 400,000 mustaches, or blocks
  // nested 20,000 deep); refuse them rather than take the extension host down.
  const tooComplex = templateTooComplex(layout);
  if (tooComplex)
    throw new PromptRenderError(
      `${tooComplex} It is not rendered: Handlebars would take too long or run out of memory.`,
      'template-too-large',
    );
  // Refuse what the library would mishandle: it logs and renders the whole file as text when
  // the YAML is bad, and recurses forever on a partial cycle.
  const analysis = await analyzePrompt(text, ctx ? { partials: ctx } : {});
  const blocking = analysis.diagnostics.find((d) => BLOCKING_CODES.has(d.code));
  if (blocking) throw new PromptRenderError(`Line ${blocking.range.start.line + 1}: ${blocking.message}`, blocking.code);
  const env = new Dotprompt({
    ...(request.schemas ? { schemas: request.schemas } : {}),
    ...(request.tools ? { tools: request.tools } : {}),
    partialResolver: (name: string) => {
      const given = request.resolverPartials?.[name];
      if (given !== undefined) return given;
      if (!ctx) return null;
      const found = resolvePartial(name, ctx);
      return found.kind === 'found' ? found.source : null;
    },
  });
  isolateHandlebars(env);
  for (const [name, partial] of Object.entries(request.namedPartials ?? {})) env.definePartial(name, partial);

  // Without a frontmatter fence pair the library would still try its frontmatter regex, which
  // backtracks quadratically on a `---` line followed by many blank lines. Its result in that
  // case is fixed (no metadata, the whole source as the template), so we build it ourselves.
  const parsed: ParsedPrompt = layout.frontmatter ? env.parse(source) : { ext: {}, metadata: {}, config: {}, template: source };
  const frontmatterDefaults = ((parsed.input as { default?: Record<string, unknown> } | undefined)?.default ?? {}) as Record<
    string,
    unknown
  >;
  const options = { ...(request.options ?? {}) } as Record<string, unknown> & { input?: { default?: Record<string, unknown> } };
  const optionDefaults = options.input?.default ?? {};
  const defaults = { ...frontmatterDefaults, ...optionDefaults };
  if (Object.keys(defaults).length > 0) options.input = { ...(options.input ?? {}), default: defaults };

  const renderer = await env.compile(parsed).catch((err: unknown) => {
    throw new PromptRenderError(describeRenderFailure(err), 'render-failed');
  });
  return async (given: RenderData): Promise<RenderedPrompt> => {
    const data: DataArgument = {
      ...(given.input ? { input: given.input } : {}),
      ...(given.messages ? { messages: given.messages } : {}),
      ...(given.context ? { context: given.context } : {}),
      ...(given.docs ? { docs: given.docs } : {}),
    };
    try {
      return await renderer(data, options as Parameters<typeof renderer>[1]);
    } catch (err) {
      throw new PromptRenderError(describeRenderFailure(err), 'render-failed');
    }
  };
}

/** The parts of a `Dotprompt` instance that hold its Handlebars environment (private in 1.1.2). */
interface DotpromptInternals {
  handlebars?: { create?: () => HandlebarsEnvironment; helpers?: Record<string, unknown>; Visitor?: unknown };
  knownHelpers?: Record<string, boolean>;
}
interface HandlebarsEnvironment {
  registerHelper(name: string, fn: unknown): void;
  Visitor?: unknown;
}

/**
 * `dotprompt` 1.1.2 builds every instance on `Handlebars.noConflict()`, which is one shared
 * environment: a partial resolved for one file (and never re-resolved once registered) or a
 * helper defined for one would satisfy the next file's `{{> name}}` or call. Each render gets a
 * fresh environment holding only Dotprompt's own helpers.
 */
function isolateHandlebars(env: Dotprompt): void {
  const internals = env as unknown as DotpromptInternals;
  const shared = internals.handlebars;
  if (!shared?.create || !shared.helpers || !internals.knownHelpers) {
    throw new PromptRenderError(
      'This version of the dotprompt library keeps its Handlebars environment differently; rendering is refused rather than let prompts share partials.',
      'render-failed',
    );
  }
  const fresh = shared.create();
  // The library walks templates with `handlebars.Visitor`, which only the top-level export carries.
  fresh.Visitor ??= shared.Visitor;
  for (const name of Object.keys(internals.knownHelpers)) fresh.registerHelper(name, shared.helpers[name]);
  (internals as { handlebars: unknown }).handlebars = fresh;
}

function describeRenderFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const unknownHelper = /unknown helper (\S+)/.exec(message);
  if (unknownHelper)
    return `The template calls the helper "${unknownHelper[1]}", which is not registered. Dotprompt renders with known helpers only.`;
  const missingPartial = /The partial (\S+) could not be found/.exec(message);
  if (missingPartial) return `The partial "${missingPartial[1]}" could not be found.`;
  if (err instanceof RangeError)
    return `Rendering recursed too deeply (${message}). Check for partials or helpers that include themselves.`;
  return `Rendering failed: ${message}`;
}
