// Shared vscode-textmate setup for the grammar tests, the fuzz check and the benchmark.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const onig = require('vscode-oniguruma');

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DOTPROMPT_GRAMMAR = path.join(ROOT, 'syntaxes', 'dotprompt.tmLanguage.json');
export const YAML_GRAMMAR = require.resolve('tm-grammars/grammars/yaml.json');
// The shared corpus beside the checkout, or where PROMPTSCOPE_CORPUS says (a git worktree).
export const SAMPLES_DIR = path.join(
  process.env.PROMPTSCOPE_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus', 'dotprompt'),
  'samples',
);

let onigLib = null;
function loadOnig() {
  if (!onigLib) {
    onigLib = (async () => {
      const wasmPath = path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm');
      const wasm = await readFile(wasmPath);
      await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
      return {
        createOnigScanner: (patterns) => new onig.OnigScanner(patterns),
        createOnigString: (s) => new onig.OnigString(s),
      };
    })();
  }
  return onigLib;
}

/**
 * Create a registry that knows source.dotprompt, source.yaml and any extra
 * grammars (scopeName -> raw grammar object, e.g. a baseline grammar).
 */
export async function createRegistry(extra = {}) {
  const files = { 'source.dotprompt': DOTPROMPT_GRAMMAR, 'source.yaml': YAML_GRAMMAR };
  return new vsctm.Registry({
    onigLib: loadOnig(),
    loadGrammar: async (scopeName) => {
      if (extra[scopeName]) return extra[scopeName];
      const file = files[scopeName];
      if (!file) return null;
      return vsctm.parseRawGrammar(await readFile(file, 'utf8'), file);
    },
  });
}

/** Load a grammar by scope name (default: source.dotprompt). */
export async function loadGrammar(scopeName = 'source.dotprompt', extra = {}) {
  const registry = await createRegistry(extra);
  const grammar = await registry.loadGrammar(scopeName);
  if (!grammar) throw new Error(`could not load grammar ${scopeName}`);
  return grammar;
}

export const INITIAL = vsctm.INITIAL;

/**
 * Tokenize a whole document. Returns one entry per line:
 * { line, tokens: [{ text, start, end, scopes }], stoppedEarly }.
 */
export function tokenizeDocument(grammar, text, timeLimitMs = 0) {
  const lines = text.split(/\r\n|\r|\n/);
  let state = vsctm.INITIAL;
  const out = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, state, timeLimitMs);
    out.push({
      line,
      stoppedEarly: r.stoppedEarly,
      tokens: r.tokens.map((t) => ({
        text: line.slice(t.startIndex, t.endIndex),
        start: t.startIndex,
        end: t.endIndex,
        scopes: t.scopes,
      })),
    });
    state = r.ruleStack;
  }
  return out;
}

/** Human-readable dump, handy while writing fixtures: `node test/grammar/registry.mjs file.prompt`. */
export function formatTokens(doc) {
  const rows = [];
  doc.forEach(({ line, tokens }, i) => {
    rows.push(`${String(i + 1).padStart(4)} | ${line}`);
    for (const t of tokens) {
      if (!t.text.trim()) continue;
      rows.push(`       ${JSON.stringify(t.text).padEnd(28)} ${t.scopes.slice(1).join(' ')}`);
    }
  });
  return rows.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  const text = file
    ? await readFile(file, 'utf8')
    : await new Promise((res) => {
        let s = '';
        process.stdin.on('data', (d) => (s += d)).on('end', () => res(s));
      });
  const grammar = await loadGrammar();
  console.log(formatTokens(tokenizeDocument(grammar, text)));
}
