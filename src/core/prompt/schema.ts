import { picoschema } from 'dotprompt';

export interface DeclaredInput {
  name: string;
  /** A short type label, e.g. `string`, `integer[]`, `object`, `"a" | "b"`. */
  type: string;
  description?: string;
  required: boolean;
}

export interface InputSchemaFacts {
  /** Undefined when the frontmatter declares no input schema. */
  declared?: Map<string, DeclaredInput>;
  /** JSON Schema produced by the `dotprompt` library from the Picoschema. */
  jsonSchema?: Record<string, unknown>;
  /** Whether the schema allows keys it does not name (`(*)` wildcard, or no `properties`). */
  open: boolean;
  error?: string;
}

type JsonSchema = Record<string, unknown>;

/** Expands a Picoschema or JSON Schema through the `dotprompt` library and lists its top-level inputs. */
export async function describeSchema(schema: unknown): Promise<InputSchemaFacts> {
  if (schema === undefined || schema === null) return { open: true };
  let json: JsonSchema | null;
  try {
    json = (await picoschema(schema)) as JsonSchema | null;
  } catch (err) {
    return { open: true, error: err instanceof Error ? err.message : String(err) };
  }
  if (!json) return { open: true };
  const properties = (json['properties'] ?? undefined) as Record<string, JsonSchema> | undefined;
  const required = new Set(Array.isArray(json['required']) ? (json['required'] as string[]) : []);
  const declared = new Map<string, DeclaredInput>();
  for (const [name, prop] of Object.entries(properties ?? {})) {
    const description = typeof prop['description'] === 'string' ? prop['description'] : undefined;
    declared.set(name, { name, type: typeLabel(prop), required: required.has(name), ...(description ? { description } : {}) });
  }
  const additional = json['additionalProperties'];
  const open = !properties || (additional !== undefined && additional !== false);
  return { declared, jsonSchema: json, open };
}

export function typeLabel(schema: JsonSchema): string {
  if (Array.isArray(schema['enum'])) return (schema['enum'] as unknown[]).filter((v) => v !== null).map((v) => JSON.stringify(v)).join(' | ');
  const type = schema['type'];
  const types = (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string' && t !== 'null');
  if (types[0] === 'array') {
    const items = schema['items'] as JsonSchema | undefined;
    return `${items ? typeLabel(items) : 'any'}[]`;
  }
  return types.join(' | ') || 'any';
}
