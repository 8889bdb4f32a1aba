// Every diagnostic code of the analysis engine, with exact ranges (0-based line:character).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzePrompt, type AnalysisOptions } from '../../src/core/prompt/analyze';
import type { PromptDiagnostic } from '../../src/core/prompt/diagnostic';
import type { FileReader, PartialContext } from '../../src/core/prompt/partials';
import { renderPrompt } from '../../src/core/prompt/render';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { nodeFileReader } from '../../src/core/io/node-reader';

const span = (d: PromptDiagnostic): string =>
  `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
/** `[code, severity, range]` of each diagnostic, in the engine's order. */
async function found(text: string, options?: AnalysisOptions): Promise<[string, string, string][]> {
  return (await analyzePrompt(text, options)).diagnostics.map((d) => [d.code, d.severity, span(d)]);
}
async function messages(text: string, options?: AnalysisOptions): Promise<string[]> {
  return (await analyzePrompt(text, options)).diagnostics.map((d) => d.message);
}

/** An in-memory file system that records every path it is asked for. */
function memoryReader(files: Record<string, string>): FileReader & { reads: string[] } {
  const reads: string[] = [];
  return { reads, readFile: (p: string) => (reads.push(p), files[p]) };
}
function partialsIn(root: string, reader: FileReader, promptDir = root): PartialContext {
  return { workspaceRoot: root, promptDir, partialsDirs: [], reader };
}

describe('frontmatter', () => {
  test('invalid-yaml reports the first YAML error only, at its position', async () => {
    const text = '---\nmodel: a\nconfig: [\n  bad: : x\nfoo: bar\n---\nhi\n';
    assert.deepEqual(await found(text), [['invalid-yaml', 'error', '3:7-3:8']]);
    const [message] = await messages(text);
    assert.match(message!, /1 more YAML error after this one/);
  });

  test('invalid-yaml for duplicate keys points at the second key', async () => {
    assert.deepEqual(await found('---\nmodel: a\nmodel: b\n---\nhi\n'), [['invalid-yaml', 'error', '2:0-2:1']]);
  });

  test('invalid-yaml explains Picoschema written as a flow map with []', async () => {
    const text = '---\ninput:\n  schema:\n    items: { name: string }[]\n---\n{{items}}\n';
    const diags = await found(text);
    assert.equal(diags.length, 1);
    assert.equal(diags[0]![0], 'invalid-yaml');
    assert.equal(diags[0]![2].split(':')[0], '3');
    assert.match((await messages(text))[0]!, /name\(array\)/);
  });

  test('frontmatter that is not a map', async () => {
    assert.deepEqual(await found('---\n- a\n- b\n---\nhi\n'), [['frontmatter-not-a-map', 'error', '1:0-2:3']]);
  });

  test('unknown-key warns, with a suggestion; namespaced a.b keys are extension fields', async () => {
    const text = '---\nmodle: a\nmyapp.flag: true\nacme.settings:\n  x: 1\noutput:\n  formt: json\n---\nhi\n';
    assert.deepEqual(await found(text), [
      ['unknown-key', 'warning', '1:0-1:5'],
      ['unknown-key', 'warning', '6:2-6:7'],
    ]);
    const [top, nested] = await messages(text);
    assert.match(top!, /Did you mean "model"/);
    assert.match(nested!, /in output\. Did you mean "format"/);
  });

  test('a config key written at the top level is pointed to config', async () => {
    assert.deepEqual(await found('---\ntemperature: 0.5\n---\nhi\n'), [['unknown-key', 'warning', '1:0-1:11']]);
    assert.match((await messages('---\ntemperature: 0.5\n---\nhi\n'))[0]!, /config\.temperature/);
  });

  test("invalid-value: config and output.format are the model's and the app's call (warnings); broken structure is an error", async () => {
    const text = '---\nconfig:\n  temperature: "hot"\n  stopSequences: END\n  topK: 1.5\noutput:\n  format: xml\n---\nhi\n';
    assert.deepEqual(await found(text), [
      ['invalid-value', 'warning', '2:15-2:20'],
      ['invalid-value', 'warning', '3:17-3:20'],
      ['invalid-value', 'warning', '4:8-4:11'],
      ['invalid-value', 'warning', '6:10-6:13'],
    ]);
    const m = await messages(text);
    assert.match(m[0]!, /config\.temperature: expected a number.*up to the model/);
    assert.match(m[1]!, /\["END"\]/);
    assert.match(m[2]!, /whole number/);
    assert.match(m[3]!, /output\.format: "xml" is not a format Dotprompt defines.*defineFormat/);
    assert.deepEqual(await found('---\nconfig:\n  temperature: 11\n---\nhi\n'), [['invalid-value', 'warning', '2:15-2:17']]);
    assert.deepEqual(await found('---\ntools: search\ninput:\n  default: 3\n---\nhi\n'), [
      ['invalid-value', 'error', '1:7-1:13'],
      ['invalid-value', 'error', '3:11-3:12'],
    ]);
  });

  test('valid frontmatter of every kind is clean', async () => {
    const text = [
      '---',
      'model: ollama/llama3.2',
      'name: x',
      'version: 2',
      'description: d',
      'config:',
      '  temperature: 0.2',
      '  topK: 40',
      '  topP: 0.9',
      '  maxOutputTokens: 100',
      '  stopSequences: [END]',
      '  customServerKey: 1',
      'output:',
      '  format: json',
      'tools: [a, b]',
      '---',
      'hi',
      '',
    ].join('\n');
    assert.deepEqual(await found(text), []);
  });

  test('invalid-schema points at the bad Picoschema type, in input and output', async () => {
    // A lowercase near miss of a Picoschema type could in theory be a registered schema: a warning with the fix.
    assert.deepEqual(await found('---\ninput:\n  schema:\n    name: strin\n---\n{{name}}\n'), [['unknown-schema', 'warning', '3:10-3:15']]);
    assert.deepEqual(await found('---\noutput:\n  schema:\n    x: nmber\n---\nhi\n'), [['unknown-schema', 'warning', '3:7-3:12']]);
    assert.match((await messages('---\noutput:\n  schema:\n    x: nmber\n---\nhi\n'))[0]!, /Did you mean "number"/);
    const arr = '---\ninput:\n  schema:\n    tags: string[], the tags\n---\n{{tags}}\n';
    assert.deepEqual(await found(arr), [['invalid-schema', 'error', '3:10-3:18']]);
    assert.match((await messages(arr))[0]!, /tags|name\(array\): string/);
  });

  test('frontmatter after a # licence header keeps document positions', async () => {
    const text = '# Copyright\n# licence\n\n---\nmodle: x\n---\n{{#if a}}\n';
    assert.deepEqual(await found(text), [
      ['unknown-key', 'warning', '4:0-4:5'],
      ['header-before-frontmatter', 'information', '0:0-2:0'],
      ['unclosed-block', 'error', '6:0-6:9'],
    ]);
  });
});

describe('template syntax', () => {
  test('handlebars-syntax marks the offending token', async () => {
    assert.deepEqual(await found('Hello {{name}\n'), [['handlebars-syntax', 'error', '0:12-0:13']]);
    assert.deepEqual(await found('---\nmodel: a\n---\nline\n{{foo bar=}}\n'), [['handlebars-syntax', 'error', '4:10-4:12']]);
    assert.deepEqual(await found('a {{{name}}\n'), [['handlebars-syntax', 'error', '0:9-0:11']]);
  });

  test('a mustache left open at the end marks its {{, not the end of the file', async () => {
    assert.deepEqual(await found('a {{name\nb\n'), [['handlebars-syntax', 'error', '0:2-0:4']]);
    assert.deepEqual(await found('---\nmodel: a\n---\nx {{x}}\n  {{ name\n\n'), [['handlebars-syntax', 'error', '4:2-4:4']]);
    assert.match((await messages('a {{name\nb\n'))[0]!, /not closed/);
  });

  test('unclosed-block points at the innermost unclosed opener', async () => {
    assert.deepEqual(await found('a\n  {{#if x}}\nb\n'), [['unclosed-block', 'error', '1:2-1:11']]);
    assert.deepEqual(await found('{{#each xs}}\n{{#if x}}y{{/if}}\n{{#with z}}\n{{/with}}\n'), [['unclosed-block', 'error', '0:0-0:12']]);
  });

  test('mismatched-block: a closer that does not match, and a stray closer', async () => {
    // The stray closer is marked; the opener it fails to close is related information.
    assert.deepEqual(await found('{{#if x}}\nb\n{{/each}}\n'), [['mismatched-block', 'error', '2:0-2:9']]);
    const [mismatch] = (await analyzePrompt('{{#if x}}\nb\n{{/each}}\n')).diagnostics;
    assert.deepEqual(
      mismatch?.related?.map(
        (r) => `${r.range.start.line}:${r.range.start.character}-${r.range.end.line}:${r.range.end.character} ${r.message}`,
      ),
      ['0:0-0:9 The open {{#if}} block.'],
    );
    assert.match((await messages('{{#if x}}\nb\n{{/each}}\n'))[0]!, /\{\{\/each\}\} does not close the open \{\{#if\}\}/);
    const stray = 'x\n{{/section}}\n';
    assert.deepEqual(await found(stray), [['mismatched-block', 'error', '1:0-1:12']]);
    assert.match((await messages(stray))[0]!, /not a block helper/);
  });

  test('after a syntax error, the rest of the template is still checked, without unused-input alarms', async () => {
    const text = '---\ninput:\n  schema:\n    a: string\n---\n{{nope}} {{#if a}}\n';
    assert.deepEqual(
      (await found(text)).map((d) => d[0]),
      ['unclosed-block', 'undefined-variable'],
    );
    const all = (await analyzePrompt(text)).diagnostics;
    assert.deepEqual(all.find((d) => d.code === 'undefined-variable')?.range, {
      start: { line: 5, character: 2 },
      end: { line: 5, character: 6 },
    });
  });

  test('a broken mustache mid-template: findings before and after it keep their exact ranges, its own inputs count as used', async () => {
    const text =
      '---\ninput:\n  schema:\n    name: string\n    topic: string\n---\nHi {{nmae}} {{#if topic}}\n{{topic | upper}}\n{{/if}} {{shuot name}}\n';
    const all = (await analyzePrompt(text)).diagnostics.map((d) => [
      d.code,
      d.range.start.line,
      d.range.start.character,
      d.range.end.line,
      d.range.end.character,
    ]);
    assert.deepEqual(all, [
      ['handlebars-syntax', 7, 8, 7, 9],
      ['unknown-helper', 8, 10, 8, 15],
      ['undefined-variable', 6, 5, 6, 9],
    ]);
  });

  test('an unclosed {{ at the end does not hide an unknown helper before it', async () => {
    const text = '{{shuot x}}\nand {{oops\n';
    const all = (await analyzePrompt(text)).diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]);
    assert.deepEqual(all, [
      ['handlebars-syntax', 1, 4],
      ['unknown-helper', 0, 2],
    ]);
  });
});

describe('helpers and roles', () => {
  test('unknown-helper warns, and is quiet for helpers listed in customHelpers', async () => {
    const text = '{{shout name}} {{#repeat 3}}x{{/repeat}} {{json x}} {{#ifEquals a b}}y{{/ifEquals}}\n';
    assert.deepEqual(await found(text), [
      ['unknown-helper', 'warning', '0:2-0:7'],
      ['unknown-helper', 'warning', '0:18-0:24'],
    ]);
    assert.deepEqual(await found(text, { customHelpers: ['shout'] }), [['unknown-helper', 'warning', '0:18-0:24']]);
    assert.deepEqual(await found(text, { customHelpers: ['shout', 'repeat'] }), []);
    assert.match((await messages('{{jsn x}}\n'))[0]!, /Did you mean "json"/);
  });

  test('unknown-role marks the whole role mustache', async () => {
    assert.deepEqual(await found('{{role "assistant"}}hi {{role "bot"}}\n{{role "model"}}{{role "tool"}}\n'), [
      ['unknown-role', 'warning', '0:0-0:20'],
      ['unknown-role', 'warning', '0:23-0:37'],
    ]);
    assert.match((await messages('{{role "assistant"}}\n'))[0]!, /"model"/);
  });
});

describe('variables against input.schema', () => {
  const schema = '---\ninput:\n  schema:\n    name: string\n    items(array): string\n    unused: string\n---\n';

  test('undefined-variable: plain and @root paths, not inside #each/#with; unused-input on the key', async () => {
    const text = `${schema}{{nmae}} {{#each items}}{{title}}{{/each}} {{@root.missing}} {{@root.name}} {{#with name}}{{foo}}{{/with}}\n`;
    assert.deepEqual(await found(text), [
      ['undefined-variable', 'warning', '7:2-7:6'],
      ['undefined-variable', 'warning', '7:45-7:58'],
      ['unused-input', 'warning', '5:4-5:10'],
    ]);
    const m = await messages(text);
    assert.match(m[0]!, /Did you mean "name"/);
    assert.match(m[2]!, /"unused"/);
  });

  test('../ paths inside #each are checked against the schema', async () => {
    const text =
      '---\ninput:\n  schema:\n    title: string\n    items(array): string\n---\n{{#each items}}{{../title}} {{../nope}} {{this}}{{/each}}\n';
    assert.deepEqual(await found(text), [['undefined-variable', 'warning', '6:30-6:37']]);
  });

  test('#if does not change the context, so variables inside it are checked', async () => {
    assert.deepEqual(await found('---\ninput:\n  schema:\n    a: string\n---\n{{#if a}}{{b}}{{/if}}\n'), [
      ['undefined-variable', 'warning', '5:11-5:12'],
    ]);
  });

  test('unused-input marks a Picoschema key with its type annotation', async () => {
    assert.deepEqual(await found('---\ninput:\n  schema:\n    name: string\n    items(array): string\n---\n{{name}}\n'), [
      ['unused-input', 'warning', '4:4-4:16'],
    ]);
  });

  test('nothing is reported without a schema, for defaults, wildcards, @data or the whole context', async () => {
    assert.deepEqual(await found('{{anything}} {{goes}}\n'), []);
    assert.deepEqual(await found('---\ninput:\n  schema:\n    name: string\n  default:\n    extra: 1\n---\n{{name}} {{extra}}\n'), []);
    assert.deepEqual(await found('---\ninput:\n  schema:\n    name: string\n    (*): any\n---\n{{name}} {{other}}\n'), []);
    assert.deepEqual(await found('---\ninput:\n  schema:\n    a: string\n---\n{{a}} {{@index}} {{@metadata.x}}\n'), []);
    assert.deepEqual(await found('---\ninput:\n  schema:\n    a: string\n---\n{{json this}}\n'), []);
  });

  test('JSON Schema inputs are checked too', async () => {
    const text = '---\ninput:\n  schema:\n    type: object\n    properties:\n      city: { type: string }\n---\n{{city}} {{country}}\n';
    assert.deepEqual(await found(text), [['undefined-variable', 'warning', '7:11-7:18']]);
  });
});

describe('partials', () => {
  const root = path.resolve('/ws');

  test('missing-partial names where it looked', async () => {
    const reader = memoryReader({});
    const text = 'a {{> header}}\n';
    assert.deepEqual(await found(text, { partials: partialsIn(root, reader) }), [['missing-partial', 'warning', '0:2-0:14']]);
    assert.deepEqual(reader.reads, [path.join(root, '_header.prompt')]);
    assert.match((await messages(text, { partials: partialsIn(root, reader) }))[0]!, /_header\.prompt/);
  });

  test('a partial that exists is read and is clean; partials contribute to used inputs', async () => {
    const reader = memoryReader({ [path.join(root, '_header.prompt')]: 'Hello {{name}}' });
    const text = '---\ninput:\n  schema:\n    name: string\n---\n{{> header}}\n';
    assert.deepEqual(await found(text, { partials: partialsIn(root, reader) }), []);
  });

  test('partial-outside-workspace is an error and the file is never read', async () => {
    const reader = memoryReader({ '/etc/_passwd.prompt': 'secret' });
    const text = 'x\n{{> ../../etc/passwd}} {{> "/etc/passwd"}}\n';
    const ctx = partialsIn(root, reader, path.join(root, 'prompts'));
    assert.deepEqual(await found(text, { partials: ctx }), [
      ['partial-outside-workspace', 'error', '1:0-1:22'],
      ['partial-outside-workspace', 'error', '1:23-1:42'],
    ]);
    assert.deepEqual(reader.reads, [], `nothing may be read, but read ${reader.reads.join(', ')}`);
  });

  test('partial-cycle a → b → a is reported on the reference, not followed forever', async () => {
    const reader = memoryReader({
      [path.join(root, '_a.prompt')]: 'A {{> b}}',
      [path.join(root, '_b.prompt')]: 'B {{> a}}',
    });
    const text = 'top\n  {{> a}}\n';
    const options = { partials: partialsIn(root, reader), filePath: path.join(root, 'main.prompt') };
    assert.deepEqual(await found(text, options), [['partial-cycle', 'error', '1:2-1:9']]);
    assert.match((await messages(text, options))[0]!, /main → a → b → a/);
  });

  test('a partial that includes the file itself is a cycle', async () => {
    const self = path.join(root, '_a.prompt');
    const reader = memoryReader({ [self]: 'A {{> a}}' });
    assert.deepEqual(await found('A {{> a}}', { partials: partialsIn(root, reader), filePath: self }), [
      ['partial-cycle', 'error', '0:2-0:9'],
    ]);
  });

  test('without a partial context, partials are not checked', async () => {
    assert.deepEqual(await found('{{> anything}}\n'), []);
  });
});

describe('file content', () => {
  test('binary-content on the first NUL byte, and nothing else is checked', async () => {
    assert.deepEqual(await found('ab\ncd\u0000e {{#if}}\n'), [['binary-content', 'error', '1:2-1:3']]);
  });

  test('replacement-character on the first U+FFFD', async () => {
    assert.deepEqual(await found('ab\nc\uFFFDd \uFFFD\n'), [['replacement-character', 'warning', '1:1-1:2']]);
  });

  test('an empty or blank file has no diagnostics', async () => {
    assert.deepEqual(await found(''), []);
    assert.deepEqual(await found('\n\n  \n'), []);
    assert.deepEqual(await found('---\n---\n'), []);
  });
});

describe('CRLF line endings', () => {
  const cases = [
    '---\nmodel: a\nconfig: [\n  bad: : x\nfoo: bar\n---\nhi\n',
    '---\nmodle: a\nconfig:\n  temperature: "hot"\n---\nhi\n',
    '---\ninput:\n  schema:\n    name: strin\n---\n{{name}}\n',
    '# licence\n\n---\ninput:\n  schema:\n    name: string\n    unused: string\n---\n{{nmae}} {{shout x}}\n{{role "bot"}}\n',
    'Hello\n{{name}\n',
    'a\n {{name\nb\n',
    'a\n  {{#if x}}\nb\n',
    '{{#if x}}\nb\n{{/each}}\n',
    'x\n\n{{/section}}\n',
  ];
  for (const [i, lf] of cases.entries()) {
    test(`case ${i + 1} has the same ranges with CRLF as with LF`, async () => {
      const expected = await found(lf);
      assert.ok(expected.length > 0, 'the LF case must have findings');
      assert.deepEqual(await found(lf.replace(/\n/g, '\r\n')), expected);
    });
  }
});

describe('partials behind symbolic links', () => {
  test('a link inside the workspace that points outside is refused and never read', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'ps-secret-'));
    writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET');
    const workspace = mkdtempSync(path.join(tmpdir(), 'ps-ws-'));
    mkdirSync(path.join(workspace, 'sub'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(workspace, 'sub', '_leak.prompt'));
    const read: string[] = [];
    const reader = {
      readFile: (p: string) => (read.push(p), nodeFileReader.readFile(p)),
      realPath: (p: string) => nodeFileReader.realPath!(p),
    };
    const ctx = { workspaceRoot: workspace, promptDir: path.join(workspace, 'sub'), partialsDirs: [], reader };
    const analysis = await analyzePrompt('Hello {{> leak}}', { partials: ctx });
    assert.deepEqual(
      analysis.diagnostics.map((d) => d.code),
      ['partial-outside-workspace'],
    );
    assert.deepEqual(read, []);
    await assert.rejects(renderPrompt('Hello {{> leak}}', { partials: ctx }), /outside the workspace/);
    assert.deepEqual(read, []);
  });
});

describe('config keys', () => {
  test('a near miss of a known config key warns; other keys pass through quietly', async () => {
    const analysis = await analyzePrompt('---\nconfig:\n  temprature: 1\n  num_gpu: 2\n---\nhi\n');
    assert.deepEqual(
      analysis.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['unknown-key', 2, 2]],
    );
    assert.match(analysis.diagnostics[0]!.message, /Did you mean "temperature"/);
  });
});
