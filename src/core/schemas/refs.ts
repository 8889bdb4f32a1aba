/**
 * Local `$ref`s in a JSON Schema file (`#/definitions/Address`, `#/$defs/Address`): Dotprompt
 * pastes a named schema into the prompt's schema, where the file's `definitions` are no longer
 * at the root, so the file's references are inlined once, when the file is read. What cannot be
 * inlined is listed with the reason, never thrown.
 */

type Json = unknown;

/** A `$ref` that was left as written, and why. */
export interface UnresolvedRef {
  ref: string;
  reason: string;
}

/** Bounds, so a file whose references fan out cannot blow up in memory. */
const LIMITS = { expansions: 5_000, depth: 64 } as const;

/** The schema with its local references inlined (a recursive one stays a `$ref` where it recurs). */
export function inlineLocalRefs(root: Record<string, unknown>): { schema: Record<string, unknown>; unresolved: UnresolvedRef[] } {
  const unresolved: UnresolvedRef[] = [];
  const note = (ref: string, reason: string): void => {
    if (!unresolved.some((u) => u.ref === ref)) unresolved.push({ ref, reason });
  };
  let expansions = 0;

  const walk = (node: Json, expanding: readonly string[], depth: number): Json => {
    if (Array.isArray(node)) return node.map((item) => walk(item, expanding, depth + 1));
    if (node === null || typeof node !== 'object') return node;
    const object = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) {
      if (key === '$ref') continue;
      // Definitions are reached through their references; walking them on their own is wasted work.
      const walked = key === 'definitions' || key === '$defs' || depth > LIMITS.depth ? value : walk(value, expanding, depth + 1);
      // defineProperty: a `__proto__` key in the file is data, not the object's prototype.
      Object.defineProperty(out, key, { value: walked, enumerable: true, writable: true, configurable: true });
    }
    if (!('$ref' in object)) return out;
    const ref = object['$ref'];
    if (typeof ref !== 'string') {
      note(String(JSON.stringify(ref)), 'a $ref must be a string');
      return { ...out, $ref: ref };
    }
    // A recursive schema (a tree of nodes) stays a reference where it recurs: its fields are open there.
    if (expanding.includes(ref)) return { ...out, $ref: ref };
    if (!ref.startsWith('#')) {
      note(ref, 'only references inside the same file (#/…) are followed');
      return { ...out, $ref: ref };
    }
    if (++expansions > LIMITS.expansions || depth > LIMITS.depth) {
      note(ref, `more than ${LIMITS.expansions} references to inline`);
      return { ...out, $ref: ref };
    }
    const target = pointer(root, ref);
    if (target === undefined) {
      note(ref, 'the file has nothing at that path');
      return { ...out, $ref: ref };
    }
    const resolved = walk(target, [...expanding, ref], depth + 1);
    // Keywords beside the reference (a `description`) are kept; with a boolean schema only they are.
    return resolved !== null && typeof resolved === 'object' && !Array.isArray(resolved) ? { ...resolved, ...out } : out;
  };

  const schema = walk(root, ['#'], 0) as Record<string, unknown>;
  return { schema, unresolved };
}

/** Follows a JSON Pointer fragment (`#/definitions/a~1b`) from the root; undefined when nothing is there. */
function pointer(root: Json, ref: string): Json | undefined {
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    // A stray "%" cannot be a valid URI fragment: there is nothing to follow.
    return undefined;
  }
  if (fragment === '') return root;
  if (!fragment.startsWith('/')) return undefined; // `#Address`: a named anchor, which we do not index
  let node: Json = root;
  for (const raw of fragment.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
