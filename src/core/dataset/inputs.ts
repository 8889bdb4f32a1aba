/**
 * From a data row to the prompt's inputs and the record's output.
 *
 * - The `output` field of a row is the record's output (the reply the model should learn). It is
 *   required: a training record without one is reported, not written. A non-string output (a
 *   JSON object for a prompt with `output.format: json`) is written as compact JSON text. It is
 *   not passed to the template unless the prompt declares an input called `output`.
 * - Every other field is an input.
 * - Required inputs must come from the row. With an `input.schema`, they are the declared inputs
 *   without `?`; without one, the variables the template reads outside `{{#if}}`/`{{#unless}}`.
 *   Frontmatter defaults do not stand in for a required input: in many prompts (every pattern
 *   file among them) the defaults are a worked example, and a dataset that silently repeats the
 *   example is worse than a reported row. Defaults do fill optional inputs; the summary counts
 *   how often.
 * - CSV cells are text: an empty cell counts as absent, and a cell for an input the schema types
 *   as a number, boolean, array or object is converted (arrays and objects are written as JSON).
 * - Values are checked against their declared schema; a mismatch makes the row bad.
 */
import { validateJson } from '../compare/jsonSchema';
import type { PromptAnalysis } from '../prompt/analyze';
import type { Position, Range } from '../text/positions';
import type { DataRow } from './rows';

/** The field of a row that holds the record's output. */
export const OUTPUT_FIELD = 'output';

type Schema = Record<string, unknown>;

export interface InputPlan {
  /** Declared inputs and their JSON Schema, when the frontmatter declares `input.schema`. */
  properties?: ReadonlyMap<string, Schema>;
  /** Inputs every row must give. */
  required: readonly string[];
  /** `input.default` from the frontmatter. */
  defaults: Readonly<Record<string, unknown>>;
}

export type RowInputs = { ok: true; inputs: Record<string, unknown>; output: string; defaulted: string[] } | { ok: false; message: string };

/** What every row needs, read once from the prompt's analysis. */
export function planInputs(analysis: PromptAnalysis): InputPlan {
  const input = analysis.frontmatter.data?.['input'];
  const rawDefaults = isObject(input) ? input['default'] : undefined;
  const defaults = isObject(rawDefaults) ? rawDefaults : {};
  const json = analysis.inputs.jsonSchema;
  const props = json && isObject(json['properties']) ? json['properties'] : undefined;
  if (analysis.inputs.declared && props) {
    const properties = new Map<string, Schema>();
    for (const [name, schema] of Object.entries(props)) properties.set(name, isObject(schema) ? schema : {});
    const required = [...analysis.inputs.declared.values()].filter((d) => d.required).map((d) => d.name);
    return { properties, required, defaults };
  }
  const conditional = analysis.template.blocks.filter((b) => b.name === 'if' || b.name === 'unless').map((b) => b.range);
  const required = new Set<string>();
  for (const v of analysis.template.variables) {
    if (v.scoped || v.data || v.head === '') continue;
    if (conditional.some((r) => contains(r, v.range.start))) continue;
    required.add(v.head);
  }
  return { required: [...required], defaults };
}

/** The inputs and output of one row, or why the row cannot become a record. */
export function rowInputs(plan: InputPlan, row: DataRow): RowInputs {
  const problems: string[] = [];
  const inputs: Record<string, unknown> = {};
  const outputTaken = plan.properties?.has(OUTPUT_FIELD) === true;
  for (const [name, raw] of Object.entries(row.values)) {
    if (name === OUTPUT_FIELD && !outputTaken) continue;
    const schema = plan.properties?.get(name);
    inputs[name] = row.source === 'csv' && typeof raw === 'string' && schema ? fromCell(raw, schema) : raw;
  }

  const missing = plan.required.filter((name) => inputs[name] === undefined || inputs[name] === null);
  if (missing.length > 0) {
    const names = missing.map((n) => `"${n}"`).join(', ');
    problems.push(
      `no value for the required input${missing.length === 1 ? '' : 's'} ${names}${missing.some((n) => n in plan.defaults) ? ' (frontmatter defaults are not used for required inputs)' : ''}`,
    );
  }
  for (const [name, value] of Object.entries(inputs)) {
    const schema = plan.properties?.get(name);
    if (!schema || value === undefined) continue;
    for (const e of validateJson(value, schema, name)) problems.push(`${e.path}: ${e.message}`);
  }

  const output = outputText(row.values[OUTPUT_FIELD]);
  if (output === undefined) problems.push(`no "${OUTPUT_FIELD}" field (the record's output)`);
  if (problems.length > 0 || output === undefined) return { ok: false, message: problems.join('; ') };

  const defaulted = Object.keys(plan.defaults).filter((name) => inputs[name] === undefined);
  return { ok: true, inputs, output, defaulted };
}

function outputText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.trim() === '' ? undefined : text;
}

/** A CSV cell converted to the type its schema asks for; left as text when it does not convert. */
function fromCell(cell: string, schema: Schema): unknown {
  const types = typeList(schema['type']);
  const choices = Array.isArray(schema['enum']) ? (schema['enum'] as unknown[]) : undefined;
  if (choices) {
    if (choices.includes(cell)) return cell;
    const number = Number(cell);
    if (cell.trim() !== '' && choices.includes(number)) return number;
    const flag = booleanCell(cell);
    return flag !== undefined && choices.includes(flag) ? flag : cell;
  }
  if (types.length === 0 || types.includes('string')) return cell;
  if (types.includes('integer') || types.includes('number')) {
    const number = Number(cell.trim());
    if (cell.trim() !== '' && Number.isFinite(number)) return number;
  }
  if (types.includes('boolean')) {
    const flag = booleanCell(cell);
    if (flag !== undefined) return flag;
  }
  if (types.includes('array') || types.includes('object')) {
    try {
      return JSON.parse(cell) as unknown;
    } catch {
      return cell;
    }
  }
  return cell;
}

function booleanCell(cell: string): boolean | undefined {
  if (/^(true|yes|1)$/i.test(cell.trim())) return true;
  if (/^(false|no|0)$/i.test(cell.trim())) return false;
  return undefined;
}

function typeList(type: unknown): string[] {
  return (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string' && t !== 'null');
}

function contains(range: Range, pos: Position): boolean {
  const after = pos.line > range.start.line || (pos.line === range.start.line && pos.character >= range.start.character);
  const before = pos.line < range.end.line || (pos.line === range.end.line && pos.character <= range.end.character);
  return after && before;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
