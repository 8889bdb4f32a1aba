// Every UI string and every pattern explanation exists in English and Simplified Chinese: the
// manifest's %keys%, the runtime vscode.l10n bundle, the pattern catalogue and the walkthrough.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLUSTER_TITLES, FAMILIES, FAMILY_TITLES, PATTERNS } from '../../src/core/patterns/catalogue';
import { EXPLANATION_LABELS, FORM_LABELS } from '../../src/core/patterns/markdown';
import { FLAN_CLUSTERS, PATTERN_LANGUAGES, type Localized } from '../../src/core/patterns/types';

const ROOT = path.resolve(__dirname, '../..');
const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;
const CJK = /[\u4e00-\u9fff]/;

function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, suffix) : name.endsWith(suffix) ? [full] : [];
  });
}

function manifestKeys(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = /^%([^%\s]+)%$/.exec(value);
    if (m) out.add(m[1]!);
  } else if (Array.isArray(value)) {
    for (const v of value) manifestKeys(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) manifestKeys(v, out);
  }
  return out;
}

test('package.nls.json and package.nls.zh-cn.json have the same keys, and the manifest uses no other', () => {
  const en = readJson('package.nls.json');
  const zh = readJson('package.nls.zh-cn.json');
  assert.deepEqual(
    Object.keys(en).filter((k) => !(k in zh)),
    [],
    'keys missing in package.nls.zh-cn.json',
  );
  assert.deepEqual(
    Object.keys(zh).filter((k) => !(k in en)),
    [],
    'keys missing in package.nls.json',
  );
  for (const [key, value] of Object.entries(zh)) assert.ok(typeof value === 'string' && value.trim(), `empty zh-cn value for ${key}`);
  const used = manifestKeys(readJson('package.json'));
  assert.deepEqual(
    [...used].filter((k) => !(k in en)),
    [],
    'package.json names keys package.nls.json lacks',
  );
});

test('every vscode.l10n.t message in the extension has a zh-cn translation', () => {
  const bundle = readJson('l10n/bundle.l10n.zh-cn.json');
  const missing: string[] = [];
  const dynamic: string[] = [];
  for (const file of filesUnder(path.join(ROOT, 'src/host'), '.ts')) {
    const source = readFileSync(file, 'utf8');
    for (const call of source.matchAll(/l10n\.t\(\s*(.)/g)) {
      // Prettier writes a message that contains an apostrophe in double quotes.
      if (call[1] !== "'" && call[1] !== '"') dynamic.push(`${path.relative(ROOT, file)}: ${source.slice(call.index, call.index + 40)}`);
    }
    for (const m of source.matchAll(/l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)) {
      const message = (m[1] ?? m[2]!).replace(/\\(.)/g, '$1');
      if (typeof bundle[message] !== 'string') missing.push(`${path.relative(ROOT, file)}: ${message}`);
    }
  }
  // A message that is not a literal cannot be looked up in the bundle.
  assert.deepEqual(dynamic, [], 'vscode.l10n.t called with something other than a string literal');
  assert.deepEqual(missing, [], 'messages missing from l10n/bundle.l10n.zh-cn.json');
  for (const [key, value] of Object.entries(bundle)) {
    const placeholders = (s: string): string[] => (s.match(/\{\d+\}/g) ?? []).sort();
    assert.deepEqual(placeholders(String(value)), placeholders(key), `placeholders differ in the translation of "${key}"`);
  }
});

test('every catalogue title, explanation and label is written in both languages', () => {
  const check = (what: string, text: Localized): void => {
    for (const lang of PATTERN_LANGUAGES) assert.ok(text[lang]?.trim(), `${what} has no ${lang} text`);
    assert.match(text['zh-cn'], CJK, `${what}: the zh-cn text is not Chinese`);
  };
  for (const p of PATTERNS) {
    check(`${p.id} title`, p.title);
    check(`${p.id} what`, p.explanation.what);
    check(`${p.id} when`, p.explanation.when);
    check(`${p.id} mistakes`, p.explanation.mistakes);
    for (const t of p.templates) check(`${p.id}/${t.id} label`, t.label);
  }
  for (const f of FAMILIES) check(`family ${f}`, FAMILY_TITLES[f]);
  for (const c of FLAN_CLUSTERS) check(`cluster ${c}`, CLUSTER_TITLES[c]);
  for (const [k, v] of Object.entries(EXPLANATION_LABELS)) check(`label ${k}`, v);
  for (const [k, v] of Object.entries(FORM_LABELS)) check(`form ${k}`, v);
});

test('every walkthrough step has its Markdown in English and Chinese', () => {
  const manifest = readJson('package.json') as {
    contributes: { walkthroughs?: { id: string; steps: { id: string; media: { markdown?: string } }[] }[] };
  };
  const walkthrough = manifest.contributes.walkthroughs?.find((w) => w.id === 'learnPromptPatterns');
  assert.ok(walkthrough, 'the "Learn prompt patterns" walkthrough is contributed');
  assert.equal(walkthrough.steps.length, 6);
  for (const step of walkthrough.steps) {
    const media = step.media.markdown;
    assert.ok(media, `${step.id} has Markdown media`);
    const en = path.join(ROOT, media);
    // VS Code looks for <name>.nls.<locale>.md next to the contributed file.
    const zh = en.replace(/\.md$/, '.nls.zh-cn.md');
    assert.ok(existsSync(en), `${media} exists`);
    assert.ok(existsSync(zh), `${path.relative(ROOT, zh)} exists`);
    assert.match(readFileSync(zh, 'utf8'), CJK);
  }
});

test('zh-cn strings are written in Chinese and keep their command links and placeholders', () => {
  // Product names are the only strings that stay as they are.
  const untranslated = new Set(['Promptscope']);
  const links = (s: string): string[] => (s.match(/\(command:[^)]*\)/g) ?? []).sort();
  const placeholders = (s: string): string[] => (s.match(/\{\d+\}/g) ?? []).sort();
  const en = readJson('package.nls.json');
  const zh = readJson('package.nls.zh-cn.json');
  for (const [key, value] of Object.entries(zh)) {
    const text = String(value);
    if (!untranslated.has(text)) assert.match(text, CJK, `package.nls.zh-cn.json ${key} is not Chinese`);
    // A translated link must run the same command with the same arguments.
    assert.deepEqual(links(text), links(String(en[key] ?? '')), `command links differ in ${key}`);
  }
  const bundle = readJson('l10n/bundle.l10n.zh-cn.json');
  for (const [key, value] of Object.entries(bundle)) {
    const text = String(value);
    if (!untranslated.has(text)) assert.match(text, CJK, `the zh-cn translation of "${key}" is not Chinese`);
    assert.deepEqual(placeholders(text), placeholders(key), `placeholders differ in "${key}"`);
  }
});

test('every command the extension contributes has a title in both languages', () => {
  const manifest = readJson('package.json') as { contributes: { commands: { command: string; title: string }[] } };
  const en = readJson('package.nls.json');
  const zh = readJson('package.nls.zh-cn.json');
  for (const c of manifest.contributes.commands) {
    const key = /^%(.+)%$/.exec(c.title)?.[1];
    assert.ok(key, `${c.command}: the title is a %key%, not literal text`);
    assert.ok(typeof en[key] === 'string' && typeof zh[key] === 'string', `${c.command}: ${key} in both nls files`);
  }
});
