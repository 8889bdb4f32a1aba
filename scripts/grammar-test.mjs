// `npm run test:grammar` — everything about the Dotprompt TextMate grammar:
//
//   1. build   syntaxes/dotprompt.tmLanguage.yaml -> .json (regexes compiled, includes resolved)
//   2. fixtures  vscode-tmgrammar-test over test/grammar/**/*.prompt, with the
//                YAML grammar from tm-grammars loaded via -g
//   3. samples   scope assertions over ../shared/corpus/dotprompt/samples/*.prompt
//                (read in place) — see test/grammar/samples.mjs
//   4. fuzz      catastrophic-backtracking fuzz: each line against a well-formed baseline line —
//                see test/grammar/fuzz.mjs
//
// Exits non-zero on any failure; the last line of output is always
// `grammar: N passed, M failed`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGrammar } from './build-grammar.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const FIXTURE_TIMEOUT_MS = 120_000;

let passed = 0;
let failed = 0;
const pass = (what) => {
  passed++;
  console.log(`  ✓ ${what}`);
};
const fail = (what, details = []) => {
  failed++;
  console.log(`  ✖ ${what}`);
  for (const d of details) console.log(`      ${d}`);
};

function finish() {
  console.log(`grammar: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/** Run the vscode-tmgrammar-test CLI; resolves { code, output }. */
function runTmGrammarTest(args) {
  const pkgDir = path.dirname(require.resolve('vscode-tmgrammar-test/package.json'));
  const cli = path.join(pkgDir, 'dist', 'unit.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n(timed out after ${FIXTURE_TIMEOUT_MS / 1000}s)`;
      child.kill('SIGKILL');
    }, FIXTURE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 1 : 0), output });
    });
  });
}

async function main() {
  // 1. Build.
  console.log('build');
  let build;
  try {
    build = await buildGrammar();
    if (build.grammar.scopeName !== 'source.dotprompt') throw new Error(`scopeName is ${build.grammar.scopeName}`);
    pass(`${path.relative(root, build.output)} (${build.regexCount} regexes${build.validated ? ', all compile' : ''})`);
  } catch (err) {
    fail('build grammar', [err.message]);
    return finish(); // nothing else can run without a grammar
  }

  // 2. Fixtures through vscode-tmgrammar-test.
  console.log('fixtures (vscode-tmgrammar-test)');
  const yamlGrammar = path.relative(root, require.resolve('tm-grammars/grammars/yaml.json'));
  const { code, output } = await runTmGrammarTest([
    '--config',
    'test/grammar/tmgrammar-test.config.json',
    '-g',
    yamlGrammar,
    'test/grammar/**/*.prompt',
  ]);
  const fileResults = [...output.matchAll(/^(✓|✖) (\S+) (?:run successfuly|failed)/gm)];
  for (const [, mark, file] of fileResults) {
    if (mark === '✓') pass(file);
    else fail(file);
  }
  const parseErrors = [...output.matchAll(/^ERROR can't parse testcase: (\S+)/gm)];
  for (const [, file] of parseErrors) fail(`${file} (fixture could not be parsed)`);
  if (code !== 0 || fileResults.length === 0) {
    // Print the tool's own report (failed assertions, parse errors) verbatim.
    console.log(output.replace(/^/gm, '      | '));
    if (!fileResults.some(([, mark]) => mark === '✖') && parseErrors.length === 0) {
      fail(`vscode-tmgrammar-test exited with code ${code}`);
    }
  }

  // 3. Shared sample corpus.
  console.log('samples (../shared/corpus/dotprompt/samples)');
  const { checkSamples } = await import('../test/grammar/samples.mjs');
  const { loadGrammar } = await import('../test/grammar/registry.mjs');
  const grammar = await loadGrammar();
  try {
    for (const r of await checkSamples({ grammar })) {
      if (r.failures.length === 0) pass(`${r.file} (${r.assertions} assertions)`);
      else fail(`${r.file} (${r.failures.length} of ${r.assertions} assertions failed)`, r.failures.slice(0, 10));
    }
  } catch (err) {
    fail('samples', [err.message]);
  }

  // 4. Fuzz.
  const { runFuzz, MAX_RATIO, MAX_LEN } = await import('../test/grammar/fuzz.mjs');
  console.log(`fuzz (lines of up to ${MAX_LEN} chars; each within ${MAX_RATIO}× a well-formed line of its length, timed in the same run)`);
  const notes = [];
  const fuzz = await runFuzz({ grammar, log: (s) => notes.push(s) });
  for (const r of fuzz.results) {
    if (r.informational) continue;
    const label = `${r.name}: ${r.lines} lines, worst ${r.worstMs.toFixed(1)} ms${r.worstRatio > 0 ? ` (${r.worstRatio.toFixed(1)}× baseline)` : ''}`;
    if (r.passed) pass(label);
    else fail(label, r.failures.slice(0, 5));
  }
  const info = fuzz.results.filter((r) => r.informational);
  if (info.length) {
    const worst = info.reduce((a, b) => (b.worstMs > a.worstMs ? b : a));
    console.log(
      `  (embedded YAML grammar, not counted: ${info.reduce((n, r) => n + r.lines, 0)} lines, worst ${worst.worstMs.toFixed(0)} ms on '${worst.name.replace(/^.*: /, '')}')`,
    );
  }
  finish();
}

main().catch((err) => {
  console.error(err?.stack ?? err);
  failed++;
  finish();
});
