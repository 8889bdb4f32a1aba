import * as path from 'node:path';
import { LineIndex } from '../text/positions';
import { bracketParts } from './code-scan';

/** A schema name registered in application code, as Genkit's registry would get it. */
export interface SchemaDefinition {
  name: string;
  /** Zero-based position of the name in the file. */
  line: number;
  character: number;
  /** The call that registers it, e.g. `ai.defineSchema`, `genkit.DefineSchemaFor`. */
  form: string;
}

export type Language = 'js' | 'go' | 'python';

const LANGUAGES: Readonly<Record<string, Language>> = {
  '.ts': 'js',
  '.tsx': 'js',
  '.mts': 'js',
  '.cts': 'js',
  '.js': 'js',
  '.jsx': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  // Genkit for Dart spells it like JavaScript: `ai.defineSchema('Name', …)`.
  '.dart': 'js',
  '.go': 'go',
  '.py': 'python',
};

/** The Genkit SDK a source file is written for, by its extension. */
export function languageOf(fileName: string): Language | undefined {
  return LANGUAGES[path.extname(fileName).toLowerCase()];
}

/** File extensions that can hold schema definitions. */
export const DEFINITION_EXTENSIONS = Object.keys(LANGUAGES);

/** A quick test before the full scan: files without any of these cannot define a schema. */
export function mayDefineSchemas(text: string): boolean {
  return text.includes('efineSchema') || text.includes('efine_schema') || text.includes('efineJsonSchema');
}

const STRING = String.raw`(?:"([^"\\\n]+)"|'([^'\\\n]+)'|\x60([^\x60\\$\n]+)\x60)`;

/**
 * The registration calls of each Genkit SDK that give a schema a name a `.prompt` can use:
 * JS/TS `ai.defineSchema('Name', zod)` and `ai.defineJsonSchema('Name', json)` (Dart:
 * `ai.defineSchema('Name', …)`); Go `genkit.DefineSchema(g, "Name", …)` (and the older form
 * without `g`), `genkit.DefineSchemaFor[T](g)` and `genkit.DefineSchemasFor(g, A{}, &B{}, …)`, each
 * named after its Go type (reflection's `Type.Name()`: no package, pointers dereferenced); Python
 * `ai.define_schema('Name', Model)`.
 */
const PATTERNS: Readonly<Record<Language, readonly RegExp[]>> = {
  js: [new RegExp(String.raw`\b([A-Za-z_$][\w$]*)\s*\.\s*(defineSchema|defineJsonSchema)\s*\(\s*${STRING}`, 'g')],
  go: [
    new RegExp(String.raw`\b(\w+)\.(DefineSchema)\s*\(\s*(?:[\w.&]+\s*,\s*)?(?:"([^"\\\n]+)"|\x60([^\x60\n]+)\x60)`, 'g'),
    /\b(\w+)\.(DefineSchemaFor)\s*\[\s*\*?(?:\w+\.)*(\w+)\s*\]/g,
  ],
  python: [new RegExp(String.raw`\b(\w+)\.(define_schema)\s*\(\s*(?:name\s*=\s*)?${STRING}`, 'g')],
};

/** Finds the schema names a source file registers, with where each name is written. */
export function findSchemaDefinitions(text: string, fileName: string): SchemaDefinition[] {
  const language = languageOf(fileName);
  if (!language || !mayDefineSchemas(text)) return [];
  const lines = new LineIndex(text);
  const found: SchemaDefinition[] = [];
  for (const regex of PATTERNS[language]) {
    for (const m of text.matchAll(regex)) {
      const name = m.slice(3).find((g) => g !== undefined);
      if (!name) continue;
      const at = m.index + m[0].lastIndexOf(name);
      const pos = lines.positionAt(at);
      found.push({ name, line: pos.line, character: pos.character, form: `${m[1]}.${m[2]}` });
    }
  }
  if (language === 'go') found.push(...goSchemasFor(text, lines));
  return found.sort((a, b) => a.line - b.line || a.character - b.character);
}

/**
 * `genkit.DefineSchemasFor(g, A{}, &pkg.B{}, (*C)(nil), new(D))`: Genkit registers each value
 * under the name of its type with pointers removed, so the package qualifier is dropped. A value
 * held in a variable, or of a generic type, is not readable here and is not found.
 */
function goSchemasFor(text: string, lines: LineIndex): SchemaDefinition[] {
  const found: SchemaDefinition[] = [];
  for (const m of text.matchAll(/\b(\w+)\.DefineSchemasFor\s*\(/g)) {
    const args = bracketParts(text, m.index + m[0].length - 1) ?? [];
    for (const arg of args.slice(1)) {
      const value =
        /^&?\s*(?:\w+\.)*(\w+)\s*\{/d.exec(arg.text) ??
        /^\(\s*\*\s*(?:\w+\.)*(\w+)\s*\)\s*\(\s*nil\s*\)/d.exec(arg.text) ??
        /^new\s*\(\s*(?:\w+\.)*(\w+)\s*\)/d.exec(arg.text);
      const name = value?.[1];
      const at = value?.indices?.[1]?.[0];
      if (!name || at === undefined) continue;
      const pos = lines.positionAt(arg.start + at);
      found.push({ name, line: pos.line, character: pos.character, form: `${m[1]}.DefineSchemasFor` });
    }
  }
  return found;
}
