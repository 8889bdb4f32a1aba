// Scope assertions over the shared Dotprompt sample corpus
// (../shared/corpus/dotprompt/samples/*.prompt, read in place — never copied).
//
// The expected structure of each sample is computed independently of the
// grammar by a small scanner (`outline` below) that splits the file into the
// licence header, the frontmatter and the body, and splits the body into
// text, comments and mustaches the way the Handlebars lexer does. The grammar's
// tokens are then checked against that outline, character by character.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INITIAL, SAMPLES_DIR, loadGrammar } from './registry.mjs';

const BUILTINS = {
  if: 'keyword.control.conditional.dotprompt',
  unless: 'keyword.control.conditional.dotprompt',
  each: 'keyword.control.loop.dotprompt',
  with: 'keyword.control.with.dotprompt',
  lookup: 'keyword.control.builtin.dotprompt',
  log: 'keyword.control.builtin.dotprompt',
};
const DOTPROMPT_HELPERS = new Set(['role', 'history', 'section', 'media', 'json', 'ifEquals', 'unlessEquals']);

/**
 * Split a source file into regions, independently of the grammar.
 * Returns { lines, headerEnd, fmStart, fmEnd, spans } where line indexes are
 * 0-based (fmStart/fmEnd are the fence lines, -1 if absent) and spans are
 * { kind: 'comment'|'mustache', line, col, endLine, endCol, text } in the body.
 */
export function outline(text) {
  const lines = text.split(/\r\n|\r|\n/);
  let i = 0;
  while (i < lines.length && /^[ \t]*(#.*)?$/.test(lines[i]) && !/^---[ \t]*$/.test(lines[i])) i++;
  let fmStart = -1;
  let fmEnd = -1;
  if (i < lines.length && /^---[ \t]*$/.test(lines[i])) {
    fmStart = i;
    for (let j = i + 1; j < lines.length; j++) {
      if (/^---[ \t]*$/.test(lines[j])) {
        fmEnd = j;
        break;
      }
    }
  }
  const headerEnd = fmStart >= 0 ? fmStart : 0;
  const bodyStart = fmEnd >= 0 ? fmEnd + 1 : fmStart >= 0 ? lines.length : 0;

  // Body as one string with a map back to (line, col).
  const body = lines.slice(bodyStart).join('\n');
  const pos = (offset) => {
    const before = body.slice(0, offset).split('\n');
    return { line: bodyStart + before.length - 1, col: before[before.length - 1].length };
  };
  const spans = [];
  let k = 0;
  while ((k = body.indexOf('{{', k)) !== -1) {
    if (body[k - 1] === '\\') {
      k += 2;
      continue;
    }
    let end;
    let kind;
    if (/^\{\{~?!--/.test(body.slice(k, k + 6))) {
      kind = 'comment';
      const m = /--~?\}\}/g;
      m.lastIndex = k;
      const r = m.exec(body);
      end = r ? r.index + r[0].length : body.length;
    } else if (/^\{\{~?!/.test(body.slice(k, k + 4))) {
      kind = 'comment';
      const r = body.indexOf('}}', k);
      end = r === -1 ? body.length : r + 2;
    } else {
      kind = 'mustache';
      // Skip over quoted strings so a `}}` inside a string does not close the tag.
      let p = k + 2;
      let quote = null;
      for (; p < body.length; p++) {
        const c = body[p];
        if (quote) {
          if (c === '\\' && body[p + 1] === quote) p++;
          else if (c === quote) quote = null;
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '}' && body[p + 1] === '}') break;
      }
      end = Math.min(body.length, p + 2);
      if (body[k + 2] === '{' && body[end] === '}') end++; // triple-stash
    }
    const a = pos(k);
    const b = pos(end);
    spans.push({ kind, line: a.line, col: a.col, endLine: b.line, endCol: b.col, text: body.slice(k, end) });
    k = end;
  }
  return { lines, headerEnd, fmStart, fmEnd, bodyStart, spans };
}

/** Scopes of the token covering (line, col). */
function scopesAt(doc, line, col) {
  const t = doc[line].find((tok) => tok.start <= col && col < tok.end);
  return t ? t.scopes : [];
}

/** Expected scope for the head word of a mustache, or null if not classified. */
function expectedHead(tagText) {
  const m = /^\{\{~?(#>|#\*|[#/^>&*{]?)\s*(?:(else)\s+)?([^\s}~()=]+)(\s*[^\s}~])?/.exec(tagText);
  if (!m) return null;
  const [, sigil, elseKw, word, rest] = m;
  if (sigil === '#*' || sigil === '*') return { word, scope: 'entity.name.function.decorator.dotprompt' };
  if (sigil === '>' || sigil === '#>') return { word, scope: 'entity.name.function.partial.dotprompt' };
  if (word.startsWith('@') || word.startsWith('.') || word.includes('.') || word.includes('/')) return null;
  if (BUILTINS[word]) return { word, scope: BUILTINS[word] };
  if (DOTPROMPT_HELPERS.has(word)) return { word, scope: 'support.function.dotprompt' };
  if (word === 'else' && !elseKw) return { word, scope: 'keyword.control.conditional.dotprompt' };
  if (word === 'this') return { word, scope: 'variable.language.this.dotprompt' };
  if (sigil === '#' || sigil === '/' || sigil === '^' || elseKw) return { word, scope: 'entity.name.function.helper.dotprompt' };
  if (/^(true|false|null|undefined|-?\d+(\.\d+)?)$/.test(word)) return null;
  return { word, scope: rest ? 'entity.name.function.helper.dotprompt' : 'variable.other.dotprompt' };
}

/**
 * Check one sample. Returns { file, assertions, failures: string[] }.
 */
export function checkSample(grammar, file, text) {
  const failures = [];
  let assertions = 0;
  const expect = (cond, msg) => {
    assertions++;
    if (!cond) failures.push(msg);
  };
  const has = (scopes, s) => scopes.includes(s);
  const hasPrefix = (scopes, p) => scopes.some((s) => s === p || s.startsWith(`${p}.`));

  const o = outline(text);
  // Tokenize.
  const doc = [];
  let state = INITIAL;
  for (const [n, line] of o.lines.entries()) {
    const r = grammar.tokenizeLine(line, state, 1000);
    expect(!r.stoppedEarly, `line ${n + 1}: tokenization stopped early`);
    expect(r.tokens.length > 0 && r.tokens[r.tokens.length - 1].endIndex >= line.length, `line ${n + 1}: tokens do not cover the line`);
    doc.push(r.tokens.map((t) => ({ start: t.startIndex, end: t.endIndex, scopes: t.scopes })));
    state = r.ruleStack;
  }
  // The document must end outside every construct: a probe line is a plain top-level mustache.
  const probe = grammar.tokenizeLine('{{probe}}', state).tokens[0].scopes;
  expect(
    probe.length === 3 && probe[1] === 'meta.tag.template.dotprompt',
    `document does not end at top level (probe scopes: ${probe.join(' ')})`,
  );

  // Licence header: every non-blank line is a `#` comment.
  for (let n = 0; n < o.headerEnd; n++) {
    const line = o.lines[n];
    if (!line.trim()) continue;
    const col = line.indexOf('#');
    expect(has(scopesAt(doc, n, col), 'punctuation.definition.comment.dotprompt'), `line ${n + 1}: header '#' is not comment punctuation`);
    if (line.length > col + 1) {
      expect(has(scopesAt(doc, n, line.length - 1), 'comment.line.number-sign.dotprompt'), `line ${n + 1}: header line is not a comment`);
    }
  }
  // Frontmatter.
  expect(o.fmStart >= 0 && o.fmEnd > o.fmStart, 'sample has no frontmatter (outline)');
  if (o.fmStart >= 0 && o.fmEnd > o.fmStart) {
    expect(has(scopesAt(doc, o.fmStart, 0), 'punctuation.definition.frontmatter.begin.dotprompt'), `line ${o.fmStart + 1}: opening fence`);
    expect(has(scopesAt(doc, o.fmEnd, 0), 'punctuation.definition.frontmatter.end.dotprompt'), `line ${o.fmEnd + 1}: closing fence`);
    for (let n = o.fmStart + 1; n < o.fmEnd; n++) {
      for (const t of doc[n]) {
        if (!o.lines[n].slice(t.start, t.end).trim()) continue;
        expect(
          has(t.scopes, 'source.yaml') && has(t.scopes, 'meta.embedded.block.frontmatter'),
          `line ${n + 1} col ${t.start + 1}: frontmatter token without source.yaml`,
        );
      }
      // Top-level mapping keys are YAML tags. (Nested keys are left to the YAML
      // grammar: Picoschema lines such as `style?: "a" | "b"` are not valid YAML
      // and legitimately send it into a block scalar until the next top-level key.)
      const key = /^()([A-Za-z_][\w?]*):(\s|$)/.exec(o.lines[n]);
      if (key) {
        expect(
          has(scopesAt(doc, n, key[1].length), 'entity.name.tag.yaml'),
          `line ${n + 1}: YAML key '${key[2]}' is not entity.name.tag.yaml`,
        );
      }
    }
  }
  // Body: nothing is YAML or frontmatter any more.
  for (let n = o.bodyStart; n < o.lines.length; n++) {
    for (const t of doc[n]) {
      expect(
        !has(t.scopes, 'source.yaml') && !has(t.scopes, 'meta.frontmatter.dotprompt'),
        `line ${n + 1} col ${t.start + 1}: body token still in frontmatter`,
      );
    }
  }

  // Body spans: comments, mustaches and the text between them.
  const inSpan = new Map(); // "line:col" -> span
  for (const span of o.spans) {
    for (let n = span.line; n <= span.endLine; n++) {
      const from = n === span.line ? span.col : 0;
      const to = n === span.endLine ? span.endCol : o.lines[n].length;
      for (let c = from; c < to; c++) inSpan.set(`${n}:${c}`, span);
    }
  }
  for (let n = o.bodyStart; n < o.lines.length; n++) {
    const line = o.lines[n];
    for (let c = 0; c < line.length; c++) {
      if (/\s/.test(line[c])) continue;
      const span = inSpan.get(`${n}:${c}`);
      const scopes = scopesAt(doc, n, c);
      if (!span) {
        expect(
          scopes.length === 1 && scopes[0] === 'source.dotprompt',
          `line ${n + 1} col ${c + 1}: text '${line[c]}' has scopes ${scopes.join(' ')}`,
        );
      } else if (span.kind === 'comment') {
        expect(
          has(scopes, 'comment.block.dotprompt'),
          `line ${n + 1} col ${c + 1}: comment char '${line[c]}' has scopes ${scopes.join(' ')}`,
        );
      } else {
        expect(
          hasPrefix(scopes, 'meta.tag.template') && !has(scopes, 'comment.block.dotprompt'),
          `line ${n + 1} col ${c + 1}: mustache char '${line[c]}' has scopes ${scopes.join(' ')}`,
        );
      }
    }
  }
  // Inside mustaches: delimiters, head words, hash keys, strings, numbers, data variables.
  for (const span of o.spans) {
    if (span.kind !== 'mustache') continue;
    const where = `line ${span.line + 1} '${span.text.replace(/\s+/g, ' ').slice(0, 40)}'`;
    expect(has(scopesAt(doc, span.line, span.col), 'punctuation.definition.tag.begin.dotprompt'), `${where}: opening '{{' scope`);
    expect(has(scopesAt(doc, span.endLine, span.endCol - 1), 'punctuation.definition.tag.end.dotprompt'), `${where}: closing '}}' scope`);
    const head = expectedHead(span.text);
    // Locate a match inside the span text and check the scope at its first character.
    const at = (offset) => {
      const before = span.text.slice(0, offset).split('\n');
      const line = span.line + before.length - 1;
      const col = (before.length === 1 ? span.col : 0) + before[before.length - 1].length;
      return scopesAt(doc, line, col);
    };
    if (head) {
      const off = span.text.indexOf(head.word, 2);
      expect(has(at(off), head.scope), `${where}: head '${head.word}' expected ${head.scope}, got ${at(off).join(' ')}`);
    }
    for (const m of span.text.matchAll(/([A-Za-z_][\w-]*)\s*=/g)) {
      expect(has(at(m.index), 'variable.parameter.hash.dotprompt'), `${where}: hash key '${m[1]}'`);
    }
    for (const m of span.text.matchAll(/"[^"]*"|'[^']*'/g)) {
      const kind = m[0][0] === '"' ? 'double' : 'single';
      expect(has(at(m.index), `string.quoted.${kind}.dotprompt`), `${where}: string ${m[0]}`);
    }
    for (const m of span.text.matchAll(/(?<=[\s=(])-?\d+(\.\d+)?(?=[\s)}~])/g)) {
      expect(has(at(m.index), 'constant.numeric.dotprompt'), `${where}: number ${m[0]}`);
    }
    for (const m of span.text.matchAll(/@([A-Za-z_]\w*)/g)) {
      expect(has(at(m.index + 1), 'variable.language.data.dotprompt'), `${where}: data variable @${m[1]}`);
    }
    for (const m of span.text.matchAll(/\(([A-Za-z_]\w*)/g)) {
      const sc = at(m.index + 1);
      expect(
        has(sc, 'meta.function-call.subexpression.dotprompt') &&
          (has(sc, 'entity.name.function.helper.dotprompt') || hasPrefix(sc, 'keyword.control') || has(sc, 'support.function.dotprompt')),
        `${where}: subexpression head '${m[1]}'`,
      );
    }
  }
  return { file, assertions, failures };
}

/** Check every sample in the corpus. */
export async function checkSamples(options = {}) {
  const grammar = options.grammar ?? (await loadGrammar());
  const dir = options.dir ?? SAMPLES_DIR;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.prompt')).sort();
  if (files.length === 0) throw new Error(`no samples found in ${dir}`);
  const results = [];
  for (const f of files) {
    const text = await readFile(path.join(dir, f), 'utf8');
    results.push(checkSample(grammar, f, text));
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = await checkSamples();
  let failed = 0;
  for (const r of results) {
    console.log(`${r.failures.length ? '✖' : '✓'} ${r.file}: ${r.assertions} assertions`);
    for (const f of r.failures.slice(0, 10)) console.log(`    ${f}`);
    if (r.failures.length) failed++;
  }
  process.exit(failed ? 1 : 0);
}
