// The run panel's model picker and a saved run's "Inputs & prompt", in headless Chromium: the
// picker shows the model the next run uses and where that choice comes from, lists the live
// models of every endpoint, switches with the keyboard by asking the host (the file is not
// edited), offers "Write to frontmatter" only for a model chosen outside the file, and goes back
// when the host refuses. A run reopened from History shows the inputs and messages it sent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ModelChoice, PromptState } from '../../src/shared/protocol';
import { promptState, tidesRun } from './fixtures';
import { openPanel, startBrowser, stopBrowser, type PanelPage } from './page';

before(startBrowser);
after(stopBrowser);

const FILE = 'file:///work/explain.prompt';

function choice(current?: ModelChoice['current']): ModelChoice {
  return {
    file: FILE,
    ...(current ? { current } : {}),
    groups: [
      {
        endpoint: 'ollama',
        url: 'http://127.0.0.1:11434',
        models: [
          { ref: 'ollama/tiny', description: '1B · Q4_K_M · 0.8 GB · family llama', loaded: true },
          { ref: 'ollama/thinker', description: '8B · Q4_K_M · 4.9 GB', loaded: false },
        ],
      },
      { endpoint: 'vllm', url: 'http://127.0.0.1:8000/v1', problem: 'connection refused', models: [] },
    ],
  };
}

function withModel(model: ModelChoice): PromptState {
  return { ...promptState({ topic: 'tides' }), model };
}

interface Request {
  type: string;
  requestId: number;
  action: string;
  file?: string;
  ref?: string;
}

async function requests(panel: PanelPage, action: string): Promise<Request[]> {
  return ((await panel.posted()) as Request[]).filter((m) => m.type === 'request' && m.action === action);
}

const picker = (panel: PanelPage) =>
  panel.page.evaluate(() => {
    const select = document.querySelector('.model-bar select') as HTMLSelectElement;
    return {
      value: select.value,
      label: select.getAttribute('aria-label'),
      options: Array.from(select.options).map((o) => `${o.disabled ? '(disabled) ' : ''}${o.textContent}`),
      groups: Array.from(select.querySelectorAll('optgroup')).map((g) => g.label),
      source: document.querySelector('.model-source')?.textContent ?? '',
      write: !(document.querySelector('.model-write') as HTMLElement).hidden,
      message: document.querySelector('.model-message')?.textContent ?? '',
    };
  });

test('the picker shows the model the next run uses, its source and the live models of every endpoint', async () => {
  const panel = await openPanel(1280, 800);
  await panel.post({ type: 'snapshot', activeRunId: '', runs: [], prompt: withModel(choice({ ref: 'ollama/tiny', source: 'default' })) });
  const seen = await picker(panel);
  assert.equal(seen.value, 'ollama/tiny');
  assert.equal(seen.label, 'Model for the next run');
  assert.equal(seen.source, 'the workspace default');
  assert.deepEqual(seen.groups, ['ollama · http://127.0.0.1:11434', 'vllm · http://127.0.0.1:8000/v1']);
  assert.deepEqual(seen.options, [
    'ollama/tiny — 1B · Q4_K_M · 0.8 GB · family llama',
    'ollama/thinker — 8B · Q4_K_M · 4.9 GB',
    '(disabled) vllm is unreachable: connection refused',
  ]);
  assert.equal(seen.write, true, 'a default can be written into the file');
  await panel.close();
});

test('switching with the keyboard asks the host to use the model for this prompt; its answer updates the picker', async () => {
  const panel = await openPanel(1280, 800);
  await panel.post({ type: 'snapshot', activeRunId: '', runs: [], prompt: withModel(choice({ ref: 'ollama/tiny', source: 'default' })) });
  await panel.page.focus('.model-bar select');
  await panel.page.keyboard.press('ArrowDown');
  const [asked] = await requests(panel, 'useModel');
  assert.ok(asked, 'the picker asked the host');
  assert.equal(asked.file, FILE);
  assert.equal(asked.ref, 'ollama/thinker');
  await panel.post({ type: 'reply', requestId: asked.requestId, ok: true });
  await panel.post({ type: 'models', choice: choice({ ref: 'ollama/thinker', source: 'session' }) });
  const seen = await picker(panel);
  assert.equal(seen.value, 'ollama/thinker');
  assert.equal(seen.source, 'chosen here; the file is unchanged');
  await panel.page.click('.model-write');
  const [write] = await requests(panel, 'writeModel');
  assert.equal(write?.file, FILE);
  // Once the frontmatter names it, there is nothing to write.
  await panel.post({ type: 'models', choice: choice({ ref: 'ollama/thinker', source: 'frontmatter' }) });
  assert.equal((await picker(panel)).write, false);
  await panel.close();
});

test('a refused switch puts the picker back and says why; a model no endpoint lists is still shown', async () => {
  const panel = await openPanel(1280, 800);
  await panel.post({
    type: 'snapshot',
    activeRunId: '',
    runs: [],
    prompt: withModel(choice({ ref: 'ollama/gone', source: 'frontmatter' })),
  });
  const before = await picker(panel);
  assert.equal(before.value, 'ollama/gone');
  assert.equal(before.options[0], 'ollama/gone (not on any endpoint)');
  await panel.page.selectOption('.model-bar select', 'ollama/tiny');
  const [asked] = await requests(panel, 'useModel');
  assert.ok(asked);
  await panel.post({ type: 'reply', requestId: asked.requestId, ok: false, error: 'no endpoint named "x"' });
  await panel.page.waitForFunction(() => document.querySelector('.model-message')?.textContent !== '');
  const after = await picker(panel);
  assert.equal(after.value, 'ollama/gone', 'back to the model the next run really uses');
  assert.match(after.message, /no endpoint named "x"/);
  await panel.close();
});

test('with the picker in the top bar, a run that starts at 1280×800 has its first token on screen', async () => {
  const panel = await openPanel(1280, 800);
  const prompt = withModel(choice({ ref: 'ollama/tiny', source: 'session' }));
  await panel.post({ type: 'snapshot', activeRunId: '', runs: [], prompt });
  const running = tidesRun('r1');
  running.status = 'running';
  await panel.post({ type: 'snapshot', activeRunId: 'r1', runs: [running], prompt });
  assert.equal(await panel.page.locator('.model-bar select').isVisible(), true);
  const inView = await panel.page.$eval('.tok[data-index="0"]', (e) => {
    const r = e.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
  });
  assert.equal(inView, true);
  await panel.close();
});

test('a run reopened from History shows the inputs and messages it sent; a panel of saved runs has no picker', async () => {
  const panel = await openPanel(1280, 800);
  await panel.post({
    type: 'snapshot',
    activeRunId: 'r1',
    runs: [tidesRun('r1')],
    sent: [
      {
        runId: 'r1',
        inputs: { topic: 'tides', reader: 'student' },
        turns: [
          { role: 'system', parts: [{ kind: 'text', text: 'You explain things simply.' }] },
          { role: 'user', parts: [{ kind: 'text', text: 'Explain tides to a student.' }] },
        ],
      },
    ],
  });
  assert.equal(await panel.page.locator('.model-bar').isVisible(), false);
  const summary = panel.page.locator('details.sent > summary');
  assert.equal(await summary.textContent(), 'Inputs & prompt · 2 inputs · 2 messages');
  await summary.focus();
  await panel.page.keyboard.press('Enter');
  const shown = await panel.page.evaluate(() => ({
    open: (document.querySelector('details.sent') as HTMLDetailsElement).open,
    inputs: document.querySelector('.sent-inputs')?.textContent ?? '',
    turns: Array.from(document.querySelectorAll('.sent .turn')).map(
      (e) => `${(e as HTMLElement).dataset['role']}: ${e.querySelector('.part-text')?.textContent}`,
    ),
  }));
  assert.equal(shown.open, true);
  assert.match(shown.inputs, /topic\s*tides/);
  assert.match(shown.inputs, /reader\s*student/);
  assert.deepEqual(shown.turns, ['system: You explain things simply.', 'user: Explain tides to a student.']);
  // A run without a record of what it sent (streaming now) shows no such section.
  const running = tidesRun('r2');
  running.status = 'running';
  await panel.post({ type: 'snapshot', activeRunId: 'r2', runs: [running] });
  assert.equal(await panel.page.locator('details.sent').isVisible(), false);
  await panel.close();
});
