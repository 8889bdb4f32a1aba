/**
 * Named schemas: Dotprompt resolves a bare type name in a schema (`schema: Recipe`,
 * `author: Person`) through the application's schema registry (Genkit `defineSchema`). The
 * editor cannot run the application, so it looks the name up in what the workspace shows:
 * definitions found in code and JSON Schema files mapped in settings.
 */

import type { UnresolvedRef } from './refs';

/** Where a named schema is defined. */
export interface NamedSchemaLocation {
  /** Absolute path of the file that defines it. */
  file: string;
  /** Zero-based line and character of the name in that file (0:0 for a mapped JSON Schema file). */
  line: number;
  character: number;
  /** How it is defined, e.g. `ai.defineSchema`, `genkit.DefineSchemaFor`, `promptscope.schemas`. */
  form: string;
}

export interface NamedSchema {
  name: string;
  location: NamedSchemaLocation;
  /** The JSON Schema, when it is known (a mapped file); code definitions leave it undefined. */
  jsonSchema?: Record<string, unknown>;
  /** `$ref`s in the file that could not be inlined (their fields are not checked), with why. */
  unresolvedRefs?: UnresolvedRef[];
}

/** Looks a schema name up; undefined when the workspace does not define it. */
export type SchemaLookup = (name: string) => NamedSchema | undefined;

/**
 * Whether a Picoschema type that is not a JSON Schema scalar can be a schema name. Anything else
 * (`string[]`, `map<string>`) cannot be registered under that name by any app, so the library
 * fails on it for every app.
 */
export function isSchemaName(type: string): boolean {
  return /^[A-Za-z_][\w.-]*$/.test(type) && !type.endsWith('.');
}

/** The JSON Schema scalar types Picoschema accepts (dotprompt 1.1.2), which are never names. */
export const PICOSCHEMA_SCALARS = ['any', 'boolean', 'integer', 'null', 'number', 'string'] as const;
