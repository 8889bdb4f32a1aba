// The Dotprompt samples (../shared/corpus/dotprompt/samples): every one is analysed with the
// exact findings current tooling gives under dotprompt 1.1.2, and the clean ones render.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { nodeFileReader } from '../../src/core/io/node-reader';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import { PromptRenderError, renderPrompt } from '../../src/core/prompt/render';
import { SAMPLES_DIR } from './corpus';

const read = (name: string): string => readFileSync(path.join(SAMPLES_DIR, name), 'utf8');
const partials = { workspaceRoot: SAMPLES_DIR, promptDir: SAMPLES_DIR, partialsDirs: [], reader: nodeFileReader };

/** `code@line:character` (0-based) of each finding, per sample. */
const EXPECTED: Record<string, string[]> = {
  '01-basic.prompt': [],
  // `style?: "formal" | "casual" | "technical"`: a quoted scalar followed by more text is not YAML.
  '02-schema-and-config.prompt': ['invalid-yaml@30:21'],
  // Picoschema in dotprompt 1.1.2 has no `string[]` shorthand.
  '03-multimodal-media.prompt': ['invalid-schema@20:12'],
  '04-tools.prompt': [],
  // `string[]` again; `add` and `gt` are not Dotprompt or Handlebars helpers.
  '05-handlebars-helpers.prompt': ['invalid-schema@21:11', 'unknown-helper@48:4', 'unknown-helper@70:11'],
  // `{ … }[]` is a YAML flow map followed by `[]`; the partials are not in the samples folder
  // (`{{#> thankYouMessage}}` at line 54 has its own fallback content, so it renders without one).
  '06-partials.prompt': ['invalid-yaml@22:64', 'unknown-helper@48:14', 'missing-partial@43:0', 'missing-partial@47:0'],
  '07-multi-turn-history.prompt': [],
  // `{{section "thought"}} … {{/section}}`: section is not a block helper; the stray closer is marked.
  '08-sections-thinking.prompt': ['mismatched-block@57:0'],
  '09-complex-schema.prompt': ['invalid-schema@72:17'],
  '10-kitchen-sink.prompt': ['invalid-yaml@32:62', 'mismatched-block@130:0', 'unknown-helper@103:2'],
  '11-multilingual-unicode.prompt': [],
};

describe('sample diagnostics', () => {
  const present = readdirSync(SAMPLES_DIR)
    .filter((f) => f.endsWith('.prompt'))
    .sort();

  test('every sample has an expectation', () => {
    assert.deepEqual(present, Object.keys(EXPECTED).sort());
  });

  for (const name of present) {
    test(name, async () => {
      const analysis = await analyzePrompt(read(name), { partials, filePath: path.join(SAMPLES_DIR, name) });
      const found = analysis.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
      // Every sample starts with a licence header, which dotprompt 1.1.2 (Genkit JS) does not skip.
      assert.deepEqual(
        found.filter((f) => f.startsWith('header-before-frontmatter')),
        ['header-before-frontmatter@0:0'],
      );
      assert.deepEqual(
        found.filter((f) => !f.startsWith('header-before-frontmatter')),
        EXPECTED[name],
      );
      for (const d of analysis.diagnostics)
        assert.ok(d.message.length > 20 && !d.message.includes('\n'), `one readable line: ${d.message}`);
    });
  }

  test('the hints name the Picoschema fix', async () => {
    const [schema] = (await analyzePrompt(read('03-multimodal-media.prompt'))).diagnostics;
    assert.match(schema!.message, /images\(array\)|name\(array\): string/);
    const [flow] = (await analyzePrompt(read('06-partials.prompt'))).diagnostics;
    assert.match(flow!.message, /flow map followed by \[\]/);
    const [quoted] = (await analyzePrompt(read('02-schema-and-config.prompt'))).diagnostics;
    assert.match(quoted!.message, /name\(enum\)/);
  });

  test('the licence header is not part of the frontmatter or the template', async () => {
    const analysis = await analyzePrompt(read('01-basic.prompt'));
    assert.equal(analysis.frontmatter.data?.['model'], 'gemini-2.5-flash');
    assert.equal(analysis.layout.lines.positionAt(analysis.layout.frontmatter!.openStart).line, 16);
    const header = analysis.diagnostics.find((d) => d.code === 'header-before-frontmatter');
    assert.equal(header?.severity, 'information');
    assert.match(header?.message ?? '', /dotprompt 1\.1\.2, which Genkit JS uses, then sees no frontmatter/);
  });
});

describe('sample rendering', () => {
  const texts = (r: Awaited<ReturnType<typeof renderPrompt>>): string[] =>
    r.messages.map((m) => m.content.map((p) => ('text' in p ? p.text : '')).join(''));

  test('01-basic: one user message, licence header stripped, defaults for missing inputs', async () => {
    const r = await renderPrompt(read('01-basic.prompt'), { input: { question: 'Why?', context: 'CTX' } });
    assert.equal(r.model, 'gemini-2.5-flash');
    assert.deepEqual(
      r.messages.map((m) => m.role),
      ['user'],
    );
    assert.equal(texts(r)[0], "You are a helpful assistant. Answer the user's question.\n\nHere is some context: CTX\n\nUser: Why?");
    const bare = await renderPrompt(read('01-basic.prompt'));
    assert.equal(texts(bare)[0], "You are a helpful assistant. Answer the user's question.\n\n\nUser: ");
  });

  test('04-tools: system and user messages, tools and config from the frontmatter', async () => {
    const r = await renderPrompt(read('04-tools.prompt'), { input: { query: 'Weather?', userEmail: 'a@b.c' } });
    assert.equal(r.model, 'googleai/gemini-2.5-flash');
    assert.deepEqual(r.config, { temperature: 0.3 });
    assert.deepEqual(r.tools, ['getWeather', 'searchWeb', 'runCalculation', 'sendEmail']);
    assert.deepEqual(
      r.messages.map((m) => m.role),
      ['system', 'user'],
    );
    assert.equal(texts(r)[1], '\nWeather?\n\n(My email is: a@b.c)\n');
  });

  test('07-multi-turn-history: history goes where {{history}} is, marked as history', async () => {
    const r = await renderPrompt(read('07-multi-turn-history.prompt'), {
      input: { newMessage: 'Next' },
      messages: [
        { role: 'user', content: [{ text: 'earlier' }] },
        { role: 'model', content: [{ text: 'reply' }] },
      ],
    });
    // The library continues in the role of the last history message (dotprompt 1.1.2 behaviour).
    assert.deepEqual(
      r.messages.map((m) => m.role),
      ['system', 'user', 'model', 'model'],
    );
    assert.deepEqual(
      r.messages.map((m) => (m.metadata as { purpose?: string } | undefined)?.purpose),
      [undefined, 'history', 'history', undefined],
    );
    assert.deepEqual(texts(r).slice(1), ['earlier', 'reply', '\n\nNext']);
  });

  test('11-multilingual-unicode: scripts and emoji survive unchanged', async () => {
    const r = await renderPrompt(read('11-multilingual-unicode.prompt'), {
      input: { sourceLanguage: 'ja', targetLanguage: 'en', text: 'こんにちは 👋' },
    });
    assert.deepEqual(
      r.messages.map((m) => m.role),
      ['system', 'user', 'model'],
    );
    assert.ok(texts(r)[0]!.includes('🇯🇵 日本語 (ja)') && texts(r)[0]!.includes('🇸🇦 العربية (ar)'));
    assert.equal(texts(r)[1], '\nTranslate the following text from ja to en:\n\n---\nこんにちは 👋\n---\n\n\n');
  });

  const blocked: Record<string, string> = {
    '02-schema-and-config.prompt': 'invalid-yaml',
    '06-partials.prompt': 'invalid-yaml',
    '10-kitchen-sink.prompt': 'invalid-yaml',
    '03-multimodal-media.prompt': 'render-failed',
    '05-handlebars-helpers.prompt': 'render-failed',
    '08-sections-thinking.prompt': 'mismatched-block',
    '09-complex-schema.prompt': 'render-failed',
  };
  for (const [name, code] of Object.entries(blocked)) {
    test(`${name} is refused with ${code} and a one-line reason`, async () => {
      await assert.rejects(renderPrompt(read(name)), (err: unknown) => {
        assert.ok(err instanceof PromptRenderError);
        assert.equal(err.code, code);
        assert.ok(!err.message.includes('\n'), err.message);
        return true;
      });
    });
  }
});
