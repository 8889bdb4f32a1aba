// Formatting tidies mustaches, trailing whitespace and the final newline, and never changes what
// a file renders to or what the analysis finds. Checked on every sample and every spec-suite
// template, as written and in a deliberately messy variant (spaced mustaches, trailing blanks).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { applyEdits, formatPrompt } from '../../src/core/language/format';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import { renderPrompt, type RenderRequest } from '../../src/core/prompt/render';
import { SAMPLES_DIR, SPEC_DIR } from './corpus';

const format = (text: string): string => applyEdits(text, formatPrompt(text));

describe('what formatting tidies', () => {
  test('spacing inside mustaches, block sigils, partials and whitespace control', () => {
    assert.equal(format('Hi {{ name }}!\n'), 'Hi {{name}}!\n');
    assert.equal(format('{{# if x }}y{{else}}z{{/ if }}\n'), '{{#if x}}y{{else}}z{{/if}}\n');
    assert.equal(format('{{#each  xs }}{{ this }}{{/each}}\n'), '{{#each  xs}}{{this}}{{/each}}\n');
    assert.equal(format('{{>   header }} {{#>  layout }}x{{/layout}}\n'), '{{> header}} {{#> layout}}x{{/layout}}\n');
    assert.equal(format('a {{~ name ~}} b\n'), 'a {{~name~}} b\n');
    assert.equal(format('{{ role "system" }}\n'), '{{role "system"}}\n');
    assert.equal(format('{{{ raw }}}\n'), '{{{raw}}}\n');
  });

  test('comments are left alone', () => {
    const text = '{{! keep   these  spaces }}\n{{!-- and  {{ these }} --}}\n';
    assert.deepEqual(formatPrompt(text), []);
  });

  test('trailing whitespace goes where it does not render: frontmatter, header, end of file', () => {
    assert.equal(
      format('# licence   \n---\nmodel: a   \nconfig:  \n  temperature: 1\t\n---\nHi\n'),
      '# licence\n---\nmodel: a\nconfig:\n  temperature: 1\n---\nHi\n',
    );
    assert.equal(format('---\nmodel: a\n---\nHi {{ name }}   \n\n\n'), '---\nmodel: a\n---\nHi {{name}}\n');
  });

  test('trailing whitespace inside rendered text is kept, because it renders', async () => {
    const text = '{{role "system"}}\nBe brief.  \nThanks\n';
    assert.deepEqual(formatPrompt(text), []);
    const rendered = await renderPrompt(text);
    assert.match(JSON.stringify(rendered.messages), /Be brief\. {2}\\n/);
  });

  test("one final newline, in the file's line-ending style, after frontmatter (the library trims that body)", () => {
    assert.equal(format('---\nmodel: a\n---\nHi'), '---\nmodel: a\n---\nHi\n');
    assert.equal(format('---\nmodel: a\n---\nHi\n\n\n'), '---\nmodel: a\n---\nHi\n');
    assert.equal(format('---\r\nmodel: a \r\n---\r\nHi {{ x }}'), '---\r\nmodel: a\r\n---\r\nHi {{x}}\r\n');
    assert.deepEqual(formatPrompt('---\nmodel: a\n---\nHi\n'), []);
  });

  test('without frontmatter, or with an empty one, the library renders the file untrimmed: its end is kept', async () => {
    for (const text of ['Hi', 'Hi\n\n\n', '---\n---\nHi {{ x }}\n\n', '---\n\n---\nHi  ']) {
      const formatted = format(text);
      assert.equal(formatted.replace(/\s+$/, ''), text.replace('{{ x }}', '{{x}}').replace(/\s+$/, ''));
      assert.deepEqual(
        (await renderPrompt(formatted, { input: { x: 1 } })).messages,
        (await renderPrompt(text, { input: { x: 1 } })).messages,
        JSON.stringify(text),
      );
    }
  });

  test('files that do not parse, and empty files, are left alone', () => {
    assert.deepEqual(formatPrompt('Hi {{ name }\n  '), []);
    assert.deepEqual(formatPrompt('---\nmodel: [\n---\nHi {{ name }}  '), []);
    assert.deepEqual(formatPrompt(''), []);
    assert.deepEqual(formatPrompt('\n\n'), []);
  });

  test('edits are sorted and do not overlap', () => {
    const edits = formatPrompt('---\nmodel: a  \n---\n{{ a }} {{ b }}  \n{{ c }}');
    for (let i = 1; i < edits.length; i++) assert.ok(edits[i - 1]!.end <= edits[i]!.start);
  });
});

/** Spaces inside each mustache (keeping `~` and sigils adjacent), trailing blanks, no final newline. */
function messy(text: string): string {
  return text
    .replace(
      /\{\{(~?)(#>|#\*|[#/^&>]?)([^{}\n!~][^{}\n]*?)(~?)\}\}(?!\})/g,
      (m, open: string, sigil: string, core: string, close: string, at: number, all: string) =>
        all[at - 1] === '{' ? m : `{{${open}${sigil} ${core.trim()} ${close}}}`,
    )
    .replace(/\n/g, '  \n')
    .replace(/\s+$/, '');
}

type Outcome = { ok: unknown } | { error: string };
async function outcome(text: string, request: RenderRequest): Promise<Outcome> {
  try {
    const result = await renderPrompt(text, request);
    return { ok: JSON.parse(JSON.stringify(result)) };
  } catch (err) {
    return { error: err instanceof Error ? `${err.name}: ${err.message.replace(/line \d+|\d+:\d+/gi, '')}` : String(err) };
  }
}
const codesOf = async (text: string): Promise<string[]> => (await analyzePrompt(text)).diagnostics.map((d) => d.code).sort();

/** Formatting keeps the render (for every request), the diagnostic codes, and is idempotent. */
async function assertInvariant(text: string, requests: RenderRequest[]): Promise<number> {
  const formatted = format(text);
  assert.deepEqual(formatPrompt(formatted), [], 'formatting twice must equal formatting once');
  assert.deepEqual(await codesOf(formatted), await codesOf(text), 'formatting changed the diagnostics');
  for (const request of requests) {
    assert.deepEqual(
      await outcome(formatted, request),
      await outcome(text, request),
      `render changed for ${JSON.stringify(request.input ?? {})}`,
    );
  }
  return formatted === text ? 0 : 1;
}

describe('formatting never changes the render: samples', () => {
  const samples = readdirSync(SAMPLES_DIR)
    .filter((f) => f.endsWith('.prompt'))
    .sort();
  test('the samples are there', () => assert.ok(samples.length >= 11, `found ${samples.length} samples in ${SAMPLES_DIR}`));
  for (const name of samples) {
    test(name, async () => {
      const text = readFileSync(path.join(SAMPLES_DIR, name), 'utf8');
      const requests: RenderRequest[] = [{}, { input: { name: 'Ann', topic: 'tides', items: ['a', 'b'], question: 'why?' } }];
      await assertInvariant(text, requests);
      const changed = await assertInvariant(messy(text), requests);
      // Files that do not parse (YAML or Handlebars errors) are left alone.
      const parses = !(await codesOf(text)).some((c) =>
        ['invalid-yaml', 'handlebars-syntax', 'mismatched-block', 'unclosed-block'].includes(c),
      );
      assert.equal(
        changed,
        parses ? 1 : 0,
        parses ? 'the messy variant should need formatting' : 'a file that does not parse must be left alone',
      );
    });
  }
});

interface SpecSuite {
  name: string;
  template: string;
  data?: Record<string, unknown>;
  partials?: Record<string, string>;
  resolverPartials?: Record<string, string>;
  schemas?: Record<string, unknown>;
  tools?: Record<string, unknown>;
  tests: { data?: Record<string, unknown>; options?: Record<string, unknown> }[];
}

function specFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? specFiles(full) : name.endsWith('.yaml') ? [full] : [];
  });
}

describe('formatting never changes the render: spec-suite templates', () => {
  const suites = specFiles(SPEC_DIR).flatMap((file) =>
    (parse(readFileSync(file, 'utf8')) as SpecSuite[]).map((suite) => ({ file, suite })),
  );
  test('the spec suites are there', () => assert.ok(suites.length >= 60, `found ${suites.length} suites in ${SPEC_DIR}`));
  let messyChanged = 0;
  for (const { file, suite } of suites) {
    test(`${path.relative(SPEC_DIR, file)} › ${suite.name}`, async () => {
      const requests: RenderRequest[] = suite.tests.map((tc) => ({
        ...(suite.data ?? {}),
        ...(tc.data ?? {}),
        ...(tc.options ? { options: tc.options } : {}),
        ...(suite.partials ? { namedPartials: suite.partials } : {}),
        ...(suite.resolverPartials ? { resolverPartials: suite.resolverPartials } : {}),
        ...(suite.schemas ? { schemas: suite.schemas as never } : {}),
        ...(suite.tools ? { tools: suite.tools as never } : {}),
      }));
      await assertInvariant(suite.template, requests);
      messyChanged += await assertInvariant(messy(suite.template), requests);
    });
  }
  test('the messy variants exercised the formatter', () =>
    assert.ok(messyChanged >= suites.length / 2, `only ${messyChanged} messy templates changed`));
});
