// The bar for the catalogue, at the CLI level: every template, written out by
// `promptscope patterns file` in each catalogue language, passes `promptscope check` with no
// errors or warnings (test/unit/patterns.test.ts checks the same through analyzePrompt).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { CheckFinding } from '../../src/cli/commands/check';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { PATTERNS } from '../../src/core/patterns/catalogue';
import { PATTERN_LANGUAGES } from '../../src/core/patterns/types';

const dir = mkdtempSync(path.join(tmpdir(), 'promptscope-patterns-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], cwd = dir): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), cwd, color: false };
  return { code: await main(argv, io), out, err };
}

test('every template file from "promptscope patterns file" passes "promptscope check" with no errors or warnings', async () => {
  const files: string[] = [];
  for (const pattern of PATTERNS) {
    for (const template of pattern.templates) {
      for (const lang of PATTERN_LANGUAGES) {
        const r = await cli(['patterns', 'file', pattern.id, template.id, '--lang', lang]);
        assert.equal(r.code, 0, r.err);
        const name = `${pattern.id}.${template.id}.${lang}.prompt`;
        writeFileSync(path.join(dir, name), r.out);
        files.push(name);
      }
    }
  }
  const json = await cli(['check', '--json', ...files]);
  assert.equal(json.code, 0, json.err);
  const findings = JSON.parse(json.out) as CheckFinding[];
  assert.deepEqual(
    findings.filter((f) => f.severity === 'error' || f.severity === 'warning'),
    [],
  );
  const text = await cli(['check', ...files]);
  assert.match(text.out, new RegExp(`^${files.length} files checked: 0 errors, 0 warnings, \\d+ notes$`, 'm'));
});

test('the walkthrough samples pass "promptscope check" with no errors or warnings', async () => {
  const samples = path.resolve(__dirname, '../../samples/patterns');
  const files = readdirSync(samples).filter((f) => f.endsWith('.prompt'));
  assert.equal(files.length, 6);
  const r = await cli(['check', '--json', ...files], samples);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(
    (JSON.parse(r.out) as CheckFinding[]).filter((f) => f.severity === 'error' || f.severity === 'warning'),
    [],
  );
});
