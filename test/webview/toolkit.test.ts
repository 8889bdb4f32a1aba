// The shared webview toolkit on its own (no browser): card placement at the viewport's edges,
// the host channel settling every request, formatting units, colour buckets, and the guard that
// keeps English out of webview code.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { WEBVIEW_STRING_KEYS } from '../../src/shared/webview-strings';
import { HostChannel, type ReplyBase, type VsCodeApi } from '../../src/webview/common/channel';
import { bucketFor, bucketOfEntropy, bucketOfLogprob, entropyOfLogprobs } from '../../src/webview/common/colour';
import {
  clip,
  durationOfMs,
  hexOfBytes,
  isPartialUtf8,
  percentOfLogprob,
  percentOfProbability,
  spaced,
  visible,
} from '../../src/webview/common/format';
import { placeCard } from '../../src/webview/common/placement';
import { englishLiterals } from './english-literals';
import { stringsTable } from './strings';

const root = path.resolve(__dirname, '..', '..');

test('the card goes below its token, flips above at the bottom edge, and never covers the token', () => {
  const token = { left: 100, top: 100, right: 140, bottom: 120 };
  assert.deepEqual(placeCard(token, 300, 200, 1000, 800), { left: 100, top: 124, maxHeight: 668, side: 'below', align: 'start' });
  const low = { left: 100, top: 700, right: 140, bottom: 720 };
  const above = placeCard(low, 300, 200, 1000, 800);
  assert.equal(above.side, 'above');
  assert.equal(above.top + 200, low.top - 4, 'the card ends just above the token');
  // Too tall for either side: the roomier side, with the height cut to fit, clear of the token.
  const tall = placeCard({ left: 10, top: 300, right: 50, bottom: 320 }, 300, 900, 1000, 800);
  assert.equal(tall.side, 'below');
  assert.equal(tall.top, 324);
  assert.equal(tall.top + tall.maxHeight, 800 - 8);
  const tallLow = placeCard({ left: 10, top: 600, right: 50, bottom: 620 }, 300, 900, 1000, 800);
  assert.equal(tallLow.side, 'above');
  assert.ok(tallLow.top >= 8 && tallLow.top + Math.min(900, tallLow.maxHeight) <= 596);
});

test('the card flips sideways at the right edge and stays inside narrow viewports', () => {
  const right = placeCard({ left: 900, top: 100, right: 960, bottom: 120 }, 300, 100, 1000, 800);
  assert.equal(right.align, 'end');
  assert.equal(right.left, 660, 'ends at the token’s right edge');
  const narrow = placeCard({ left: 150, top: 100, right: 190, bottom: 120 }, 300, 100, 320, 800);
  assert.ok(narrow.left >= 8 && narrow.left + 300 <= 320 - 8 + 0.5, `left ${narrow.left}`);
  const edge = placeCard({ left: 0, top: 0, right: 10, bottom: 10 }, 200, 50, 1000, 800);
  assert.equal(edge.left, 8);
});

class FakeApi implements VsCodeApi {
  posted: unknown[] = [];
  state: unknown;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  getState(): unknown {
    return this.state;
  }
  setState(state: unknown): void {
    this.state = state;
  }
}

type Message = { type: 'hello'; n: number } | (ReplyBase & { message?: string });
const accepts = (v: unknown): v is Message =>
  typeof v === 'object' && v !== null && ((v as { type?: unknown }).type === 'hello' || (v as { type?: unknown }).type === 'reply');

function channel(timeoutMs: number) {
  const target = new EventTarget();
  const api = new FakeApi();
  const received: unknown[] = [];
  const ch = new HostChannel<Message>({
    accepts,
    onMessage: (m) => received.push(m),
    timeoutMs,
    timeoutMessage: 'no answer',
    failedMessage: 'it failed',
    target,
    api,
  });
  const deliver = (data: unknown): void => void target.dispatchEvent(new MessageEvent('message', { data }));
  return { ch, api, received, deliver };
}

test('the channel: replies settle their own request; malformed and unknown messages change nothing', async () => {
  const { ch, api, received, deliver } = channel(60_000);
  const first = ch.request({ action: 'a' });
  const second = ch.request({ action: 'b' });
  assert.deepEqual(api.posted, [
    { type: 'request', requestId: 1, action: 'a' },
    { type: 'request', requestId: 2, action: 'b' },
  ]);
  deliver({ type: 'hello', n: 1 });
  deliver({ nonsense: true });
  deliver({ type: 'reply', requestId: 99, ok: true });
  deliver({ type: 'reply', requestId: 2, ok: false });
  deliver({ type: 'reply', requestId: 1, ok: true, message: 'done' });
  assert.deepEqual(await first, { type: 'reply', requestId: 1, ok: true, message: 'done' });
  await assert.rejects(second, /it failed/);
  assert.deepEqual(received, [{ type: 'hello', n: 1 }]);
  assert.equal(ch.waiting, 0);
});

test('the channel: a request with no reply is rejected after the timeout, and a late reply is ignored', async () => {
  const { ch, deliver } = channel(5);
  const pending = ch.request({ action: 'slow' });
  await assert.rejects(pending, /no answer/);
  assert.equal(ch.waiting, 0);
  deliver({ type: 'reply', requestId: 1, ok: true });
  assert.equal(ch.waiting, 0);
});

test('the channel: dispose rejects what still waits and stops listening', async () => {
  const { ch, received, deliver } = channel(60_000);
  const pending = ch.request({ action: 'x' });
  ch.dispose('closed');
  await assert.rejects(pending, /closed/);
  deliver({ type: 'hello', n: 2 });
  assert.deepEqual(received, []);
});

test('formatting: each function takes the unit its name says', () => {
  assert.equal(percentOfProbability(0.5), '50.0%');
  assert.equal(percentOfLogprob(Math.log(0.5)), '50.0%');
  assert.equal(percentOfLogprob(0), '100%');
  assert.equal(percentOfProbability(0.0004), '<0.1%');
  assert.equal(percentOfProbability(Number.NaN), '–');
  assert.equal(durationOfMs(850.4), '850 ms');
  assert.equal(durationOfMs(1250), '1.25 s');
  assert.equal(durationOfMs(undefined), '–');
  assert.equal(hexOfBytes([0xe4, 0xb8]), 'e4 b8');
  assert.equal(isPartialUtf8([0xe4, 0xb8]), true);
  assert.equal(isPartialUtf8([0xe4, 0xb8, 0xad]), false);
  assert.equal(visible(''), '∅');
  assert.equal(visible('a\tb\n'), 'a⇥b↵\n');
  assert.equal(visible('\u200b'), '⟨U+200B⟩');
  assert.equal(spaced('  hi '), '␣␣hi␣');
  assert.equal(clip('a   b  c', 4), 'a b…');
});

test('colour buckets: by probability, by entropy, off', () => {
  assert.equal(bucketOfLogprob(0), 9);
  assert.equal(bucketOfLogprob(Math.log(0.05)), 0);
  assert.equal(bucketOfLogprob(undefined), undefined);
  assert.equal(entropyOfLogprobs([0]), 0);
  const even = entropyOfLogprobs([Math.log(0.5), Math.log(0.5)])!;
  assert.ok(Math.abs(even - Math.log(2)) < 1e-12);
  assert.equal(bucketOfEntropy(0), 9);
  assert.equal(bucketOfEntropy(Math.log(20)), 0);
  assert.equal(bucketFor('off', 0, 0), undefined);
  assert.equal(bucketFor('entropy', Math.log(0.05), 0), 9);
  assert.equal(bucketFor('probability', Math.log(0.05), 0), 0);
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : name.endsWith('.ts') ? [full] : [];
  });
}

test('no user-visible English literal is left in webview code', () => {
  const offenders = sources(path.join(root, 'src', 'webview')).flatMap((file) =>
    englishLiterals(readFileSync(file, 'utf8')).map((f) => `${path.relative(root, file)}:${f.line}: ${f.text}`),
  );
  assert.deepEqual(offenders, []);
});

test('the literal scan finds English where it reaches the user (it can fail)', () => {
  const planted = [
    "span.textContent = 'No run to show.';",
    'b.title = `Save the grid as ${label}`;',
    "x.setAttribute('aria-label', 'model output');",
    "el('span', 'muted', 'majority ', line);",
    "summary.append('Prompt ', name);",
    "const stop = button('Stop', 'stop');",
    "e.textContent = ok ? '' : 'does not render';",
  ];
  for (const line of planted) assert.equal(englishLiterals(line).length, 1, line);
  for (const line of [
    "span.textContent = t('runEmpty');",
    "el('span', 'muted', '–', line);",
    "x.setAttribute('role', 'dialog');",
    "el('div', 'pop-head', undefined, root);",
  ]) {
    assert.deepEqual(englishLiterals(line), [], line);
  }
  // The panels as they were before the strings table: the scan finds their English.
  const before = execFileSync('git', ['show', 'a2a3562:src/webview/compare/toolbar.ts'], { cwd: root, encoding: 'utf8' });
  assert.ok(englishLiterals(before).length >= 10);
});

test('the strings table: every key built by the host, in English and in Chinese', () => {
  const en = stringsTable('en');
  const zh = stringsTable('zh-cn');
  assert.deepEqual(Object.keys(en).sort(), [...WEBVIEW_STRING_KEYS].sort());
  const untranslated = WEBVIEW_STRING_KEYS.filter((key) => !/[\u4e00-\u9fff]/.test(zh[key]));
  assert.deepEqual(untranslated, [], 'keys without a Chinese text');
  // Placeholders survive for the webview to fill in.
  assert.equal(en.chipLabelProbability, 'token {0}: {1}, probability {2}');
  assert.match(zh.chipLabelProbability, /\{0\}.*\{1\}.*\{2\}/);
});
