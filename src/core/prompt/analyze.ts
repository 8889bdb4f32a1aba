import * as path from 'node:path';
import type { Range } from '../text/positions';
import type { PromptDiagnostic } from './diagnostic';
import { HELPERS, ROLES } from './fields';
import { analyzeFrontmatter, closest, type FrontmatterFacts } from './frontmatter';
import { isInside, resolvePartial, type PartialContext } from './partials';
import { namedSchemaDiagnostics, schemaNameRefs, type SchemaNameRef } from './named-refs';
import { describeSchema, type InputSchemaFacts } from './schema';
import { findSlips, GO_TEMPLATE_CODE } from './slips';
import type { SchemaLookup } from '../schemas/named';
import type { RegisteredUse, RegistrationLookup } from '../schemas/registrations';
import { layoutPrompt, templateTooLarge, type PromptLayout } from './source';
import { analyzeTemplate, type TemplateFacts } from './template';

export interface AnalysisOptions {
  /** Where partials come from; without it, partial references are not checked. */
  partials?: PartialContext;
  /** The absolute path of the file, used to report partial cycles through the file itself. */
  filePath?: string;
  /** Helpers the application registers (Dotprompt's `defineHelper`), so they are not flagged. */
  customHelpers?: readonly string[];
  /** Named schemas the workspace defines (code and mapped JSON Schema files). */
  schemas?: SchemaLookup;
  /** Helpers and partials the workspace's code registers (`defineHelper`, `definePartial`). */
  registered?: RegistrationLookup;
}

/** Everything known about one prompt text; language features read from it. */
export interface PromptAnalysis {
  layout: PromptLayout;
  frontmatter: FrontmatterFacts;
  template: TemplateFacts;
  inputs: InputSchemaFacts;
  /** Schema names used in `input.schema` and `output.schema`, with their definitions when found. */
  schemaRefs: SchemaNameRef[];
  /** Helpers and partials of the template that the workspace's code registers. */
  registered: RegisteredUse[];
  diagnostics: PromptDiagnostic[];
}

const MAX_PARTIAL_DEPTH = 32;

export async function analyzePrompt(text: string, options: AnalysisOptions = {}): Promise<PromptAnalysis> {
  const layout = layoutPrompt(text);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    return {
      layout,
      frontmatter: { keys: new Map(), diagnostics: [] },
      template: emptyTemplateFacts(),
      inputs: { open: true, named: [] },
      schemaRefs: [],
      registered: [],
      diagnostics: [
        {
          range: layout.lines.range(nul, nul + 1),
          severity: 'error',
          code: 'binary-content',
          message: 'This file contains binary data (a NUL byte); a .prompt file must be text. Nothing else was checked.',
        },
      ],
    };
  }
  const frontmatter = analyzeFrontmatter(layout);
  const tooLarge = templateTooLarge(layout);
  const template = tooLarge ? emptyTemplateFacts() : analyzeTemplate(layout);
  const diagnostics: PromptDiagnostic[] = [...frontmatter.diagnostics];
  const ownFrontmatter = partialFrontmatter(layout, options.filePath);
  if (ownFrontmatter) diagnostics.push(ownFrontmatter);

  const replacement = text.indexOf('\uFFFD');
  if (replacement >= 0) {
    diagnostics.push({
      range: layout.lines.range(replacement, replacement + 1),
      severity: 'warning',
      code: 'replacement-character',
      message:
        'This file contains U+FFFD replacement characters: it was probably not valid UTF-8 when it was read, and the original bytes are lost.',
    });
  }

  const data = frontmatter.data;
  const inputSection = (data?.['input'] ?? undefined) as Record<string, unknown> | undefined;
  const inputs = await describeSchema(inputSection?.['schema'], options.schemas);
  if (inputs.error) diagnostics.push(schemaDiagnostic(inputs.error, 'input.schema', frontmatter, layout));
  const outputSection = (data?.['output'] ?? undefined) as Record<string, unknown> | undefined;
  const outputs = await describeSchema(outputSection?.['schema'], options.schemas);
  if (outputs.error) diagnostics.push(schemaDiagnostic(outputs.error, 'output.schema', frontmatter, layout));
  const schemaRefs = [
    ...schemaNameRefs(layout, frontmatter, 'input.schema', inputs),
    ...schemaNameRefs(layout, frontmatter, 'output.schema', outputs),
  ];
  diagnostics.push(...namedSchemaDiagnostics(schemaRefs));

  if (tooLarge) {
    diagnostics.push({
      range: layout.lines.range(layout.bodyStart, layout.bodyStart),
      severity: 'information',
      code: 'template-too-large',
      message: `${tooLarge} Template checks, formatting and outline are skipped to keep the editor responsive; the frontmatter was checked.`,
    });
    return { layout, frontmatter, template, inputs, schemaRefs, registered: [], diagnostics };
  }
  // Text-level slips are found even when the template does not parse (one half of a Jinja
  // `{% if %}…{% endif %}` pair fixed leaves an unclosed block until the other half is).
  const slips = findSlips(layout, template, inputs);
  diagnostics.push(...slips);
  // In a Go template, what Handlebars makes of `{{range .Items}}` or `{{end}}` is no variable.
  const goTemplate = slips.some((d) => d.code === GO_TEMPLATE_CODE);
  if (template.error) {
    const { range, code, message, related } = template.error;
    diagnostics.push({ range, severity: 'error', code, message, ...(related ? { related } : {}) });
  }

  // With a syntax error, the facts come from the template with the broken mustaches blanked out
  // (see salvage.ts): what they use is unknown, so "never used" findings would be false alarms.
  const registered: RegisteredUse[] = [];
  checkHelpers(template, options, inputs, diagnostics, registered);
  const partialHeads = checkPartials(template, options, diagnostics, registered);
  if (!goTemplate) checkVariables(template, inputs, frontmatter, partialHeads, diagnostics, !template.error);
  return { layout, frontmatter, template, inputs, schemaRefs, registered, diagnostics };
}

/**
 * A partial (`_name.prompt`) is registered with its whole text, so a frontmatter in it is pasted
 * into every prompt that includes it and sent to the model as text. Marked on the partial's own
 * opening fence, with a fix that removes the frontmatter.
 */
function partialFrontmatter(layout: PromptLayout, filePath: string | undefined): PromptDiagnostic | undefined {
  const fm = layout.frontmatter;
  if (!fm || !filePath || !/^_.+\.prompt$/i.test(path.basename(filePath))) return undefined;
  const lastLine = layout.lines.positionAt(fm.closeStart).line + 1;
  return {
    range: layout.lines.range(fm.openStart, fm.openStart + 3),
    severity: 'warning',
    code: 'partial-frontmatter',
    message: `This is a partial (${path.basename(filePath)}): partials are pasted in as they are, so this frontmatter (lines ${layout.lines.positionAt(fm.openStart).line + 1}–${lastLine}) is sent to the model as text in every prompt that includes it. Put these settings in the prompts instead.`,
    fix: {
      title: 'Remove the frontmatter from this partial',
      edits: [{ range: layout.lines.range(fm.openStart, fm.closeEnd), newText: '' }],
    },
  };
}

function emptyTemplateFacts(): TemplateFacts {
  return { variables: [], helpers: [], partials: [], blocks: [], markers: [], comments: [] };
}

function schemaDiagnostic(message: string, key: string, fm: FrontmatterFacts, layout: PromptLayout): PromptDiagnostic {
  const where = fm.keys.get(key);
  let range: Range = where?.value ?? where?.key ?? layout.lines.range(0, 0);
  // Point at the offending type name when the message quotes it ("unsupported scalar type 'strin'").
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (quoted && where?.value && layout.frontmatter) {
    const start = layout.lines.offsetAt(where.value.start);
    const end = layout.lines.offsetAt(where.value.end);
    const found = new RegExp(`(?<![\\w-])${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).exec(layout.text.slice(start, end));
    if (found) range = layout.lines.range(start + found.index, start + found.index + quoted.length);
  }
  const arrayHint = quoted?.endsWith('[]')
    ? ` Picoschema has no "${quoted}" shorthand: write \`name(array): ${quoted.slice(0, -2)}\`.`
    : quoted === 'array' || quoted === 'object'
      ? ` In Picoschema "${quoted}" is written on the field: \`name(${quoted}): ${quoted === 'array' ? 'itemType' : '{…}'}\` (JSON Schema's type/items only at the top of a schema).`
      : '';
  return { range, severity: 'error', code: 'invalid-schema', message: `${key}: ${message}${arrayHint}` };
}

function checkHelpers(
  template: TemplateFacts,
  options: AnalysisOptions,
  inputs: InputSchemaFacts,
  out: PromptDiagnostic[],
  registered: RegisteredUse[],
): void {
  const custom = new Set(options.customHelpers ?? []);
  const known = [...Object.keys(HELPERS), ...custom];
  for (const call of template.helpers) {
    if (HELPERS[call.name]) continue;
    const registration = options.registered?.helper(call.name);
    if (registration) registered.push({ range: call.range, registration });
    if (registration || custom.has(call.name)) continue;
    // A section over an input (`{{#items}}…{{/items}}`), or over what an open schema may pass.
    if (call.section && (inputs.open || inputs.declared?.has(call.name))) continue;
    const suggestion = closest(call.name, known);
    out.push({
      range: call.range,
      severity: 'warning',
      code: 'unknown-helper',
      message: `Unknown helper "${call.name}": Dotprompt renders with known helpers only, so this fails unless the application registers it with defineHelper.${suggestion ? ` Did you mean "${suggestion}"?` : ' List it in the promptscope.customHelpers setting if your application provides it.'}`,
      ...(suggestion ? { fix: { title: `Replace with ${suggestion}`, edits: [{ range: call.range, newText: suggestion }] } } : {}),
    });
  }
  for (const marker of template.markers) {
    if (marker.kind === 'role' && marker.label && !(ROLES as readonly string[]).includes(marker.label)) {
      const hint = marker.label === 'assistant' ? ' Dotprompt calls the assistant role "model".' : '';
      out.push({
        range: marker.range,
        severity: 'warning',
        code: 'unknown-role',
        message: `Unknown role "${marker.label}": use system, user, model or tool.${hint}`,
      });
    }
  }
}

/** Checks partial references and returns the variable heads the partials use. */
function checkPartials(
  template: TemplateFacts,
  options: AnalysisOptions,
  out: PromptDiagnostic[],
  registered: RegisteredUse[],
): Set<string> {
  const heads = new Set<string>();
  const ctx = options.partials;
  if (!ctx) return heads;
  const selfPath = options.filePath ? path.resolve(options.filePath) : undefined;
  const cache = new Map<string, TemplateFacts>();
  const factsOf = (file: string, source: string): TemplateFacts => {
    let facts = cache.get(file);
    if (!facts) {
      facts = analyzeTemplate(layoutPrompt(source));
      cache.set(file, facts);
    }
    return facts;
  };
  // Depth-first walk from each reference; `chain` holds the files on the current path.
  const findCycle = (file: string, source: string, chain: string[]): string[] | undefined => {
    if (chain.length > MAX_PARTIAL_DEPTH) return undefined;
    const facts = factsOf(file, source);
    for (const v of facts.variables) if (!v.scoped && !v.data) heads.add(v.head);
    for (const ref of facts.partials) {
      if (ref.dynamic) continue;
      const res = resolvePartial(ref.name, { ...ctx, promptDir: path.dirname(file) });
      if (res.kind !== 'found') continue;
      if (chain.includes(res.path)) return [...chain, res.path];
      const cycle = findCycle(res.path, res.source, [...chain, res.path]);
      if (cycle) return cycle;
    }
    return undefined;
  };
  for (const ref of template.partials) {
    if (ref.dynamic) continue;
    const res = resolvePartial(ref.name, ctx);
    if (res.kind === 'outside') {
      const promptOutside = !isInside(path.resolve(ctx.workspaceRoot), path.resolve(ctx.promptDir));
      const why = promptOutside
        ? ` This prompt itself is outside the workspace ${ctx.workspaceRoot}; open its folder as the workspace (CLI: --workspace).`
        : '';
      out.push({
        range: ref.range,
        severity: 'error',
        code: 'partial-outside-workspace',
        message: `Partial "${ref.name}" points outside the workspace (${res.path}); partials are only read from inside the workspace.${why}`,
      });
    } else if (res.kind === 'missing') {
      if (ref.local) continue; // an inline partial, or a partial block's own fallback content
      // Registered in code (`definePartial`): Genkit has it, though no file holds it.
      const registration = options.registered?.partial(ref.name);
      if (registration) {
        registered.push({ range: ref.range, registration });
        continue;
      }
      const shown = res.tried.map((p) => path.relative(ctx.workspaceRoot, p) || p).join(', ');
      // Genkit registers `_name.prompt` as "name": the underscore is not part of the name.
      const bare = ref.name.replace(/^_+/, '');
      const underscore =
        bare !== ref.name && resolvePartial(bare, ctx).kind === 'found'
          ? ` The partial is named "${bare}" (the file's leading underscore is not part of its name): write {{> ${bare}}}.`
          : '';
      out.push({
        range: ref.range,
        severity: 'warning',
        code: 'missing-partial',
        message: `Partial "${ref.name}" was not found (looked for ${shown}). Rendering will fail unless the application registers it.${underscore}`,
      });
    } else {
      const partialLayout = layoutPrompt(res.source);
      if (partialLayout.frontmatter) {
        const line = partialLayout.lines.positionAt(partialLayout.frontmatter.closeStart).line + 1;
        out.push({
          range: ref.range,
          severity: 'warning',
          code: 'partial-frontmatter',
          message: `Partial "${ref.name}" (${path.basename(res.path)}) starts with a frontmatter (lines 1–${line}): partials are pasted in as they are, so its YAML is sent to the model as text. Move those settings into this prompt.`,
        });
      }
      const start = selfPath ? [selfPath, res.path] : [res.path];
      if (selfPath === res.path) {
        out.push({
          range: ref.range,
          severity: 'error',
          code: 'partial-cycle',
          message: `Partial "${ref.name}" includes this file itself, which would recurse forever.`,
        });
        continue;
      }
      const cycle = findCycle(res.path, res.source, start);
      if (cycle) {
        const names = cycle.map((p) => path.basename(p, '.prompt').replace(/^_/, ''));
        out.push({
          range: ref.range,
          severity: 'error',
          code: 'partial-cycle',
          message: `Partial cycle: ${names.join(' → ')}. Rendering would recurse forever.`,
        });
      }
    }
  }
  return heads;
}

function checkVariables(
  template: TemplateFacts,
  inputs: InputSchemaFacts,
  fm: FrontmatterFacts,
  partialHeads: Set<string>,
  out: PromptDiagnostic[],
  reportUnused: boolean,
): void {
  const declared = inputs.declared;
  if (!declared) return;
  const defaults = ((fm.data?.['input'] as Record<string, unknown> | undefined)?.['default'] ?? {}) as Record<string, unknown>;
  const used = new Set<string>(partialHeads);
  let usesWholeContext = false;
  for (const v of template.variables) {
    if (v.data) {
      if (declared.has(v.head) && !DATA_VARIABLES.has(v.head)) {
        const plain = v.original.replace(/^@/, '');
        out.push({
          range: v.range,
          severity: 'warning',
          code: 'undefined-variable',
          message: `"${v.original}" is a data variable (render context), not the input "${v.head}": it renders empty unless the app passes that context. Write {{${plain}}}.`,
          fix: { title: `Replace with ${plain}`, edits: [{ range: v.range, newText: plain }] },
        });
      }
      continue;
    }
    if (!v.scoped) used.add(v.head);
    // A section over an undeclared name is reported once, as an unknown helper.
    if (v.section) continue;
    if (v.head === '' && !v.scoped) usesWholeContext = true;
    if (v.scoped || v.head === '' || declared.has(v.head) || inputs.open || v.head in defaults) continue;
    const suggestion = nearMiss(v.original, declared) ?? closest(v.head, [...declared.keys()]);
    const rest = v.original
      .replace(/^[$%&]+/, '')
      .replace(/^input\./, '')
      .split('.')
      .slice(1);
    const fixed = suggestion ? [suggestion, ...rest].join('.') : undefined;
    out.push({
      range: v.range,
      severity: 'warning',
      code: 'undefined-variable',
      message: `"${v.head}" is not declared in input.schema.${suggestion ? ` Did you mean "${suggestion}"?` : ' Declare it, or it will render as empty.'}`,
      ...(suggestion && fixed ? { fix: { title: `Replace with ${fixed}`, edits: [{ range: v.range, newText: fixed }] } } : {}),
    });
  }
  if (usesWholeContext || !reportUnused) return;
  for (const input of declared.values()) {
    if (used.has(input.name)) continue;
    const where = fm.keys.get(`input.schema.${input.name}`) ?? findSchemaKey(fm, input.name);
    if (!where) continue;
    out.push({
      range: where.key,
      severity: 'warning',
      code: 'unused-input',
      message: `Input "${input.name}" is declared but the template never uses it.`,
    });
  }
}

/** Handlebars' own data variables and the ones Dotprompt and Genkit pass (`@state`, `@auth`, …). */
const DATA_VARIABLES = new Set(['root', 'index', 'key', 'first', 'last', 'level', 'metadata', 'state', 'auth', 'partial-block']);

/** A declared input that `written` misses by a sigil or prefix: `$name`, `input.name`, `Name`. */
function nearMiss(written: string, declared: Map<string, unknown>): string | undefined {
  const bare =
    written
      .replace(/^[$%&]+/, '')
      .replace(/^input\./, '')
      .split('.')[0] ?? '';
  if (declared.has(bare)) return bare;
  return [...declared.keys()].find((k) => k.toLowerCase() === bare.toLowerCase());
}

function findSchemaKey(fm: FrontmatterFacts, name: string): { key: Range } | undefined {
  for (const [key, value] of fm.keys) {
    for (const prefix of ['input.schema.', 'input.schema.properties.']) {
      const rest = key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
      if (rest !== undefined && !rest.includes('.') && rest.replace(/[?(].*$/, '') === name) return value;
    }
  }
  return undefined;
}
