// Catastrophic-backtracking fuzz for the Dotprompt grammar.
//
// Generates a deterministic (seeded) set of adversarial lines — long runs of
// `{`, `{{#`, quotes, backslashes, `(((`, `=` chains, unterminated strings,
// 10k-character lines, deeply nested subexpressions, random soup of grammar
// fragments — and tokenizes each one in several grammar states (plain body,
// inside a mustache, inside a block comment, inside a string, in the
// frontmatter). No line may cost much more than a realistic line of the same length:
// each is compared with a baseline line (prose dense with mustaches, blocks and partials),
// tokenized in the same run, both timed in CPU time of this process (what another process on a
// busy machine takes does not count, so a loaded machine leaves the ratio alone).
// Catastrophic backtracking costs hundreds of times the baseline; a legitimate line a few times.
// Absolute speed is measured in bench/, not here.
//
//   node test/grammar/fuzz.mjs            # standalone (builds nothing; run the build first)
//   import { runFuzz } from './fuzz.mjs'  # used by scripts/grammar-test.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INITIAL, loadGrammar } from './registry.mjs';

export const SEED = 0x5eed_d0;
/** A line may take at most this many times as long as the baseline line of the same length... */
export const MAX_RATIO = 75;
/** ...unless it takes less than this: shorter times are too close to the clock's resolution and GC pauses. */
export const NOISE_FLOOR_MS = 25;
export const MAX_LEN = 10_000;
/** The baseline: what a dense, well-formed prompt body looks like (every construct, all closed). */
const BASELINE_UNIT = 'Hello {{name}}, see {{#if ready}}the {{item.title}}{{/if}} and {{> footer}} {{!-- note --}}. ';

/** mulberry32: tiny deterministic PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  '{',
  '{{',
  '{{{',
  '{{{{',
  '}',
  '}}',
  '}}}',
  '}}}}',
  '{{#',
  '{{/',
  '{{^',
  '{{>',
  '{{#>',
  '{{#*',
  '{{!',
  '{{!--',
  '--}}',
  '{{~',
  '~}}',
  '{{else',
  ' else ',
  '{{&',
  '(',
  ')',
  '((',
  '))',
  '"',
  "'",
  '\\',
  '\\"',
  "\\'",
  '\\{{',
  '=',
  '==',
  ' = ',
  'a=',
  'key=',
  '|',
  ' as |',
  '@',
  '@root',
  '@index',
  '.',
  '..',
  '../',
  './',
  '/',
  '[',
  ']',
  '[seg',
  'this',
  'if',
  'each',
  'with',
  'unless',
  'lookup',
  'log',
  'role',
  'history',
  'json',
  'media',
  'section',
  'ifEquals',
  'true',
  'false',
  'null',
  'undefined',
  '-',
  '-1',
  '0.5',
  '123',
  '1.2.3',
  ' ',
  '  ',
  '\t',
  'x',
  'foo',
  'bar.baz',
  'é',
  '名',
  '😀',
  '#',
  '---',
  '<',
  '<<<',
  '>>>',
  '<<<dotprompt:',
  'role:',
  'media:url ',
  'section ',
  'history>>>',
  ':',
  ',',
  '*',
  '&',
  '%',
  '`',
  '~',
  '^',
  '>',
  '!',
  '--',
];

/** Repeat `unit` until `len` characters. */
function run(unit, len) {
  return unit.repeat(Math.ceil(len / unit.length)).slice(0, len);
}

/** The fixed adversarial families. Each returns one line. */
function families(len) {
  return {
    'open braces': run('{', len),
    'block openers': run('{{#', len),
    'raw openers': run('{{{{', len),
    'double quotes': `{{x ${run('"', len)}`,
    'single quotes': `{{x ${run("'", len)}`,
    backslashes: run('\\', len),
    'escaped mustaches': run('\\{{', len),
    'open parens': `{{x ${run('(', len)}`,
    'nested subexpressions': `{{x ${run('(a ', len)}`,
    'balanced subexpressions': `{{x ${'(a '.repeat(Math.floor(len / 8))}${')'.repeat(Math.floor(len / 8))}}}`,
    'equals chain': `{{x ${run('a=', len)}`,
    'bare equals': `{{x ${run('=', len)}`,
    'long identifier': `{{${run('abcdefgh', len)}`,
    'long identifier then =': `{{x ${run('abcdefgh', len)} =`,
    'long number': `{{x ${run('1234567890', len)}x`,
    'dotted path': `{{${run('a.', len)}`,
    'parent path': `{{${run('../', len)}`,
    'data vars': `{{${run('@a', len)}`,
    'segment literals': `{{x ${run('[a', len)}`,
    'unterminated string': `{{x "${run('a\\"', len)}`,
    'unterminated comment': `{{!-- ${run('-}', len)}`,
    'short comment soup': run('{{! }', len),
    'tilde soup': run('{{~~}', len),
    'block params': `{{#each x as |${run('a ', len)}`,
    markers: run('<<<dotprompt:section ', len),
    'role markers': run('<<<dotprompt:role:', len),
    'angle soup': run('<<<>>', len),
    'hash lines': run('#', len),
    dashes: run('-', len),
    whitespace: run(' \t', len),
    'mixed mustaches': run('{{a}}{{#b}}{{/b}}{{{c}}}', len),
  };
}

function soup(rand, len) {
  let s = '';
  while (s.length < len) s += FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)];
  return s.slice(0, len);
}

/**
 * Grammar states to start each line in, each produced by tokenizing a short prefix.
 * Lines in the `frontmatter` context are tokenized by the embedded YAML grammar
 * (tm-grammars' source.yaml; in VS Code it is the built-in YAML grammar). That
 * grammar is not ours and has known super-linear cases, so its timings are
 * reported as informational and never fail the run.
 */
export const THIRD_PARTY_CONTEXTS = new Set(['frontmatter']);
const CONTEXTS = {
  body: ['---', 'model: x', '---', ''],
  mustache: ['---', '---', '{{helper arg'],
  block: ['{{#each items'],
  'long comment': ['{{!-- open'],
  'short comment': ['{{! open'],
  string: ['{{helper "open'],
  subexpression: ['{{helper (sub a'],
  frontmatter: ['---', 'key: value'],
};

/** CPU time (user + system) this process has used, in milliseconds. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Times of the baseline line by length, measured on first use and again before a verdict. */
class Baseline {
  constructor(grammar, state) {
    this.grammar = grammar;
    this.state = state;
    this.byLength = new Map();
  }
  ms(len, fresh = false) {
    const known = this.byLength.get(len);
    if (known !== undefined && !fresh) return known;
    const line = run(BASELINE_UNIT, len);
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = cpuMs();
      this.grammar.tokenizeLine2(line, this.state);
      best = Math.min(best, cpuMs() - t0);
    }
    // A stall while measuring the baseline only makes the check more lenient; keep the larger.
    const ms = Math.max(best, known ?? 0);
    this.byLength.set(len, ms);
    return ms;
  }
}

const overBudget = (ms, baseMs) => ms > NOISE_FLOOR_MS && ms > MAX_RATIO * baseMs;

/**
 * Times one line against the baseline of its length. A line over budget is measured again (up
 * to `attempts` times, with a fresh baseline each time) and its best time kept: catastrophic
 * backtracking is slow every time, while a GC pause or another process stealing the CPU is not.
 */
function timeLine(grammar, baseline, line, state, attempts = 4) {
  let best = Infinity;
  let baseMs = 0;
  let result;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const t0 = cpuMs();
    result = grammar.tokenizeLine2(line, state);
    best = Math.min(best, cpuMs() - t0);
    baseMs = baseline.ms(line.length, attempt > 0);
    if (!overBudget(best, baseMs)) break;
  }
  return {
    ms: best,
    baseMs,
    ratio: best / Math.max(baseMs, 1e-3),
    over: overBudget(best, baseMs),
    stoppedEarly: result.stoppedEarly,
    ruleStack: result.ruleStack,
  };
}

function stateAfter(grammar, lines) {
  let state = INITIAL;
  for (const line of lines) state = grammar.tokenizeLine(line, state).ruleStack;
  return state;
}

/**
 * Run the fuzz. Returns { results: [{ name, passed, worstMs, worstRatio, worstLine, lines }], totalLines, seed }.
 * @param {{ grammar?: object, count?: number, log?: (s: string) => void }} [options]
 */
export async function runFuzz(options = {}) {
  const grammar = options.grammar ?? (await loadGrammar());
  const count = options.count ?? 2000;
  const log = options.log ?? (() => {});
  const rand = prng(SEED);
  const states = Object.fromEntries(Object.entries(CONTEXTS).map(([k, v]) => [k, stateAfter(grammar, v)]));

  // Warm up the JIT and the regex caches so the first measured line is not penalised.
  for (let i = 0; i < 50; i++) grammar.tokenizeLine2(soup(rand, 200), states.body);
  const baseline = new Baseline(grammar, states.body);

  /** @type {Map<string, {name: string, worstMs: number, worstLine: string, worstContext: string, lines: number, failures: string[]}>} */
  const groups = new Map();
  const measure = (family, line, contextName) => {
    const group = THIRD_PARTY_CONTEXTS.has(contextName) ? `embedded YAML (informational): ${family}` : family;
    let g = groups.get(group);
    if (!g) {
      g = {
        name: group,
        informational: THIRD_PARTY_CONTEXTS.has(contextName),
        worstMs: 0,
        worstRatio: 0,
        worstLine: '',
        worstContext: '',
        lines: 0,
        failures: [],
      };
      groups.set(group, g);
    }
    const { ms, baseMs, ratio, over, stoppedEarly } = timeLine(grammar, baseline, line, states[contextName], g.informational ? 1 : 4);
    g.lines++;
    if (ms > g.worstMs) Object.assign(g, { worstMs: ms, worstLine: line, worstContext: contextName });
    if (ms > NOISE_FLOOR_MS) g.worstRatio = Math.max(g.worstRatio, ratio);
    if (over || stoppedEarly) {
      g.failures.push(
        `${contextName}: ${ms.toFixed(1)} ms for ${line.length} chars (${ratio.toFixed(0)}× the baseline's ${baseMs.toFixed(1)} ms): ${JSON.stringify(line.slice(0, 60))}…`,
      );
    }
  };

  // 1. Every fixed family at several lengths, in every context.
  for (const len of [100, 1000, MAX_LEN]) {
    for (const [name, line] of Object.entries(families(len))) {
      for (const ctx of Object.keys(CONTEXTS)) {
        // The third-party YAML grammar needs seconds for some 10k-char lines
        // (e.g. `<<<dotprompt:section ` × 500); informational runs stop at 1k.
        if (THIRD_PARTY_CONTEXTS.has(ctx) && len > 1000) continue;
        measure(`family: ${name}`, line.slice(0, MAX_LEN), ctx);
      }
    }
  }
  // 2. Random soup of grammar fragments: many short lines, some long ones.
  const ctxNames = Object.keys(CONTEXTS);
  for (let i = 0; i < count; i++) {
    const len = i % 100 === 0 ? MAX_LEN : 1 + Math.floor(rand() * 400);
    measure('random fragment soup', soup(rand, len), ctxNames[i % ctxNames.length]);
  }
  // 3. Random printable ASCII noise.
  for (let i = 0; i < Math.floor(count / 4); i++) {
    const len = i % 50 === 0 ? MAX_LEN : 1 + Math.floor(rand() * 300);
    let s = '';
    for (let j = 0; j < len; j++) s += String.fromCharCode(32 + Math.floor(rand() * 95));
    measure('random ASCII noise', s, ctxNames[i % ctxNames.length]);
  }

  // 4. A random multi-line document: the state carries over from line to line, so
  //    unclosed constructs nest across lines instead of being reset each time.
  {
    let state = states.body;
    const g = {
      name: 'random document (state carried across lines)',
      informational: false,
      worstMs: 0,
      worstRatio: 0,
      worstLine: '',
      worstContext: 'carried',
      lines: 0,
      failures: [],
    };
    groups.set(g.name, g);
    for (let i = 0; i < Math.floor(count / 2); i++) {
      const line = soup(rand, Math.floor(rand() * 200));
      const { ms, ratio, over, stoppedEarly, ruleStack } = timeLine(grammar, baseline, line, state);
      state = ruleStack;
      g.lines++;
      if (ms > g.worstMs) Object.assign(g, { worstMs: ms, worstLine: line });
      if (ms > NOISE_FLOOR_MS) g.worstRatio = Math.max(g.worstRatio, ratio);
      if (over || stoppedEarly)
        g.failures.push(`line ${i}: ${ms.toFixed(1)} ms (${ratio.toFixed(0)}× the baseline): ${JSON.stringify(line.slice(0, 60))}…`);
    }
  }

  const results = [...groups.values()].map((g) => ({ ...g, passed: g.informational || g.failures.length === 0 }));
  const totalLines = results.reduce((n, r) => n + r.lines, 0);
  for (const r of results) {
    if (!r.passed) log(`FAIL fuzz ${r.name}\n    ${r.failures.slice(0, 5).join('\n    ')}`);
    else if (r.failures.length) log(`note: over budget in third-party grammar, ${r.name}\n    ${r.failures.slice(0, 2).join('\n    ')}`);
  }
  return { results, totalLines, seed: SEED, maxRatio: MAX_RATIO };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { results, totalLines } = await runFuzz({ log: console.log });
  const ours = results.filter((r) => !r.informational);
  const worst = ours.reduce((a, b) => (b.worstMs > a.worstMs ? b : a));
  const failed = results.filter((r) => !r.passed).length;
  for (const r of [...ours].sort((a, b) => b.worstMs - a.worstMs).slice(0, 8)) {
    console.log(
      `${r.worstMs.toFixed(2).padStart(8)} ms ${r.worstRatio.toFixed(1).padStart(6)}×  ${r.name} [${r.worstContext}] (${r.worstLine.length} chars)`,
    );
  }
  console.log(`fuzz: ${totalLines} lines, worst ${worst.worstMs.toFixed(1)} ms (${worst.name}), ${failed} groups over budget`);
  process.exit(failed ? 1 : 0);
}
