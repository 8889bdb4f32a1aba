// Builds syntaxes/dotprompt.tmLanguage.json from syntaxes/dotprompt.tmLanguage.yaml.
//
//   node scripts/build-grammar.mjs          # build, validate, write
//   import { buildGrammar } from './scripts/build-grammar.mjs'; await buildGrammar();
//
// The YAML source may declare a top-level `variables:` map. Inside every
// `match` / `begin` / `end` / `while` regex, `{{name}}` is replaced by the
// (recursively expanded) variable; the map is dropped from the output. After
// expansion every regex is compiled with Oniguruma (when vscode-oniguruma is
// installed) and every local `#include` is checked, so a typo fails the build
// instead of silently disabling a rule in the editor. Top-level keys starting
// with `x-` (used to hold YAML anchors) and `variables` are not emitted.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..');
export const GRAMMAR_SOURCE = path.join(ROOT, 'syntaxes', 'dotprompt.tmLanguage.yaml');
export const GRAMMAR_OUTPUT = path.join(ROOT, 'syntaxes', 'dotprompt.tmLanguage.json');

const REGEX_KEYS = ['match', 'begin', 'end', 'while'];
const PLACEHOLDER = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

function expandVariables(variables) {
  const resolved = {};
  const resolving = new Set();
  const resolve = (name, from) => {
    if (Object.prototype.hasOwnProperty.call(resolved, name)) return resolved[name];
    if (!Object.prototype.hasOwnProperty.call(variables, name)) {
      throw new Error(`unknown grammar variable {{${name}}} used in ${from}`);
    }
    if (resolving.has(name)) throw new Error(`cyclic grammar variable {{${name}}}`);
    resolving.add(name);
    const value = String(variables[name]).replace(PLACEHOLDER, (_, n) => resolve(n, `variable ${name}`));
    resolving.delete(name);
    resolved[name] = value;
    return value;
  };
  for (const name of Object.keys(variables)) resolve(name, 'variables');
  return (text, where) =>
    text.replace(PLACEHOLDER, (_, n) => {
      if (!Object.prototype.hasOwnProperty.call(resolved, n)) {
        throw new Error(`unknown grammar variable {{${n}}} in ${where}`);
      }
      return resolved[n];
    });
}

/** Walk every rule object, calling visit(rule, jsonPath). */
function walkRules(node, where, visit) {
  if (Array.isArray(node)) {
    node.forEach((child, i) => walkRules(child, `${where}[${i}]`, visit));
    return;
  }
  if (!node || typeof node !== 'object') return;
  visit(node, where);
  for (const [key, value] of Object.entries(node)) {
    if (value && typeof value === 'object') walkRules(value, `${where}.${key}`, visit);
  }
}

async function loadOniguruma() {
  try {
    const require = createRequire(import.meta.url);
    const onig = require('vscode-oniguruma');
    const wasmPath = path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm');
    const wasm = await readFile(wasmPath);
    await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return onig;
  } catch {
    return null; // validation is best-effort when dev dependencies are absent
  }
}

/**
 * Convert the YAML grammar to JSON.
 * @param {{ source?: string, output?: string, validate?: boolean, write?: boolean }} [options]
 * @returns {Promise<{ output: string, grammar: object, regexCount: number, validated: boolean }>}
 */
export async function buildGrammar(options = {}) {
  const source = options.source ?? GRAMMAR_SOURCE;
  const output = options.output ?? GRAMMAR_OUTPUT;
  const validate = options.validate ?? true;
  const write = options.write ?? true;

  const text = await readFile(source, 'utf8');
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true });
  if (doc.errors.length) {
    throw new Error(`${path.relative(ROOT, source)}: ${doc.errors.map((e) => e.message).join('\n')}`);
  }
  const grammar = doc.toJS({ maxAliasCount: 1000 });
  const { variables = {}, ...rest } = grammar;
  // Top-level `x-…` keys hold YAML anchors shared by several rules; they are not grammar keys.
  for (const key of Object.keys(rest)) if (key.startsWith('x-')) delete rest[key];
  const expand = expandVariables(variables);

  const regexes = [];
  walkRules(rest, '$', (rule, where) => {
    for (const key of REGEX_KEYS) {
      if (typeof rule[key] === 'string') {
        rule[key] = expand(rule[key], `${where}.${key}`);
        regexes.push({ where: `${where}.${key}`, source: rule[key], key });
      }
    }
  });

  // Every local include must resolve.
  const repo = rest.repository ?? {};
  walkRules(rest, '$', (rule, where) => {
    if (typeof rule.include === 'string' && rule.include.startsWith('#')) {
      const name = rule.include.slice(1);
      if (!Object.prototype.hasOwnProperty.call(repo, name)) {
        throw new Error(`${where}: include '${rule.include}' does not exist in the repository`);
      }
    }
  });

  let validated = false;
  if (validate) {
    const onig = await loadOniguruma();
    if (onig) {
      for (const { where, source: re } of regexes) {
        // End patterns may hold back-references (\1) to begin captures; vscode-textmate
        // substitutes them before compiling, so substitute a harmless literal here.
        const compilable = re.replace(/\\([1-9])/g, 'x');
        try {
          new onig.OnigScanner([compilable]).dispose();
        } catch (err) {
          throw new Error(`${where}: invalid regex /${re}/: ${err.message}`);
        }
      }
      validated = true;
    }
  }

  const json = `${JSON.stringify(rest, null, 2)}\n`;
  if (write) {
    await mkdir(path.dirname(output), { recursive: true });
    let previous = null;
    try {
      previous = await readFile(output, 'utf8');
    } catch {
      /* first build */
    }
    if (previous !== json) await writeFile(output, json);
  }
  return { output, grammar: rest, regexCount: regexes.length, validated };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  buildGrammar()
    .then(({ output, regexCount, validated }) => {
      console.log(`grammar: wrote ${path.relative(process.cwd(), output)} (${regexCount} regexes${validated ? ', all compile' : ''})`);
    })
    .catch((err) => {
      console.error(`grammar build failed: ${err.message}`);
      process.exit(1);
    });
}
