import { LineIndex, type Range } from '../text/positions';
import { literalKeys, bracketParts } from './code-scan';
import { languageOf, type Language } from './definitions';

/** A helper or partial that application code registers, so `.prompt` files can use it. */
export interface CodeRegistration {
  kind: 'helper' | 'partial';
  name: string;
  /** Absolute path of the file that registers it (set by the catalog). */
  file: string;
  /** Zero-based position of the name in that file. */
  line: number;
  character: number;
  /** How it is registered, e.g. `ai.defineHelper`, `genkit.DefinePartial`, `new Dotprompt({helpers})`. */
  form: string;
}

/** A helper call or partial reference in a prompt that resolves to a registration in code. */
export interface RegisteredUse {
  range: Range;
  registration: CodeRegistration;
}

/** Looks a registered helper or partial up by name; undefined when the workspace's code has none. */
export interface RegistrationLookup {
  helper(name: string): CodeRegistration | undefined;
  partial(name: string): CodeRegistration | undefined;
}

/** A quick test before the full scan: files without any of these register nothing. */
export function mayRegister(text: string): boolean {
  return /efine_?(?:[Hh]elper|[Pp]artial)|Dotprompt/.test(text);
}

const STRING = String.raw`(?:"([^"\\\n]+)"|'([^'\\\n]+)'|\x60([^\x60\\$\n]+)\x60)`;
const GO_STRING = String.raw`(?:"([^"\\\n]+)"|\x60([^\x60\n]+)\x60)`;

/**
 * The calls that register one helper or partial by name, per SDK: Genkit JS/TS and Dart
 * `ai.defineHelper('name', fn)` / `ai.definePartial('name', source)` (the dotprompt library's
 * `Dotprompt` has the same methods); Genkit Go `genkit.DefineHelper(g, "name", fn)` /
 * `genkit.DefinePartial(g, "name", source)` (dotprompt Go: `dp.DefineHelper("name", fn, tpl)`);
 * Python `ai.define_helper('name', fn)` / `ai.define_partial('name', source)`.
 */
const CALLS: Readonly<Record<Language, RegExp>> = {
  js: new RegExp(String.raw`\b([A-Za-z_$][\w$]*)\s*\.\s*(defineHelper|definePartial)\s*\(\s*${STRING}`, 'g'),
  go: new RegExp(String.raw`\b(\w+)\.(DefineHelper|DefinePartial)\s*\(\s*(?:[\w.&]+\s*,\s*)?${GO_STRING}`, 'g'),
  python: new RegExp(String.raw`\b(\w+)\.(define_helper|define_partial)\s*\(\s*(?:name\s*=\s*)?${STRING}`, 'g'),
};

/**
 * The dotprompt library's constructor options, which register many at once:
 * JS `new Dotprompt({helpers: {a, b: fn}, partials: {p: '…'}})`, Python
 * `Dotprompt(helpers={'a': fn}, partials={…})`, Go
 * `dotprompt.NewDotprompt(&dotprompt.DotpromptOptions{Helpers: map[string]any{"a": fn}})`.
 */
const CONSTRUCTORS: Readonly<Record<Language, { call: RegExp; option: RegExp; quotedOnly: boolean; form: string }>> = {
  js: { call: /\bnew\s+Dotprompt\s*\(/g, option: /^(helpers|partials)\s*:\s*\{/d, quotedOnly: false, form: 'new Dotprompt' },
  python: { call: /\bDotprompt\s*\(/g, option: /^(helpers|partials)\s*=\s*\{/d, quotedOnly: true, form: 'Dotprompt' },
  go: {
    call: /\bDotpromptOptions\s*\{/g,
    option: /^(Helpers|Partials)\s*:\s*map\s*\[\s*string\s*\][\w.*]+\s*\{/d,
    quotedOnly: true,
    form: 'DotpromptOptions',
  },
};

/** Finds the helpers and partials a source file registers, with where each name is written. */
export function findRegistrations(text: string, fileName: string): Omit<CodeRegistration, 'file'>[] {
  const language = languageOf(fileName);
  if (!language || !mayRegister(text)) return [];
  const lines = new LineIndex(text);
  const found: Omit<CodeRegistration, 'file'>[] = [];
  const add = (kind: CodeRegistration['kind'], name: string, at: number, form: string): void => {
    const pos = lines.positionAt(at);
    found.push({ kind, name, line: pos.line, character: pos.character, form });
  };
  for (const m of text.matchAll(CALLS[language])) {
    const name = m.slice(3).find((g) => g !== undefined);
    if (!name) continue;
    add(/helper/i.test(m[2]!) ? 'helper' : 'partial', name, m.index + m[0].lastIndexOf(name), `${m[1]}.${m[2]}`);
  }
  const ctor = CONSTRUCTORS[language];
  for (const m of text.matchAll(ctor.call)) {
    for (const arg of optionParts(text, m.index + m[0].length - 1, language)) {
      const option = ctor.option.exec(arg.text);
      const open = option?.indices?.[0]?.[1];
      if (!option || open === undefined) continue;
      const kind = option[1]!.toLowerCase() === 'helpers' ? 'helper' : 'partial';
      for (const key of literalKeys(text, arg.start + open - 1, ctor.quotedOnly))
        add(kind, key.text, key.start, `${ctor.form}({${option[1]!}})`);
    }
  }
  return found.sort((a, b) => a.line - b.line || a.character - b.character);
}

/** The options of a constructor call: JS passes one object literal, Python keywords, Go a struct literal. */
function optionParts(text: string, open: number, language: Language): { text: string; start: number }[] {
  const parts = bracketParts(text, open) ?? [];
  if (language !== 'js') return parts;
  const first = parts[0];
  return first?.text.startsWith('{') ? (bracketParts(text, first.start) ?? []) : [];
}

/**
 * The helpers and partials a workspace's code registers, by file so a changed file replaces its
 * own entries.
 */
export class RegistrationCatalog implements RegistrationLookup {
  private readonly byFile = new Map<string, CodeRegistration[]>();

  setFile(file: string, registrations: readonly Omit<CodeRegistration, 'file'>[]): void {
    if (registrations.length > 0)
      this.byFile.set(
        file,
        registrations.map((r) => ({ ...r, file })),
      );
    else this.byFile.delete(file);
  }

  deleteFile(file: string): void {
    this.byFile.delete(file);
  }

  helper(name: string): CodeRegistration | undefined {
    return this.find('helper', name);
  }

  partial(name: string): CodeRegistration | undefined {
    return this.find('partial', name);
  }

  names(kind: CodeRegistration['kind']): string[] {
    const names = new Set<string>();
    for (const list of this.byFile.values()) for (const r of list) if (r.kind === kind) names.add(r.name);
    return [...names].sort();
  }

  private find(kind: CodeRegistration['kind'], name: string): CodeRegistration | undefined {
    for (const list of this.byFile.values()) {
      const found = list.find((r) => r.kind === kind && r.name === name);
      if (found) return found;
    }
    return undefined;
  }
}
