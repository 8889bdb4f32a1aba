// Hostile files: each one gets a clear diagnostic or a clean result, from the analysis, the
// language features, formatting and rendering. Slow steps are printed so that slow paths show up
// in the test log; speed itself is measured in bench/ (a loaded machine must not fail a test).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodePromptBytes, firstInvalidUtf8 } from '../../src/core/io/read-prompt';
import { completeAt } from '../../src/core/language/completion';
import { foldingRanges } from '../../src/core/language/folding';
import { applyEdits, formatPrompt } from '../../src/core/language/format';
import { hoverAt } from '../../src/core/language/hover';
import { documentSymbols } from '../../src/core/language/symbols';
import { analyzePrompt, type PromptAnalysis } from '../../src/core/prompt/analyze';
import { PromptRenderError, renderPrompt, type RenderedPrompt } from '../../src/core/prompt/render';

const MB = 1024 * 1024;

async function timed<T>(label: string, run: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  const ms = performance.now() - start;
  if (ms > 500) console.log(`timing: ${label}: ${ms.toFixed(0)} ms`);
  return result;
}

const codes = (a: PromptAnalysis): string[] => a.diagnostics.map((d) => d.code);

/** Analysis plus every language feature; returns the analysis. */
async function analyzeAll(label: string, text: string): Promise<PromptAnalysis> {
  const analysis = await timed(`${label}: analyze`, () => analyzePrompt(text));
  await timed(`${label}: language features`, () => {
    documentSymbols(analysis);
    foldingRanges(analysis);
    completeAt(analysis, text.length);
    completeAt(analysis, Math.floor(text.length / 2));
    hoverAt(analysis, analysis.layout.lines.positionAt(Math.floor(text.length / 2)));
  });
  return analysis;
}

/** Renders, accepting a clean refusal (PromptRenderError) with a short message as a result. */
async function renderOrRefuse(label: string, text: string, input?: Record<string, unknown>): Promise<RenderedPrompt | PromptRenderError> {
  return timed(`${label}: render`, async () => {
    try {
      return await renderPrompt(text, input ? { input } : {});
    } catch (err) {
      assert.ok(err instanceof PromptRenderError, `render threw ${String(err)}`);
      assert.ok(err.message.length < 1_000, `render error message is ${err.message.length} chars long`);
      return err;
    }
  });
}

function refusedWith(result: RenderedPrompt | PromptRenderError, code: string): void {
  assert.ok(result instanceof PromptRenderError, 'rendering should have been refused');
  assert.equal(result.code, code, result.message);
}

describe('5 MB of text', () => {
  const line = 'The quick brown fox {{name}} jumps over the lazy dog, again and again.\n';
  const dense = `---\nmodel: a/b\n---\n${line.repeat(Math.ceil((5 * MB) / line.length))}`;

  test('a 5 MB template is not parsed: one information diagnostic; the frontmatter is still checked', async () => {
    const withTypo = dense.replace('model: a/b', 'modle: a/b');
    const analysis = await analyzeAll('5 MB', withTypo);
    assert.deepEqual(codes(analysis), ['unknown-key', 'template-too-large']);
    assert.equal(analysis.diagnostics[1]!.severity, 'information');
    assert.deepEqual(await timed('5 MB: format', () => formatPrompt(dense)), []);
  });

  test('rendering 5 MB with over 70,000 mustaches is refused cleanly (Handlebars would take many seconds)', async () => {
    refusedWith(await renderOrRefuse('5 MB dense', dense), 'template-too-large');
  });

  test('5 MB of plain text with a few mustaches renders', async () => {
    const text = `{{role "user"}}Hi {{name}}.\n${'plain words only here. '.repeat(Math.ceil((5 * MB) / 23))}`;
    const result = await renderOrRefuse('5 MB plain', text, { name: 'Ann' });
    assert.ok(!(result instanceof PromptRenderError), String(result));
    const part = result.messages[0]!.content[0] as { text: string };
    assert.ok(part.text.startsWith('Hi Ann.'));
    assert.ok(part.text.length > 5 * MB);
  });

  test('20,000 tidy-able mustaches are formatted', async () => {
    const text = '{{ name }}\n'.repeat(20_000);
    const edits = await timed('20k mustaches: format', () => formatPrompt(text));
    assert.equal(edits.length, 20_000);
    assert.equal(applyEdits(text, edits), '{{name}}\n'.repeat(20_000));
  });
});

describe('a 5 MB line of {{', () => {
  test('is a clean diagnostic, format leaves it alone, render refuses with a short message', async () => {
    const text = '{{'.repeat(2.5 * MB);
    const analysis = await analyzeAll('{{ line', text);
    assert.deepEqual(codes(analysis), ['template-too-large']);
    assert.deepEqual(await timed('{{ line: format', () => formatPrompt(text)), []);
    refusedWith(await renderOrRefuse('{{ line', text), 'template-too-large');
  });

  test('below the size limits it is a Handlebars syntax error', async () => {
    const text = '{{'.repeat(20_000);
    const analysis = await analyzeAll('{{ x 20k', text);
    assert.deepEqual(codes(analysis), ['handlebars-syntax']);
    refusedWith(await renderOrRefuse('{{ x 20k', text), 'handlebars-syntax');
  });

  test('an unterminated comment of 1.9 MB', async () => {
    const analysis = await analyzeAll('open comment', `{{!-- ${'x '.repeat(950_000)}`);
    assert.deepEqual(codes(analysis), ['handlebars-syntax']);
  });
});

describe('invalid UTF-8 and binary bytes', () => {
  test('decodePromptBytes names the first invalid byte, and the analysis flags U+FFFD', async () => {
    const bytes = new Uint8Array([0x61, 0x62, 0x0a, 0x63, 0xff, 0x64, 0x0a]);
    const decoded = decodePromptBytes(bytes);
    assert.equal(decoded.text, 'ab\nc\uFFFDd\n');
    assert.equal(decoded.diagnostics.length, 1);
    const [d] = decoded.diagnostics;
    assert.equal(d!.code, 'invalid-utf8');
    assert.equal(d!.severity, 'error');
    assert.match(d!.message, /byte 4 \(0xff\)/);
    assert.deepEqual(d!.range, { start: { line: 1, character: 1 }, end: { line: 1, character: 2 } });
    assert.deepEqual(codes(await analyzePrompt(decoded.text)), ['replacement-character']);
  });

  test('truncated and overlong sequences, and a byte order mark', () => {
    assert.equal(firstInvalidUtf8(new Uint8Array([0x61, 0xe2, 0x82])), 1); // € cut short
    assert.equal(firstInvalidUtf8(new Uint8Array([0xc0, 0x80])), 0); // overlong NUL
    const valid = new TextEncoder().encode('héllo €𝄞');
    assert.equal(firstInvalidUtf8(valid), valid.length);
    const bom = decodePromptBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]));
    assert.deepEqual(bom, { text: 'hi', diagnostics: [] });
    const cut = decodePromptBytes(new Uint8Array([0x61, 0x0a, 0x62, 0xe2, 0x82]));
    assert.match(cut.diagnostics[0]!.message, /byte 3 \(0xe2\)/);
  });

  test('binary bytes: one binary-content error; render refuses', async () => {
    const bytes = new Uint8Array(64 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    const decoded = decodePromptBytes(bytes);
    assert.equal(decoded.diagnostics[0]?.code, 'invalid-utf8');
    const analysis = await analyzeAll('binary', decoded.text);
    assert.deepEqual(codes(analysis), ['binary-content']);
    await timed('binary: format', () => formatPrompt(decoded.text));
    refusedWith(await renderOrRefuse('binary', decoded.text), 'binary-content');
  });
});

describe('YAML alias bomb', () => {
  const levels = 'abcdefghi'.split('');
  const bomb = [
    '---',
    `${levels[0]}: &${levels[0]} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`,
    ...levels.slice(1).map((c, i) => `${c}: &${c} [${Array(9).fill(`*${levels[i]}`).join(',')}]`),
    '---',
    'hi',
    '',
  ].join('\n');

  test('billion laughs is refused with a clean invalid-yaml diagnostic', async () => {
    const analysis = await analyzeAll('alias bomb', bomb);
    assert.deepEqual(codes(analysis), ['invalid-yaml']);
    assert.match(analysis.diagnostics[0]!.message, /alias/i);
    await timed('alias bomb: format', () => formatPrompt(bomb));
    refusedWith(await renderOrRefuse('alias bomb', bomb), 'invalid-yaml');
  });

  test('a few aliases are fine', async () => {
    assert.deepEqual(codes(await analyzePrompt('---\nx.a: &a [1, 2]\nx.b: *a\n---\nhi\n')), []);
  });
});

describe('deep nesting', () => {
  const nested = (depth: number): string =>
    `{{role "user"}}\n${Array.from({ length: depth }, () => '{{#if x}}').join('\n')}\ny\n${Array.from({ length: depth }, () => '{{/if}}').join('\n')}\n`;

  test('1,000-deep blocks: clean analysis, outline and folding, formatting and rendering', async () => {
    const text = nested(1000);
    const analysis = await analyzeAll('1000 deep', text);
    assert.deepEqual(codes(analysis), []);
    let depth = 0;
    for (let node = documentSymbols(analysis)[0]; node && node.children.length > 0; node = node.children[0]) depth++;
    assert.equal(depth, 1000);
    assert.equal(foldingRanges(analysis).length, 1000);
    assert.deepEqual(await timed('1000 deep: format', () => formatPrompt(text)), []);
    const result = await renderOrRefuse('1000 deep', text, { x: true });
    assert.ok(!(result instanceof PromptRenderError), String(result));
    assert.deepEqual(result.messages, [{ role: 'user', content: [{ text: '\ny\n' }] }]);
  });

  // Handlebars' parser slows with the square of the depth and overflows the stack past ~2,000.
  const tooDeep: Record<string, string> = {
    'blocks 5,000 deep': nested(5000),
    'blocks 20,000 deep': nested(20_000),
    'an else-if chain 3,000 long': `{{#if a}}x${'{{else if b}}y'.repeat(3000)}{{/if}}\n`,
    'subexpressions 3,000 deep': `{{json ${'(json '.repeat(3000)}x${')'.repeat(3000)}}}\n`,
    'partial blocks 3,000 deep': `${'{{#> p}}'.repeat(3000)}${'{{/p}}'.repeat(3000)}`,
  };
  for (const [name, text] of Object.entries(tooDeep)) {
    test(`${name}: one information diagnostic, no formatting, render refused`, async () => {
      const analysis = await analyzeAll(name, text);
      assert.deepEqual(codes(analysis), ['template-too-large']);
      assert.deepEqual(await timed(`${name}: format`, () => formatPrompt(text)), []);
      refusedWith(await renderOrRefuse(name, text), 'template-too-large');
    });
  }
});

describe('long whitespace runs', () => {
  // Were quadratic in formatPrompt (/\s+$/ and /[ \t]+(?=\n)/ backtracking): 80,000 chars took 19 s.
  const runs: Record<string, string> = {
    'spaces and tabs': `a${' \t'.repeat(500_000)}b\n`,
    'blank lines': `---\nmodel: a\n---\na${'\n'.repeat(1_000_000)}b\n`,
    'a --- line, then blank lines and no closing fence': `---${'\n'.repeat(1_000_000)}x`,
  };
  for (const [name, text] of Object.entries(runs)) {
    test(`${name}: analysis and formatting stay linear`, async () => {
      await analyzeAll(name, text);
      const edits = await timed(`${name}: format`, () => formatPrompt(text));
      assert.ok(edits.length <= 2);
    });
  }

  // The library's FRONTMATTER_AND_BODY_REGEX backtracks quadratically on a `---` line followed by
  // a long blank run with no closing fence (1 MB used to hang). renderPrompt must not hand such a
  // file to that regex; the timeout is a hang guard, not a speed measurement.
  test('a --- line followed by 200,000 blank lines renders as plain text', { timeout: 30_000 }, async () => {
    const source = `---${'\r\n'.repeat(200_000)}x`;
    const rendered = await renderPrompt(source);
    assert.equal(rendered.messages.length, 1);
    const part = rendered.messages[0]!.content[0] as { text: string };
    assert.equal(part.text, source);
  });
});

describe('CRLF and empty files', () => {
  const lf = '---\nmodel: ollama/x\nconfig:\n  temperature: 0.5\n---\n{{role "system"}}\nBe brief.\n{{role "user"}}\nHi {{ name }}   \n';
  const crlf = lf.replace(/\n/g, '\r\n');

  test('a CRLF file analyses, formats with CRLF and renders like the LF file', async () => {
    assert.deepEqual(codes(await analyzeAll('crlf', crlf)), []);
    assert.equal(applyEdits(crlf, formatPrompt(crlf)), crlf.replace('{{ name }}   ', '{{name}}'));
    const a = await renderPrompt(lf, { input: { name: 'Ann' } });
    const b = await renderPrompt(crlf, { input: { name: 'Ann' } });
    assert.equal(b.model, 'ollama/x');
    assert.deepEqual(b.config, { temperature: 0.5 });
    assert.deepEqual(JSON.parse(JSON.stringify(b.messages).replace(/\\r\\n/g, '\\n')), JSON.parse(JSON.stringify(a.messages)));
  });

  test('an empty file: no diagnostics, symbols, folds or edits; renders to no messages', async () => {
    const analysis = await analyzeAll('empty', '');
    assert.deepEqual(codes(analysis), []);
    assert.deepEqual(documentSymbols(analysis), []);
    assert.deepEqual(foldingRanges(analysis), []);
    assert.deepEqual(formatPrompt(''), []);
    const result = await renderPrompt('');
    assert.deepEqual(result.messages, []);
  });
});
