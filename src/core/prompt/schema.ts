import { picoschema } from 'dotprompt';
import { isSchemaName, type NamedSchema, type SchemaLookup } from '../schemas/named';

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
  /** Bare type names the schema uses (`schema: Recipe`), with what the workspace defines for each. */
  named: NamedSchemaUse[];
}

export interface NamedSchemaUse {
  name: string;
  /** Undefined when the workspace does not define it (the app may register it in code we cannot see). */
  schema?: NamedSchema;
}

type JsonSchema = Record<string, unknown>;

const CONTAINER_TYPES = new Set(['array', 'object']);

/**
 * Expands a Picoschema or JSON Schema through the `dotprompt` library and lists its top-level
 * inputs. Bare type names go to the library's schema resolver, as an app's registry would get
 * them: a name the workspace defines with a JSON Schema expands to it; any other name stands for
 * a schema the app registers (fields unknown, so the inputs are open). Types that cannot be a
 * name (`string[]`) fail as they do in every app.
 */
export async function describeSchema(schema: unknown, lookup?: SchemaLookup): Promise<InputSchemaFacts> {
  const named: NamedSchemaUse[] = [];
  if (schema === undefined || schema === null) return { open: true, named };
  let json: JsonSchema | null;
  try {
    json = (await picoschema(schema, {
      schemaResolver: (name: string) => {
        const found = lookup?.(name);
        // "array" and "object" read as names would go to the app's registry and fail there in every
        // app: Picoschema writes them as modifiers, `tags(array): string`, `address(object): {…}`.
        const container = !found && CONTAINER_TYPES.has(name);
        if (container || !isSchemaName(name)) throw new Error(`Picoschema: unsupported scalar type '${name}'.`);
        if (!named.some((n) => n.name === name)) named.push(found ? { name, schema: found } : { name });
        // A copy: the library adds `description` to what the resolver returns.
        return { ...(found?.jsonSchema ?? {}) };
      },
    })) as JsonSchema | null;
  } catch (err) {
    return { open: true, named, error: err instanceof Error ? err.message : String(err) };
  }
  if (!json) return { open: true, named };
  const properties = (json['properties'] ?? undefined) as Record<string, JsonSchema> | undefined;
  const required = new Set(Array.isArray(json['required']) ? (json['required'] as string[]) : []);
  const declared = new Map<string, DeclaredInput>();
  for (const [name, prop] of Object.entries(properties ?? {})) {
    const description = typeof prop['description'] === 'string' ? prop['description'] : undefined;
    declared.set(name, { name, type: typeLabel(prop), required: required.has(name), ...(description ? { description } : {}) });
  }
  const additional = json['additionalProperties'];
  const open = !properties || (additional !== undefined && additional !== false);
  return { declared, jsonSchema: json, open, named };
}

export function typeLabel(schema: JsonSchema): string {
  if (Array.isArray(schema['enum']))
    return (schema['enum'] as unknown[])
      .filter((v) => v !== null)
      .map((v) => JSON.stringify(v))
      .join(' | ');
  const type = schema['type'];
  const types = (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string' && t !== 'null');
  if (types[0] === 'array') {
    const items = schema['items'] as JsonSchema | undefined;
    return `${items ? typeLabel(items) : 'any'}[]`;
  }
  return types.join(' | ') || 'any';
}
