// Runs every case of Dotprompt's conformance suite through our render path and requires the
// library's expected output, with the reference harness's comparison rules.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { renderPrompt } from '../../src/core/prompt/render';
import { Dotprompt } from 'dotprompt';
import { SPEC_DIR } from './corpus';

interface SpecTest {
  desc?: string;
  data?: Record<string, unknown>;
  options?: Record<string, unknown>;
  expect: Record<string, unknown>;
}
interface SpecSuite {
  name: string;
  template: string;
  data?: Record<string, unknown>;
  schemas?: Record<string, unknown>;
  tools?: Record<string, unknown>;
  partials?: Record<string, string>;
  resolverPartials?: Record<string, string>;
  tests: SpecTest[];
}

function specFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? specFiles(full) : name.endsWith('.yaml') ? [full] : [];
  });
}

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null));
const withDefaults = (o: Record<string, unknown>): Record<string, unknown> => ({ ext: {}, config: {}, metadata: {}, ...o });
const without = (o: Record<string, unknown>, ...keys: string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

const files = specFiles(SPEC_DIR);
let caseCount = 0;

for (const file of files) {
  const suites = parse(readFileSync(file, 'utf8')) as SpecSuite[];
  for (const suite of suites) {
    suite.tests.forEach((tc, i) => {
      caseCount++;
      test(`${path.relative(SPEC_DIR, file)} › ${suite.name} › ${tc.desc ?? `#${i + 1}`}`, async () => {
        const data = { ...(suite.data ?? {}), ...(tc.data ?? {}) } as Record<string, never>;
        const result = (await renderPrompt(suite.template, {
          ...data,
          ...(tc.options ? { options: tc.options } : {}),
          ...(suite.partials ? { namedPartials: suite.partials } : {}),
          ...(suite.resolverPartials ? { resolverPartials: suite.resolverPartials } : {}),
          ...(suite.schemas ? { schemas: suite.schemas as never } : {}),
          ...(suite.tools ? { tools: suite.tools as never } : {}),
        })) as unknown as Record<string, unknown>;
        assert.deepEqual(plain(without(result, 'raw')), plain(withDefaults(without(tc.expect, 'raw', 'input'))));
        if (tc.expect['raw'] !== undefined) assert.deepEqual(plain(result['raw']), plain(tc.expect['raw']));

        // Metadata, as the reference harness checks it, straight from the library.
        const env = new Dotprompt({
          ...(suite.schemas ? { schemas: suite.schemas as never } : {}),
          ...(suite.tools ? { tools: suite.tools as never } : {}),
          partialResolver: (n: string) => suite.resolverPartials?.[n] ?? null,
        });
        const md = (await env.renderMetadata(suite.template, tc.options as never)) as unknown as Record<string, unknown>;
        assert.deepEqual(plain(without(md, 'raw')), plain(withDefaults(without(tc.expect, 'messages', 'raw'))));
      });
    });
  }
}

test('the conformance suite was found and is complete', () => {
  assert.ok(files.length >= 13, `expected the spec files under ${SPEC_DIR}, found ${files.length}`);
  assert.ok(caseCount >= 100, `expected over 100 cases, found ${caseCount}`);
});
