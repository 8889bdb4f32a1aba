import * as path from 'node:path';
import { closest } from './frontmatter';
import type { FrontmatterFacts } from './frontmatter';
import type { PromptDiagnostic } from './diagnostic';
import type { InputSchemaFacts } from './schema';
import type { PromptLayout } from './source';
import { PICOSCHEMA_SCALARS, type NamedSchema } from '../schemas/named';
import type { Range } from '../text/positions';

/** One use of a schema name in the frontmatter (`schema: Recipe`, `author: Person`). */
export interface SchemaNameRef {
  name: string;
  range: Range;
  /** Which schema it appears in. */
  key: 'input.schema' | 'output.schema';
  /** What the workspace defines for it; undefined when nothing does. */
  schema?: NamedSchema;
}

/** Finds where each name the library looked up appears in the frontmatter text. */
export function schemaNameRefs(
  layout: PromptLayout,
  fm: FrontmatterFacts,
  key: SchemaNameRef['key'],
  facts: InputSchemaFacts,
): SchemaNameRef[] {
  const where = fm.keys.get(key)?.value;
  if (!where || facts.named.length === 0) return [];
  const start = layout.lines.offsetAt(where.start);
  const text = layout.text.slice(start, layout.lines.offsetAt(where.end));
  const refs: SchemaNameRef[] = [];
  for (const use of facts.named) {
    const escaped = use.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // A value position: after `:` or at the start of the value, never a key (`Recipe:`).
    const pattern = new RegExp(`(?<=^|:[ \\t]*|^[ \\t]*)${escaped}(?=[ \\t]*(?:[,}\\]]|$|#))`, 'gm');
    for (const m of text.matchAll(pattern)) {
      const range = layout.lines.range(start + m.index, start + m.index + use.name.length);
      refs.push(use.schema ? { name: use.name, range, key, schema: use.schema } : { name: use.name, range, key });
    }
  }
  return refs;
}

/**
 * A name the workspace does not define is not an error: the app may register it in code we
 * cannot see. A lowercase near miss of a Picoschema type is most likely a typo, so it warns.
 */
export function namedSchemaDiagnostics(refs: readonly SchemaNameRef[]): PromptDiagnostic[] {
  const out: PromptDiagnostic[] = [];
  const told = new Set<string>();
  for (const ref of refs) {
    if (ref.schema) {
      const unresolved = ref.schema.unresolvedRefs ?? [];
      // Once per name and schema: the same file's references are the same wherever it is used.
      if (unresolved.length === 0 || told.has(`${ref.key} ${ref.name}`)) continue;
      told.add(`${ref.key} ${ref.name}`);
      const list = unresolved.map((u) => `"${u.ref}" (${u.reason})`).join(', ');
      out.push({
        range: ref.range,
        severity: 'information',
        code: 'unresolved-schema-ref',
        message: `${ref.key}: "${ref.name}" comes from ${path.basename(ref.schema.location.file)}, where ${unresolved.length === 1 ? 'a $ref was' : `${unresolved.length} $refs were`} not resolved: ${list}. The fields behind ${unresolved.length === 1 ? 'it are' : 'them are'} not checked.`,
      });
      continue;
    }
    const typo = /^[a-z]/.test(ref.name) ? closest(ref.name, PICOSCHEMA_SCALARS) : undefined;
    if (typo) {
      out.push({
        range: ref.range,
        severity: 'warning',
        code: 'unknown-schema',
        message: `${ref.key}: "${ref.name}" is not a Picoschema type. Did you mean "${typo}"? (Dotprompt would look "${ref.name}" up as a schema the app registers, and nothing in this workspace defines it.)`,
        fix: { title: `Replace with ${typo}`, edits: [{ range: ref.range, newText: typo }] },
      });
      continue;
    }
    out.push({
      range: ref.range,
      severity: 'information',
      code: 'unknown-schema',
      message: `${ref.key}: "${ref.name}" is a named schema. Defined by the app in code? It was not found in this workspace (Genkit defineSchema, or a JSON Schema file mapped in promptscope.schemas), so its fields are not checked.`,
    });
  }
  return out;
}
