// Many prompts in one process: dotprompt 1.1.2 builds every instance on one shared Handlebars
// environment, so nothing registered for one file may satisfy another's partial or helper.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { nodeFileReader } from '../../src/core/io/node-reader';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import { PromptRenderError, renderPrompt } from '../../src/core/prompt/render';

const ws = mkdtempSync(path.join(tmpdir(), 'promptscope-one-process-'));
after(() => rmSync(ws, { recursive: true, force: true }));
function write(rel: string, text: string): string {
  const file = path.join(ws, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return text;
}
const A = write('a/main.prompt', 'A says: {{> header}}\n');
write('a/_header.prompt', 'header of A');
const B = write('b/main.prompt', 'B says: {{> header}}\n');
write('b/_header.prompt', 'header of B');
const C = write('c/main.prompt', 'C says: {{> header}}\n');
const ctx = (dir: string) => ({ workspaceRoot: ws, promptDir: path.join(ws, dir), partialsDirs: [], reader: nodeFileReader });
const text = (r: Awaited<ReturnType<typeof renderPrompt>>): string =>
  r.messages.map((m) => m.content.map((p) => ('text' in p ? p.text : '')).join('')).join('|');

describe('one process, many files', () => {
  test('each render resolves partials from its own folder, whatever rendered before', async () => {
    assert.equal(text(await renderPrompt(A, { partials: ctx('a') })), 'A says: header of A\n');
    assert.equal(text(await renderPrompt(B, { partials: ctx('b') })), 'B says: header of B\n');
    assert.equal(text(await renderPrompt(A, { partials: ctx('a') })), 'A says: header of A\n');
  });

  test('a partial one render registered does not satisfy another file that has none', async () => {
    await renderPrompt(A, { partials: ctx('a') });
    await renderPrompt('x', { namedPartials: { header: 'given by name' } });
    await assert.rejects(
      renderPrompt(C, { partials: ctx('c') }),
      (err: unknown) => err instanceof PromptRenderError && /partial "header" could not be found/.test(err.message),
    );
  });

  test('renders running at the same time keep their partials apart', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? renderPrompt(A, { partials: ctx('a') }) : renderPrompt(B, { partials: ctx('b') }))),
    );
    results.forEach((r, i) => assert.equal(text(r), i % 2 ? 'A says: header of A\n' : 'B says: header of B\n'));
  });

  test('analysis: a helper declared for one file is not known to the next', async () => {
    const uses = '{{shout name}}\n';
    assert.deepEqual(
      (await analyzePrompt(uses, { customHelpers: ['shout'] })).diagnostics.map((d) => d.code),
      [],
    );
    assert.deepEqual(
      (await analyzePrompt(uses)).diagnostics.map((d) => d.code),
      ['unknown-helper'],
    );
  });

  test('check a b c in one process: only c reports the missing partial', async () => {
    let out = '';
    const io: CliIo = { out: (t) => void (out += t), err: () => undefined, cwd: ws, color: false };
    const code = await main(['check', 'a/main.prompt', 'b/main.prompt', 'c/main.prompt', '--json'], io);
    assert.equal(code, 0);
    const findings = JSON.parse(out) as { file: string; code: string }[];
    assert.deepEqual(
      findings.map((f) => `${f.file} ${f.code}`),
      ['c/main.prompt missing-partial'],
    );
  });
});
