/**
 * The run panel's variables form: the inputs a prompt declares, the values typed for them, and
 * the checks both sides share (the webview before sending, the host on receipt).
 */
import { errorMessage } from '../core/errors';
import { everyMember, isRecord, isString, oneOf, optional } from './protocol-guards';

/** A JSON value, as prompt inputs cross the channel. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

/** One input of the variables form, derived by the host from the prompt's input schema. */
export interface InputField {
  name: string;
  kind: FieldKind;
  /** The type as the schema gives it (`string`, `integer[]`, `"a" | "b"`), for the label. */
  type: string;
  required: boolean;
  description?: string;
  /** `enum`: the allowed values. */
  options?: JsonValue[];
  /** `json`: what the value must be. */
  shape?: 'array' | 'object' | 'any';
  /** `json` arrays: the type every item must have, when the schema names a simple one. */
  items?: 'string' | 'number' | 'integer' | 'boolean';
  /** From the frontmatter's `input.default`. */
  default?: JsonValue;
}

export interface PromptForm {
  /** The prompt file (URI string); form requests name it, so a stale form cannot run another file. */
  file: string;
  /** The file as the user knows it (workspace-relative path). */
  label: string;
  /** Where the fields come from: the input schema, or the template's variables when there is none. */
  source: 'schema' | 'template';
  fields: InputField[];
  /** The input schema could not be read (the fields are then guessed from the template). */
  schemaError?: string;
}

export function isStringRecord(v: unknown, check: (x: unknown) => boolean): boolean {
  return isRecord(v) && Object.values(v).every(check);
}

/** JSON data only: finite numbers, plain objects and arrays, at most 64 levels deep. */
export function isJsonValue(v: unknown, depth = 0): v is JsonValue {
  if (depth > 64) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJsonValue(x, depth + 1));
  return isRecord(v) && Object.values(v).every((x) => isJsonValue(x, depth + 1));
}

const FIELD_KINDS = everyMember<FieldKind>()(['string', 'number', 'integer', 'boolean', 'enum', 'json']);

function isField(v: unknown): v is InputField {
  return (
    isRecord(v) &&
    isString(v['name']) &&
    oneOf(FIELD_KINDS, v['kind']) &&
    isString(v['type']) &&
    typeof v['required'] === 'boolean' &&
    optional(v['description'], isString) &&
    optional(v['options'], (o) => Array.isArray(o) && o.every((x) => isJsonValue(x))) &&
    optional(v['shape'], (x) => x === 'array' || x === 'object' || x === 'any') &&
    optional(v['items'], (x) => x === 'string' || x === 'number' || x === 'integer' || x === 'boolean') &&
    optional(v['default'], (x) => isJsonValue(x))
  );
}

export function isForm(v: unknown): v is PromptForm {
  return (
    isRecord(v) &&
    isString(v['file']) &&
    isString(v['label']) &&
    (v['source'] === 'schema' || v['source'] === 'template') &&
    Array.isArray(v['fields']) &&
    v['fields'].every(isField) &&
    optional(v['schemaError'], isString)
  );
}

/** Why `value` does not fit `field`, or undefined when it does. */
export function checkValue(field: InputField, value: JsonValue): string | undefined {
  switch (field.kind) {
    case 'string':
      return typeof value === 'string' ? undefined : 'Expected text.';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'Expected a number.';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : 'Expected a whole number.';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'Expected true or false.';
    case 'enum':
      return (field.options ?? []).some((o) => JSON.stringify(o) === JSON.stringify(value))
        ? undefined
        : `Expected one of ${(field.options ?? []).map((o) => JSON.stringify(o)).join(', ')}.`;
    case 'json': {
      if (field.shape === 'array' && !Array.isArray(value)) return 'Expected a JSON list, e.g. ["a", "b"].';
      if (field.shape === 'object' && !isRecord(value)) return 'Expected a JSON object, e.g. {"key": "value"}.';
      if (field.shape === 'array' && field.items && Array.isArray(value)) {
        const item = { name: '', kind: field.items, type: field.items, required: true } as const;
        const bad = value.findIndex((x) => checkValue(item, x) !== undefined);
        if (bad >= 0)
          return `Item ${bad + 1}: expected ${field.items === 'string' ? 'text' : field.items === 'boolean' ? 'true or false' : `a${field.items === 'integer' ? ' whole' : ''} number`}.`;
      }
      return undefined;
    }
  }
}

/** Reads what was typed into a field: empty means "not given"; otherwise a value or an error. */
export function parseFieldText(field: InputField, text: string): { value?: JsonValue; error?: string } {
  if (field.kind === 'string') return text === '' ? {} : { value: text };
  if (text.trim() === '') return {};
  let value: JsonValue;
  if (field.kind === 'number' || field.kind === 'integer') {
    value = Number(text.trim());
    if (!Number.isFinite(value)) return { error: 'Enter a number.' };
  } else if (field.kind === 'boolean') {
    if (text !== 'true' && text !== 'false') return { error: 'Choose true or false.' };
    value = text === 'true';
  } else {
    try {
      value = JSON.parse(text) as JsonValue;
    } catch (err) {
      return { error: `Not valid JSON: ${errorMessage(err)}` };
    }
  }
  const error = checkValue(field, value);
  return error ? { error } : { value };
}

/** A value as the form shows it (the inverse of parseFieldText). */
export function fieldText(field: InputField, value: JsonValue | undefined): string {
  if (value === undefined) return '';
  if (field.kind === 'string' && typeof value === 'string') return value;
  if (field.kind === 'json') return JSON.stringify(value, null, 2);
  return JSON.stringify(value);
}

/**
 * Checks a set of values against the form: each value's type, and required inputs that have
 * neither a value nor a default. Returns the problems by input name (empty when all is well).
 */
export function checkValues(fields: readonly InputField[], values: Record<string, JsonValue>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined) {
      if (field.required && field.default === undefined) problems[field.name] = 'Required.';
      continue;
    }
    const error = checkValue(field, value);
    if (error) problems[field.name] = error;
  }
  return problems;
}
