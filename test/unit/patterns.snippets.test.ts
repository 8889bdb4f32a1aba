// Every pattern snippet, expanded the way VS Code expands it (defaults and first choices),
// must be exactly the pattern's .prompt file, and so render and pass check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import { renderPrompt } from '../../src/core/prompt/render';
import { PATTERNS } from '../../src/core/patterns/catalogue';
import { composePromptFile } from '../../src/core/patterns/compose';
import { patternSnippets, snippetBodyFor, wholeFileSnippetSpan } from '../../src/core/patterns/snippets';

/** Expands a snippet body: `${n:default}` → default, `${n|a,b|}` → a, `$n` → '', escapes resolved. */
function expand(body: string): { text: string; tabStops: number; choices: number } {
  let out = '';
  let tabStops = 0;
  let choices = 0;
  let i = 0;
  const readUntil = (stops: string): string => {
    let value = '';
    while (i < body.length && !stops.includes(body[i]!)) {
      if (body[i] === '\\' && i + 1 < body.length) i++;
      value += body[i++];
    }
    return value;
  };
  while (i < body.length) {
    const ch = body[i]!;
    if (ch === '\\' && /[\\$}]/.test(body[i + 1] ?? '')) {
      out += body[i + 1];
      i += 2;
    } else if (ch === '$' && body[i + 1] === '{') {
      i += 2;
      readUntil(':|');
      if (body[i] === ':') {
        i++;
        out += readUntil('}');
        i++;
        tabStops++;
      } else {
        i++;
        const list = readUntil('|');
        out += list.split(',')[0];
        i += 2;
        choices++;
      }
    } else if (ch === '$' && /\d/.test(body[i + 1] ?? '')) {
      i += 2;
    } else {
      out += ch;
      i++;
    }
  }
  return { text: out, tabStops, choices };
}

test('every snippet expands to its pattern file, which renders and passes check', async () => {
  const snippets = patternSnippets('en');
  assert.equal(
    snippets.length,
    PATTERNS.reduce((n, p) => n + p.templates.length, 0),
  );
  assert.equal(new Set(snippets.map((s) => s.prefix)).size, snippets.length, 'prefixes are unique');
  let choices = 0;
  for (const pattern of PATTERNS) {
    for (const template of pattern.templates) {
      const snippet = snippets.find((s) => s.prefix === `${pattern.id}-${template.id}`);
      assert.ok(snippet, `${pattern.id}-${template.id}`);
      const expanded = expand(snippet.body);
      assert.equal(expanded.text, `${composePromptFile(pattern, template).replace(/\n$/, '')}\n`, snippet.prefix);
      assert.ok(expanded.tabStops >= 1, `${snippet.prefix} has tab stops`);
      choices += expanded.choices;
      const analysis = await analyzePrompt(expanded.text);
      assert.deepEqual(
        analysis.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning'),
        [],
        snippet.prefix,
      );
      await renderPrompt(expanded.text);
    }
  }
  assert.ok(choices >= 2, 'sampling settings are choice placeholders');
});

test('snippet syntax in the template text is escaped', () => {
  const body = snippetBodyFor('---\ndescription: costs $5 {x}\n---\nPrice: $5 \\ {{price}}\n');
  assert.deepEqual(body, ['---', 'description: ${1:costs \\$5 {x\\}}', '---', 'Price: \\$5 \\\\ {{price}}', '$0']);
  assert.equal(expand(body.join('\n')).text, '---\ndescription: costs $5 {x}\n---\nPrice: $5 \\ {{price}}\n');
});

test('in Chinese the titles and descriptions are Chinese, the prefixes the same; the Chinese files pass check too', async () => {
  const en = patternSnippets('en');
  const zh = patternSnippets('zh-cn');
  assert.deepEqual(
    zh.map((s) => s.prefix),
    en.map((s) => s.prefix),
  );
  for (const snippet of zh) {
    assert.match(snippet.title + snippet.description, /[\u4e00-\u9fff]/, snippet.prefix);
    const analysis = await analyzePrompt(expand(snippet.body).text);
    assert.deepEqual(
      analysis.diagnostics.filter((d) => d.severity === 'error'),
      [],
      snippet.prefix,
    );
  }
});

test('whole-file snippets are offered only where the file holds nothing but the word being typed', () => {
  const at = (text: string): ReturnType<typeof wholeFileSnippetSpan> => wholeFileSnippetSpan(text.replace('|', ''), text.indexOf('|'));
  assert.deepEqual(at('|'), { start: 0, end: 0 });
  assert.deepEqual(at('flan-nli|'), { start: 0, end: 8 });
  assert.deepEqual(at('\n  flan|-nli \n'), { start: 0, end: 13 });
  // A file with anything else in it: frontmatter, a template, another word.
  assert.equal(at('---\nmodel: x\n---\nflan|'), undefined);
  assert.equal(at('Summarize {{text}}\nflan|'), undefined);
  assert.equal(at('flan| nli'), undefined);
  assert.equal(at('---\nflan|\n---\n'), undefined);
});
