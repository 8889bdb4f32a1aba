// The walkthrough's samples are catalogue templates with a model line: they must stay in step with
// the catalogue and pass check, since each walkthrough step opens one.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { findPattern } from '../../src/core/patterns/catalogue';
import { findTemplate, PATTERN_KEY, TEMPLATE_KEY } from '../../src/core/patterns/compose';
import { patternHints } from '../../src/core/patterns/hints';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import { renderPrompt } from '../../src/core/prompt/render';

const SAMPLES = path.resolve(__dirname, '../../samples/patterns');

for (const name of readdirSync(SAMPLES).filter((f) => f.endsWith('.prompt'))) {
  test(`sample ${name} matches its catalogue template and passes check`, async () => {
    const text = readFileSync(path.join(SAMPLES, name), 'utf8');
    const analysis = await analyzePrompt(text);
    assert.deepEqual(
      analysis.diagnostics.filter((d) => d.severity !== 'hint'),
      [],
    );
    assert.deepEqual(patternHints(analysis), []);
    const data = analysis.frontmatter.data ?? {};
    const pattern = findPattern(String(data[PATTERN_KEY]));
    assert.ok(pattern, `${name} names a catalogue pattern`);
    const template = findTemplate(pattern, String(data[TEMPLATE_KEY]));
    assert.equal(text.slice(analysis.layout.bodyStart), template.body, `${name}: the body is the catalogue's template`);
    await renderPrompt(text);
  });
}
