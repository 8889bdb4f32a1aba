/**
 * A JSON Schema validator for the subset the `dotprompt` library's Picoschema produces: `type`
 * (a name or a list, including "null" for optional fields), `properties`, `required`,
 * `additionalProperties` (false, true or a schema), `items`, `enum` and the empty schema (any).
 * Keywords outside that subset are ignored rather than guessed at. Errors name the JSON path.
 *
 * Kept rather than Ajv (measured against Ajv 8.20.0): Ajv adds 124.5 KB minified where this is
 * 2 KB, and it compiles each schema into code with `new Function`, which the webviews' content
 * security policy forbids and which costs a compile per prompt schema on every dataset export.
 */

export type JsonSchema = Record<string, unknown>;

export interface SchemaError {
  /** `$`, `$.answer`, `$.steps[2]`. */
  path: string;
  message: string;
}

export function validateJson(value: unknown, schema: unknown, at = '$'): SchemaError[] {
  if (schema === true || schema === undefined || schema === null) return [];
  if (schema === false) return [{ path: at, message: 'no value is allowed here' }];
  if (typeof schema !== 'object' || Array.isArray(schema)) return [];
  const s = schema as JsonSchema;
  const errors: SchemaError[] = [];

  if (Array.isArray(s['enum'])) {
    const options = s['enum'] as unknown[];
    if (!options.some((option) => sameJson(option, value))) {
      errors.push({ path: at, message: `${describe(value)} is not one of ${options.map((o) => JSON.stringify(o)).join(', ')}` });
    }
    return errors;
  }

  const types = typeList(s['type']);
  if (types.length > 0 && !types.some((t) => hasType(value, t))) {
    return [{ path: at, message: `expected ${types.join(' or ')}, got ${describe(value)}` }];
  }

  if (isObject(value)) {
    const properties = isObject(s['properties']) ? (s['properties'] as Record<string, unknown>) : undefined;
    const required = Array.isArray(s['required']) ? (s['required'] as unknown[]).filter((r): r is string => typeof r === 'string') : [];
    for (const name of required) {
      if (!(name in value)) errors.push({ path: at, message: `missing required property "${name}"` });
    }
    const additional = s['additionalProperties'];
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${at}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
      if (properties !== undefined && Object.prototype.hasOwnProperty.call(properties, key)) {
        errors.push(...validateJson(child, properties[key], childPath));
      } else if (additional === false) {
        errors.push({ path: at, message: `property "${key}" is not allowed` });
      } else if (isObject(additional)) {
        errors.push(...validateJson(child, additional, childPath));
      }
    }
  }

  if (Array.isArray(value) && s['items'] !== undefined) {
    value.forEach((item, index) => errors.push(...validateJson(item, s['items'], `${at}[${index}]`)));
  }
  return errors;
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * The reply as JSON: the whole text, or the body of a ```json fence when the model wrapped it in
 * one (models often do even when asked not to).
 */
export function parseJsonReply(text: string): ParsedJson {
  const trimmed = text.trim();
  const fence = /^```[\w-]*\s*\n([\s\S]*?)\n?```$/.exec(trimmed);
  const body = fence ? fence[1]! : trimmed;
  if (body === '') return { ok: false, message: 'the reply is empty' };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, message: `not valid JSON (${(error as Error).message})` };
  }
}

function typeList(type: unknown): string[] {
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return [];
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'any':
      return true;
    default:
      return true; // an unknown type name constrains nothing we can check
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && Number.isInteger(value)) return `the integer ${value}`;
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 37)}…` : text}`;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
