import type { PromptAnalysis } from '../prompt/analyze';
import { CONFIG_FIELDS, FRONTMATTER_FIELDS, HELPERS, type FieldSpec } from '../prompt/fields';
import { typeLabel } from '../prompt/schema';
import { containsPosition, type Position, type Range } from '../text/positions';

export interface HoverInfo {
  /** Markdown. */
  markdown: string;
  range: Range;
}

/** Documentation for what is under the cursor: a schema name, a frontmatter key, a helper or a variable. */
export function hoverAt(analysis: PromptAnalysis, pos: Position, showPath: (file: string) => string = (f) => f): HoverInfo | undefined {
  return (
    schemaHover(analysis, pos, showPath) ??
    frontmatterHover(analysis, pos) ??
    helperHover(analysis, pos, showPath) ??
    variableHover(analysis, pos)
  );
}

function schemaHover(analysis: PromptAnalysis, pos: Position, showPath: (file: string) => string): HoverInfo | undefined {
  const ref = analysis.schemaRefs.find((r) => containsPosition(r.range, pos));
  if (!ref) return undefined;
  if (!ref.schema) {
    return {
      markdown: `**${ref.name}** — named schema, not found in this workspace. Dotprompt asks the app's schema registry for it (Genkit \`defineSchema\`); map it to a JSON Schema file in \`promptscope.schemas\` to check its fields.`,
      range: ref.range,
    };
  }
  const where = ref.schema.location;
  const lines = [
    `**${ref.name}** — named schema, defined with \`${where.form}\` in \`${showPath(where.file)}\`${where.form === 'promptscope.schemas' ? '' : ` line ${where.line + 1}`}`,
  ];
  const properties = ref.schema.jsonSchema?.['properties'];
  if (properties && typeof properties === 'object') {
    const fields = Object.entries(properties as Record<string, Record<string, unknown>>).map(
      ([name, prop]) => `- \`${name}\`: \`${typeLabel(prop)}\``,
    );
    if (fields.length > 0) lines.push('', ...fields);
  } else if (!ref.schema.jsonSchema) {
    lines.push('', 'Its fields are defined in code, so they are not checked here.');
  }
  return { markdown: lines.join('\n'), range: ref.range };
}

function frontmatterHover(analysis: PromptAnalysis, pos: Position): HoverInfo | undefined {
  for (const [path, where] of analysis.frontmatter.keys) {
    if (!containsPosition(where.key, pos)) continue;
    const spec = fieldSpec(path);
    if (spec)
      return {
        markdown: `**${path}** \`${spec.kind}\`\n\n${spec.doc}${spec.values ? `\n\nOne of: ${spec.values.map((v) => `\`${v}\``).join(', ')}` : ''}`,
        range: where.key,
      };
    const inputName = /^input\.schema\.(?:properties\.)?([^.?(]+)[?(]?[^.]*$/.exec(path)?.[1];
    const input = inputName ? analysis.inputs.declared?.get(inputName) : undefined;
    if (input) return { markdown: inputMarkdown(analysis, input.name), range: where.key };
    if (path.includes('.') && !FRONTMATTER_FIELDS[path.split('.')[0]!]) {
      return {
        markdown: `**${path}** — extension field: Dotprompt puts it in \`ext["${path.slice(0, path.lastIndexOf('.'))}"]\`.`,
        range: where.key,
      };
    }
    return undefined;
  }
  return undefined;
}

function fieldSpec(path: string): FieldSpec | undefined {
  const parts = path.split('.');
  if (parts.length === 1) return FRONTMATTER_FIELDS[parts[0]!];
  if (parts.length === 2 && parts[0] === 'config') return CONFIG_FIELDS[parts[1]!];
  if (parts.length === 2) return FRONTMATTER_FIELDS[parts[0]!]?.children?.[parts[1]!];
  return undefined;
}

function helperHover(analysis: PromptAnalysis, pos: Position, showPath: (file: string) => string): HoverInfo | undefined {
  const call = analysis.template.helpers.find((h) => containsPosition(h.range, pos));
  if (!call) return undefined;
  const spec = HELPERS[call.name];
  const where = analysis.registered.find((u) => u.registration.kind === 'helper' && u.range === call.range)?.registration;
  if (!spec && where)
    return {
      markdown: `**${call.name}** — helper registered with \`${where.form}\` in \`${showPath(where.file)}\` line ${where.line + 1}`,
      range: call.range,
    };
  if (!spec)
    return { markdown: `**${call.name}** — not a Dotprompt or Handlebars helper; the application must register it.`, range: call.range };
  const origin = spec.dotprompt ? 'Dotprompt helper' : 'Handlebars helper';
  return { markdown: `**${call.name}** — ${origin}\n\n\`\`\`handlebars\n${spec.signature}\n\`\`\`\n\n${spec.doc}`, range: call.range };
}

function variableHover(analysis: PromptAnalysis, pos: Position): HoverInfo | undefined {
  const ref = analysis.template.variables.find((v) => containsPosition(v.range, pos));
  if (!ref) return undefined;
  if (ref.data)
    return { markdown: `**${ref.original}** — data variable (\`@\`), set by Handlebars or passed as render context.`, range: ref.range };
  if (ref.scoped) return { markdown: `**${ref.original}** — a field of the current \`each\`/\`with\` context.`, range: ref.range };
  const input = analysis.inputs.declared?.get(ref.head);
  if (input) return { markdown: inputMarkdown(analysis, input.name), range: ref.range };
  return { markdown: `**${ref.original}** — not declared in \`input.schema\`.`, range: ref.range };
}

function inputMarkdown(analysis: PromptAnalysis, name: string): string {
  const input = analysis.inputs.declared!.get(name)!;
  const defaults = (analysis.frontmatter.data?.['input'] as { default?: Record<string, unknown> } | undefined)?.default;
  const lines = [`**${name}**: \`${input.type}\`${input.required ? '' : ' (optional)'}`];
  if (input.description) lines.push('', input.description);
  if (defaults && name in defaults) lines.push('', `Default: \`${JSON.stringify(defaults[name])}\``);
  return lines.join('\n');
}
