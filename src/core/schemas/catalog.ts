import type { SchemaDefinition } from './definitions';
import type { NamedSchema, SchemaLookup } from './named';
import { inlineLocalRefs } from './refs';

/** Upper bounds for reading a JSON Schema file mapped in settings. */
export const MAX_SCHEMA_FILE_BYTES = 1_000_000;

/**
 * The named schemas a workspace defines: names registered in code (by file, so a changed file
 * replaces its own entries) and JSON Schema files mapped by name. A mapped file wins, as it
 * carries the fields.
 */
export class SchemaCatalog {
  private readonly byFile = new Map<string, SchemaDefinition[]>();
  private mapped = new Map<string, NamedSchema>();

  setFile(file: string, definitions: SchemaDefinition[]): void {
    if (definitions.length > 0) this.byFile.set(file, definitions);
    else this.byFile.delete(file);
  }

  deleteFile(file: string): void {
    this.byFile.delete(file);
  }

  setMapped(schemas: readonly NamedSchema[]): void {
    this.mapped = new Map(schemas.map((s) => [s.name, s]));
  }

  readonly lookup: SchemaLookup = (name) => {
    const mapped = this.mapped.get(name);
    if (mapped) return mapped;
    for (const [file, definitions] of this.byFile) {
      const d = definitions.find((x) => x.name === name);
      if (d) return { name, location: { file, line: d.line, character: d.character, form: d.form } };
    }
    return undefined;
  };

  names(): string[] {
    const names = new Set(this.mapped.keys());
    for (const definitions of this.byFile.values()) for (const d of definitions) names.add(d.name);
    return [...names].sort();
  }

  get fileCount(): number {
    return this.byFile.size;
  }
}

/** Reads a mapped JSON Schema file's text; a clear reason when it is not a JSON Schema object. */
export function parseSchemaFile(name: string, file: string, text: string): NamedSchema | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { error: `${file} is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { error: `${file} does not hold a JSON Schema object.` };
  // Local `$ref`s are inlined here: pasted into a prompt's schema, `#/definitions/…` would point nowhere.
  const { schema, unresolved } = inlineLocalRefs(json as Record<string, unknown>);
  return {
    name,
    location: { file, line: 0, character: 0, form: 'promptscope.schemas' },
    jsonSchema: schema,
    ...(unresolved.length > 0 ? { unresolvedRefs: unresolved } : {}),
  };
}
