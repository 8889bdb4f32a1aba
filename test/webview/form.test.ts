// The variables form and the live preview in headless Chromium, driven through the real protocol.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PromptState } from '../../src/shared/protocol';
import { promptState, token, transcript } from './fixtures';
import { openPanel, startBrowser, stopBrowser, type PanelPage } from './page';

before(startBrowser);
after(stopBrowser);

interface Posted {
  type: string;
  action?: string;
  requestId?: number;
  file?: string;
  values?: Record<string, unknown>;
}

async function requests(panel: PanelPage, action: string): Promise<Posted[]> {
  return ((await panel.posted()) as Posted[]).filter((m) => m.type === 'request' && m.action === action);
}

/** Answers every request so far with ok (as the host does). */
async function replyAll(panel: PanelPage): Promise<void> {
  for (const m of (await panel.posted()) as Posted[])
    if (m.type === 'request') await panel.post({ type: 'reply', requestId: m.requestId, ok: true });
}

async function openWith(prompt: PromptState, runs = [] as ReturnType<typeof transcript>[]): Promise<PanelPage> {
  const panel = await openPanel(1000, 800);
  await panel.post({ type: 'snapshot', activeRunId: runs[0]?.meta.id ?? '', runs, prompt });
  return panel;
}

test('a field per input with its type: text, number, checkbox, enum select, JSON areas', async () => {
  const panel = await openWith(promptState());
  const page = panel.page;
  assert.deepEqual(await page.$$eval('.field .field-name', (els) => els.map((e) => e.textContent)), [
    'topic',
    'reader',
    'count',
    'ratio',
    'formal',
    'tags',
    'profile',
  ]);
  assert.equal(await page.locator('#input-topic').evaluate((e) => e.tagName), 'TEXTAREA');
  assert.equal(await page.locator('#input-count').getAttribute('inputmode'), 'numeric');
  assert.equal(await page.locator('#input-formal').getAttribute('type'), 'checkbox');
  assert.deepEqual(await page.$$eval('#input-reader option', (os) => os.map((o) => o.textContent)), [
    '(not set)',
    'child',
    'student',
    'expert',
  ]);
  // Defaults from input.default; the required input without one is starred.
  assert.equal(await page.locator('#input-reader').inputValue(), '"student"');
  assert.equal(await page.locator('.field:has(#input-topic) .required').count(), 1);
  assert.equal(await page.locator('.field:has(#input-reader) .required').count(), 0);
  await panel.close();
});

test('remembered values arrive in the snapshot and fill the form', async () => {
  const panel = await openWith(promptState({ topic: 'tides', count: 3, formal: true, tags: ['a', 'b'], reader: 'expert' }));
  const page = panel.page;
  assert.equal(await page.locator('#input-topic').inputValue(), 'tides');
  assert.equal(await page.locator('#input-count').inputValue(), '3');
  assert.equal(await page.locator('#input-formal').isChecked(), true);
  assert.equal(await page.locator('#input-reader').inputValue(), '"expert"');
  assert.deepEqual(JSON.parse(await page.locator('#input-tags').inputValue()), ['a', 'b']);
  await panel.close();
});

test('invalid values are marked as they are typed and never sent', async () => {
  const panel = await openWith(promptState({ topic: 'tides' }));
  const page = panel.page;
  await page.fill('#input-count', '2.5');
  await page.fill('#input-tags', '["a", 3]');
  await page.fill('#input-profile', '{"name": ');
  assert.equal(await page.locator('#input-count').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('.field:has(#input-count) .field-message').innerText(), /whole number/);
  assert.match(await page.locator('.field:has(#input-tags) .field-message').innerText(), /Item 2: expected text/);
  assert.match(await page.locator('.field:has(#input-profile) .field-message').innerText(), /Not valid JSON/);
  await page.click('button.run');
  assert.equal((await requests(panel, 'run')).length, 0, 'nothing is run with invalid values');
  assert.match(await page.locator('.form-message').innerText(), /Fix the marked inputs/);
  // The preview request carries only the values that fit.
  await page.waitForFunction(() => (window as unknown as { __posted: { action?: string }[] }).__posted.some((m) => m.action === 'preview'));
  const last = (await requests(panel, 'preview')).pop()!;
  assert.deepEqual(last.values, { topic: 'tides' });
  await panel.close();
});

test('a required input left empty is marked on Run and focused; filled in, Run sends the values', async () => {
  const panel = await openWith(promptState());
  const page = panel.page;
  await page.click('button.run');
  assert.equal(await page.locator('#input-topic').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'input-topic');
  assert.equal((await requests(panel, 'run')).length, 0);
  await page.fill('#input-topic', 'the moon');
  await page.fill('#input-count', '4');
  await page.selectOption('#input-reader', '"child"');
  await page.check('#input-formal');
  await page.fill('#input-tags', '["space"]');
  await page.keyboard.press('Control+Enter');
  const run = (await requests(panel, 'run')).pop()!;
  assert.equal(run.file, 'file:///work/explain.prompt');
  assert.deepEqual(run.values, { topic: 'the moon', count: 4, reader: 'child', formal: true, tags: ['space'] });
  await replyAll(panel);
  await panel.close();
});

test('the host can focus the form at a field', async () => {
  const panel = await openWith(promptState());
  await panel.post({ type: 'focus', field: 'count' });
  assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'input-count');
  await panel.close();
});

test('the preview shows messages by role, history, media, sections, the resolved model and config', async () => {
  const panel = await openWith(promptState());
  const page = panel.page;
  assert.deepEqual(await page.$$eval('.turn', (els) => els.map((e) => (e as HTMLElement).dataset['role'])), [
    'system',
    'user',
    'model',
    'user',
  ]);
  assert.match(await page.locator('.turn >> nth=1').innerText(), /history/);
  assert.match(await page.locator('.part-media').innerText(), /image\/png/);
  assert.match(await page.locator('.part-section').innerText(), /section “output”/);
  assert.match(await page.locator('.model-line').innerText(), /ollama\/llama3\.2.*endpoint “ollama”.*model llama3\.2/s);
  assert.match(await page.locator('.pairs.config').innerText(), /temperature\s*0\.4/);
  assert.match(await page.locator('.pairs.options').innerText(), /topLogprobs\s*5/);
  // A newer preview replaces it; an older one (lower seq) is ignored.
  const file = 'file:///work/explain.prompt';
  await panel.post({
    type: 'preview',
    file,
    seq: 5,
    preview: { ok: false, error: 'Line 3: the template is broken', turns: [], notes: [] },
  });
  assert.match(await page.locator('.preview-error').innerText(), /template is broken/);
  await panel.post({ type: 'preview', file, seq: 4, preview: { ok: true, turns: [], notes: [] } });
  assert.equal(await page.locator('.preview-error').count(), 1);
  await panel.close();
});

test('preview text from the prompt stays text', async () => {
  const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const panel = await openWith(promptState());
  await panel.post({
    type: 'preview',
    file: 'file:///work/explain.prompt',
    seq: 9,
    preview: {
      ok: true,
      turns: [
        {
          role: 'user',
          parts: [
            { kind: 'text', text: hostile },
            { kind: 'media', url: 'javascript:window.__pwned=3' },
          ],
        },
      ],
      notes: [],
      model: { ref: hostile, error: hostile },
    },
  });
  const state = await panel.page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: number }).__pwned,
    elements: document.querySelectorAll('#app img, #app script, #app a').length,
  }));
  assert.deepEqual(state, { pwned: undefined, elements: 0 });
  assert.equal(await panel.page.locator('.part-text').innerText(), hostile);
  await panel.close();
});

test('a schema edit keeps what is being typed; a reload restores drafts and runs from the saved state', async () => {
  const panel = await openWith(promptState(), [transcript('r1', [token('Tides', -0.1), token(' rise', -0.7, [[' fall', -1.1]])])]);
  const page = panel.page;
  // The panel opened on a run, so its output comes first: the user opens the form to type.
  assert.equal(await page.locator('details.prompt').evaluate((d) => (d as HTMLDetailsElement).open), false);
  await page.click('details.prompt > summary');
  await page.fill('#input-topic', 'half-typed');
  await page.fill('#input-count', 'abc');
  const form = promptState().form;
  await panel.post({ type: 'form', form: { ...form, fields: form.fields.filter((f) => f.name !== 'ratio') } });
  assert.equal(await page.locator('#input-ratio').count(), 0);
  assert.equal(await page.locator('#input-topic').inputValue(), 'half-typed');
  const saved = await page.evaluate(() => (window as unknown as { __state: Record<string, unknown> }).__state);
  assert.equal(saved['file'], 'file:///work/explain.prompt');
  assert.deepEqual(saved['runIds'], ['r1']);
  assert.equal((saved['drafts'] as Record<string, string>)['count'], 'abc');
  // A reloaded webview (hidden and shown again) gets its state back and a fresh snapshot.
  await panel.close();
  const again = await openPanel(1000, 800, saved);
  await again.post({
    type: 'snapshot',
    activeRunId: 'r1',
    runs: [transcript('r1', [token('Tides', -0.1), token(' rise', -0.7, [[' fall', -1.1]])])],
    prompt: promptState({ topic: 'tides' }),
  });
  assert.equal(await again.page.locator('#input-count').inputValue(), 'abc');
  assert.equal(await again.page.locator('#input-count').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await again.page.$$eval('.strip:not(.thinking) .tok', (els) => els.map((e) => e.textContent)), ['Tides', ' rise']);
  await again.close();
});
