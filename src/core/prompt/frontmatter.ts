import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type Pair } from 'yaml';
import type { Range } from '../text/positions';
import type { PromptDiagnostic, PromptFix } from './diagnostic';
import { CONFIG_FIELDS, FRONTMATTER_FIELDS, OUTPUT_FORMATS, type FieldSpec } from './fields';
import type { PromptLayout } from './source';

/** Aliases beyond this many are refused, as the `yaml` library does for resource-exhaustion attacks. */
const MAX_ALIAS_COUNT = 100;

export interface FrontmatterFacts {
  /** The parsed frontmatter, when it parsed. */
  data?: Record<string, unknown>;
  /** Ranges of keys and values by dotted path (`config.temperature`). */
  keys: Map<string, { key: Range; value?: Range }>;
  diagnostics: PromptDiagnostic[];
}

export function analyzeFrontmatter(layout: PromptLayout): FrontmatterFacts {
  const facts: FrontmatterFacts = { keys: new Map(), diagnostics: [] };
  const fm = layout.frontmatter;
  if (!fm) return facts;
  const toRange = (start: number, end: number): Range => layout.lines.range(fm.yamlStart + start, fm.yamlStart + Math.max(end, start + 1));
  const doc = parseDocument(fm.yaml, { uniqueKeys: true, prettyErrors: false, strict: true });
  // Only the first YAML error is reported: the ones after it usually follow from it.
  const error = doc.errors[0];
  if (error) {
    const more = doc.errors.length - 1;
    facts.diagnostics.push({
      range: toRange(error.pos[0], error.pos[1]),
      severity: 'error',
      code: 'invalid-yaml',
      message: `Invalid YAML in the frontmatter: ${firstLine(error.message)}${yamlHint(fm.yaml, error.pos[0])} Dotprompt ignores frontmatter it cannot parse and uses the whole file as the template.${more > 0 ? ` (${more} more YAML error${more > 1 ? 's' : ''} after this one.)` : ''}`,
    });
    return facts;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    facts.diagnostics.push({
      range: toRange(0, fm.yaml.length),
      severity: 'error',
      code: 'invalid-yaml',
      message: `The frontmatter could not be read: ${err instanceof Error ? err.message : String(err)}`,
    });
    return facts;
  }
  if (data === null || data === undefined) return facts;
  if (typeof data !== 'object' || Array.isArray(data) || !isMap(doc.contents)) {
    facts.diagnostics.push({
      range: toRange(0, fm.yaml.length),
      severity: 'error',
      code: 'frontmatter-not-a-map',
      message: 'The frontmatter must be a YAML map of keys such as model, config and input.',
    });
    return facts;
  }
  facts.data = data as Record<string, unknown>;
  const exact = (start: number, end: number): Range => layout.lines.range(fm.yamlStart + start, fm.yamlStart + end);
  checkMap(doc, doc.contents, '', FRONTMATTER_FIELDS, false, facts, toRange, { yaml: fm.yaml, exact });
  return facts;
}

type ToRange = (start: number, end: number) => Range;
/** The YAML text and a range mapper that keeps empty ranges empty (for insertions). */
interface YamlSource {
  yaml: string;
  exact: ToRange;
}

function checkMap(
  doc: Document,
  map: YamlNode,
  prefix: string,
  fields: Readonly<Record<string, FieldSpec>>,
  open: boolean,
  facts: FrontmatterFacts,
  toRange: ToRange,
  source: YamlSource,
): void {
  if (!isMap(map)) return;
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const keyNode = pair.key;
    const key = String(keyNode.value);
    const path = prefix ? `${prefix}.${key}` : key;
    const keyRange = toRange(keyNode.range?.[0] ?? 0, keyNode.range?.[1] ?? 0);
    const valueNode = pair.value as YamlNode | null;
    const valueRange = valueNode?.range ? toRange(valueNode.range[0], valueNode.range[1]) : undefined;
    facts.keys.set(path, valueRange ? { key: keyRange, value: valueRange } : { key: keyRange });
    const spec = fields[key];
    if (!spec) {
      // Dotprompt treats any top-level key with a dot as an extension field (`myapp.flag`).
      if (!prefix && key.includes('.')) continue;
      if (open) {
        // Unknown config keys go to the server as they are; a near miss of a known one is a typo.
        const near = prefix === 'config' ? closest(key, Object.keys(fields)) : undefined;
        if (near && near !== key) {
          facts.diagnostics.push({
            range: keyRange,
            severity: 'warning',
            code: 'unknown-key',
            message: `config.${key} is not a known setting and is passed to the server as is. Did you mean "${near}"?`,
            fix: renameKey(keyRange, near),
          });
        }
        continue;
      }
      const known = Object.keys(fields);
      const suggestion = closest(key, known);
      const configKey = !prefix && !suggestion ? closest(key, Object.keys(CONFIG_FIELDS)) : undefined;
      const move = configKey ? moveUnderConfig(doc, pair, configKey, source) : undefined;
      if (configKey && move) {
        facts.diagnostics.push({
          range: keyRange,
          severity: 'warning',
          code: 'unknown-key',
          message: `Unknown frontmatter key "${key}": model settings go under config. Did you mean "config.${configKey}"?`,
          fix: move,
        });
        continue;
      }
      if (configKey) {
        // The value spans lines or config is written inline: no clean edit, so say what to do.
        facts.diagnostics.push({
          range: keyRange,
          severity: 'warning',
          code: 'unknown-key',
          message: `Unknown frontmatter key "${key}": model settings go under config. Move it there as config.${configKey}.`,
        });
        continue;
      }
      facts.diagnostics.push({
        range: keyRange,
        severity: 'warning',
        code: 'unknown-key',
        message: prefix
          ? `Unknown key "${key}" in ${prefix}.${suggestion ? ` Did you mean "${suggestion}"?` : schemaFieldHint(prefix, key)}`
          : `Unknown frontmatter key "${key}": Dotprompt drops it from the metadata.${suggestion ? ` Did you mean "${suggestion}"?` : ' Use a namespaced key such as "myapp.' + key + '" for extension data.'}`,
        ...(suggestion ? { fix: renameKey(keyRange, suggestion) } : {}),
      });
      continue;
    }
    const plain = valueNode && isScalar(valueNode) ? valueNode.value : isSeq(valueNode) || isMap(valueNode) ? toPlain(valueNode) : null;
    if ((path === 'input' || path === 'output') && typeof plain === 'string' && valueNode?.range) {
      facts.diagnostics.push(schemaNameAsSection(path, plain, keyNode.range?.[1] ?? 0, valueNode.range[1], source));
      continue;
    }
    const problem = typeProblem(spec, plain);
    if (problem) {
      facts.diagnostics.push({ range: valueRange ?? keyRange, ...valueProblem(path, prefix, plain, problem), code: 'invalid-value' });
      continue;
    }
    if (spec.children && valueNode) checkMap(doc, valueNode, path, spec.children, spec.openChildren ?? false, facts, toRange, source);
    else if (valueNode) recordKeys(valueNode, path, facts, toRange);
  }
}

/**
 * How bad a wrong value is. The `dotprompt` library passes `config` to the model untouched and
 * accepts any `output.format` string (apps add formats with Genkit's `defineFormat`), so those
 * are the model's or the app's call: a warning that says why it looks wrong. The rest breaks
 * the library for every app.
 */
function valueProblem(path: string, prefix: string, value: unknown, problem: string): { severity: 'error' | 'warning'; message: string } {
  if (prefix === 'config') {
    return {
      severity: 'warning',
      message: `${path}: ${problem} Dotprompt passes config to the model as it is, so whether this works is up to the model (most reject it).`,
    };
  }
  if (path === 'output.format' && typeof value === 'string') {
    return {
      severity: 'warning',
      message: `output.format: "${value}" is not a format Dotprompt defines (${OUTPUT_FORMATS.join(', ')}); it works only if the app registers it (Genkit defineFormat).`,
    };
  }
  return { severity: 'error', message: `${path}: ${problem}` };
}

/**
 * `input: Name` (a schema name where a section belongs): the library keeps the string, but Genkit
 * reads `input.schema`, so the prompt silently gets no schema. A warning, with the fix.
 */
function schemaNameAsSection(
  path: 'input' | 'output',
  name: string,
  keyEnd: number,
  valueEnd: number,
  source: YamlSource,
): PromptDiagnostic {
  return {
    range: source.exact(keyEnd - path.length, valueEnd),
    severity: 'warning',
    code: 'invalid-value',
    message: `${path} is the string "${name}": Dotprompt keeps it, but apps read the schema from ${path}.schema, so this prompt has no ${path} schema. Write it as ${path}.schema: ${name}.`,
    fix: {
      title: `Move "${name}" under ${path}.schema`,
      edits: [
        {
          range: source.exact(keyEnd, valueEnd),
          newText: `:\n  schema: ${source.yaml.slice(valueEnd - name.length, valueEnd) === name ? name : JSON.stringify(name)}`,
        },
      ],
    },
  };
}

/** For a key under input/output that is no setting: schema fields belong under `schema`. */
function schemaFieldHint(prefix: string, key: string): string {
  return prefix === 'input' || prefix === 'output' ? ` Schema fields go under ${prefix}.schema: move "${key}" there.` : '';
}

/** Records key ranges below a free-form value (schemas, defaults) for hover and diagnostics. */
function recordKeys(node: YamlNode, prefix: string, facts: FrontmatterFacts, toRange: ToRange): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const path = `${prefix}.${String(pair.key.value)}`;
    const keyRange = toRange(pair.key.range?.[0] ?? 0, pair.key.range?.[1] ?? 0);
    const valueNode = pair.value as YamlNode | null;
    facts.keys.set(path, valueNode?.range ? { key: keyRange, value: toRange(valueNode.range[0], valueNode.range[1]) } : { key: keyRange });
    if (valueNode) recordKeys(valueNode, path, facts, toRange);
  }
}

function toPlain(node: YamlNode): unknown {
  return (node as { toJSON(): unknown }).toJSON();
}

function typeProblem(spec: FieldSpec, value: unknown): string | undefined {
  const describe = (v: unknown): string =>
    v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a map' : `${typeof v} ${JSON.stringify(v)}`;
  switch (spec.kind) {
    case 'any':
      return undefined;
    case 'string':
      if (typeof value !== 'string') return `expected a string, found ${describe(value)}.`;
      if (spec.values && !spec.values.includes(value)) return `expected one of ${spec.values.join(', ')}, found "${value}".`;
      return undefined;
    case 'stringOrNumber':
      return typeof value === 'string' || typeof value === 'number' ? undefined : `expected a string or number, found ${describe(value)}.`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, found ${describe(value)}.`;
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || Number.isNaN(value)) return `expected a number, found ${describe(value)}.`;
      if (spec.kind === 'integer' && !Number.isInteger(value)) return `expected a whole number, found ${value}.`;
      if (spec.min !== undefined && value < spec.min) return `must be at least ${spec.min}, found ${value}.`;
      if (spec.max !== undefined && value > spec.max) return `must be at most ${spec.max}, found ${value}.`;
      return undefined;
    }
    case 'string[]':
      if (typeof value === 'string')
        return `expected a list of strings, found a single string; write it as a list: [${JSON.stringify(value)}].`;
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return `expected a list of strings, found ${describe(value)}.`;
      return undefined;
    case 'array':
      return Array.isArray(value) ? undefined : `expected a list, found ${describe(value)}.`;
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? undefined : `expected a map, found ${describe(value)}.`;
  }
}

/** A hint for the YAML mistake prompt authors make most: Picoschema shorthand that is not YAML. */
function yamlHint(yaml: string, offset: number): string {
  const lineStart = yaml.lastIndexOf('\n', offset) + 1;
  const lineEnd = yaml.indexOf('\n', offset);
  const line = yaml.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  if (/:\s*\{.*\}\s*\[\]/.test(line)) return ' A flow map followed by [] is not YAML; write the array as `name(array): {…}` in Picoschema.';
  if (/:\s*"[^"]*"\s*\|/.test(line))
    return ' A quoted value followed by more text is not YAML; Picoschema writes enums as `name(enum): [A, B]`.';
  return '';
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? s;
  return line.endsWith('.') ? line : `${line}.`;
}

function renameKey(range: Range, to: string): PromptFix {
  return { title: `Rename to ${to}`, edits: [{ range, newText: to }] };
}

/**
 * Moves a top-level `key: value` line under `config` as `configKey`. Only for a one-line value and
 * a block-style (or absent) config map; anything else has no edit that is clearly right.
 */
function moveUnderConfig(doc: Document, pair: Pair, configKey: string, source: YamlSource): PromptFix | undefined {
  const { yaml, exact } = source;
  const keyNode = pair.key as YamlNode;
  const valueNode = pair.value as YamlNode | null;
  const [keyStart, keyEnd] = keyNode.range ?? [0, 0];
  if (!valueNode?.range || !isScalar(valueNode)) return undefined;
  const valueEnd = valueNode.range[1];
  const lineStart = yaml.lastIndexOf('\n', keyStart - 1) + 1;
  if (lineStart !== keyStart || yaml.slice(keyStart, valueEnd).includes('\n')) return undefined;
  const title = `Move under config as ${configKey}`;
  const root = doc.contents;
  const config = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === 'config') : undefined;
  if (!config) return { title, edits: [{ range: exact(keyStart, keyEnd), newText: `config:\n  ${configKey}` }] };
  const configMap = config.value as YamlNode | null;
  const first = isMap(configMap) && !configMap.flow ? configMap.items[0] : undefined;
  const firstKey = first && isScalar(first.key) ? first.key.range?.[0] : undefined;
  if (firstKey === undefined) return undefined;
  const firstLine = yaml.lastIndexOf('\n', firstKey - 1) + 1;
  const indent = yaml.slice(firstLine, firstKey);
  if (/\S/.test(indent)) return undefined;
  const lineEnd = yaml.indexOf('\n', valueEnd);
  const removeEnd = lineEnd < 0 ? yaml.length : lineEnd + 1;
  return {
    title,
    edits: [
      { range: exact(firstLine, firstLine), newText: `${indent}${configKey}: ${yaml.slice(valueNode.range[0], valueEnd)}\n` },
      { range: exact(lineStart, removeEnd), newText: '' },
    ],
  };
}

/** The known name within edit distance 2 of `name`, for "did you mean" hints. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
