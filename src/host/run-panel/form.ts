import type { PromptAnalysis } from '../../core/prompt/analyze';
import { typeLabel } from '../../core/prompt/schema';
import { isJsonValue, type InputField, type JsonValue, type PromptForm } from '../../shared/protocol';

type JsonSchema = Record<string, unknown>;

const SIMPLE = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * The variables form for a prompt: one field per input of its JSON Schema (from the Picoschema,
 * through the `dotprompt` library), with `input.default` values. A prompt without a schema gets
 * a field per variable its template reads, as text (or JSON for lists and objects).
 */
export function formFor(analysis: PromptAnalysis, file: string, label: string): PromptForm {
  const input = analysis.frontmatter.data?.['input'];
  const rawDefaults = (typeof input === 'object' && input !== null ? (input as Record<string, unknown>)['default'] : undefined) ?? {};
  const defaults: Record<string, unknown> =
    typeof rawDefaults === 'object' && rawDefaults !== null && !Array.isArray(rawDefaults) ? (rawDefaults as Record<string, unknown>) : {};
  const schema = analysis.inputs.jsonSchema;
  const properties = schema?.['properties'] as Record<string, JsonSchema> | undefined;
  const form: PromptForm = { file, label, source: properties ? 'schema' : 'template', fields: [] };
  if (analysis.inputs.error) form.schemaError = analysis.inputs.error;
  if (properties) {
    const required = new Set(Array.isArray(schema?.['required']) ? (schema['required'] as string[]) : []);
    form.fields = Object.entries(properties).map(([name, prop]) =>
      withDefault(fieldFromSchema(name, prop, required.has(name)), defaults[name]),
    );
  } else {
    form.fields = fieldsFromTemplate(analysis).map((f) => withDefault(f, defaults[f.name]));
  }
  return form;
}

function withDefault(field: InputField, value: unknown): InputField {
  if (value !== undefined && isJsonValue(value)) field.default = value;
  return field;
}

function typesOf(schema: JsonSchema): string[] {
  const type = schema['type'];
  return (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string' && t !== 'null');
}

function fieldFromSchema(name: string, schema: JsonSchema, required: boolean): InputField {
  const field: InputField = { name, kind: 'json', type: typeLabel(schema), required };
  if (typeof schema['description'] === 'string') field.description = schema['description'];
  const options = schema['enum'];
  const types = typesOf(schema);
  if (Array.isArray(options)) {
    field.kind = 'enum';
    field.options = options.filter((o): o is JsonValue => o !== null && isJsonValue(o));
  } else if (types.length === 1 && SIMPLE.has(types[0]!)) {
    field.kind = types[0] as InputField['kind'];
  } else if (types.length === 1 && types[0] === 'array') {
    field.shape = 'array';
    const items = schema['items'] as JsonSchema | undefined;
    const itemTypes = items && !Array.isArray(items['enum']) ? typesOf(items) : [];
    const itemType = itemTypes.length === 1 ? itemTypes[0] : undefined;
    if (itemType !== undefined && SIMPLE.has(itemType)) field.items = itemType as NonNullable<InputField['items']>;
  } else if (types.length === 1 && types[0] === 'object') {
    field.shape = 'object';
  } else {
    field.shape = 'any';
  }
  return field;
}

/** Without a schema: the variables the template reads at its top level, in order of use. */
function fieldsFromTemplate(analysis: PromptAnalysis): InputField[] {
  const lists = new Set(analysis.template.blocks.filter((b) => b.name === 'each' && b.params[0]).map((b) => b.params[0]!.split('.')[0]!));
  const helpers = new Set(analysis.template.helpers.map((h) => h.name));
  const out = new Map<string, InputField>();
  for (const v of analysis.template.variables) {
    if (v.data || v.scoped || v.head === '' || helpers.has(v.head) || v.original.startsWith('../')) continue;
    const existing = out.get(v.head);
    const nested = v.original !== v.head;
    if (lists.has(v.head)) out.set(v.head, { name: v.head, kind: 'json', type: 'array', shape: 'array', required: false });
    else if (nested)
      out.set(v.head, {
        name: v.head,
        kind: 'json',
        type: 'object',
        shape: existing?.shape === 'array' ? 'array' : 'object',
        required: false,
      });
    else if (!existing) out.set(v.head, { name: v.head, kind: 'string', type: 'string', required: false });
  }
  return [...out.values()];
}
