// The language configuration VS Code reads for .prompt files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const config = JSON.parse(readFileSync(path.resolve(__dirname, '../../language-configuration.json'), 'utf8')) as {
  folding?: { markers?: { start?: string } };
};

test('no folding markers: the minimap would label every block opener (`ifEquals…"child"}}`) as a region section header', () => {
  // Folding comes from our FoldingRangeProvider (frontmatter, blocks, comments); markers in the
  // language configuration are what the minimap turns into section-header labels.
  const start = config.folding?.markers?.start;
  const opener = '{{#ifEquals reader "child"}}';
  assert.ok(start === undefined || !new RegExp(start).test(opener), `folding.markers.start matches ${opener}`);
});
