// The run panel journey in the real VS Code, checked where a person looks: inside the webview.
// The extension host cannot see a webview's DOM, so these tests ask the harness's page side
// (Playwright, test/harness/page-channel.mjs) to read and click in the panel's frame. Without
// that channel (e.g. under @vscode/test-electron) they are skipped.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeServer } from '../fixtures/servers/http';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import { closeAllEditors, PAGE_CHANNEL, pageSide, waitFor, waitForExtensionActive, workspaceRoot } from './helpers';

/** Runs `fn(arg)` in the run panel showing `match` (the function travels as source text). */
function inPanel<A, R>(match: string, fn: (arg: A) => R, arg?: A): Promise<R> {
  return pageSide<R>('eval', { match, fn: fn.toString(), arg });
}

/** Waits until `fn(arg)` is truthy in the run panel showing `match`. */
function untilPanel<A, R>(match: string, fn: (arg: A) => R, arg?: A, timeoutMs = 15_000): Promise<NonNullable<R>> {
  return pageSide<NonNullable<R>>('waitFor', { match, fn: fn.toString(), arg, timeoutMs });
}

interface Saved {
  id: string;
  status: string;
  preview: string;
  file?: string;
}

function savedRuns(file: string): Saved[] {
  const dir = path.join(workspaceRoot().fsPath, '.promptscope', 'runs');
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.meta.json'));
  } catch {
    return [];
  }
  return names.map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Saved).filter((r) => r.file?.endsWith(file));
}

const JOURNEY = 'journey.prompt';
const JOURNEY_TEXT = `---
model: ollama/tiny
config:
  temperature: 0.2
input:
  schema:
    topic: string, What to explain
    reader?(enum, Who reads the answer): [child, student, expert]
    points?: integer
  default:
    reader: student
---
{{role "system"}}
You explain things simply.
{{role "user"}}
Explain {{topic}} to a {{reader}}.
`;

async function writePrompt(name: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return uri;
}

/** What the panel shows now: the chips of the active run, the tabs, the status. */
const shown = (): { tokens: string[]; labels: string[]; tabs: string[]; status: string } => ({
  tokens: Array.from(document.querySelectorAll('.strip:not(.thinking) .tok')).map((e) => e.textContent ?? ''),
  labels: Array.from(document.querySelectorAll('.strip:not(.thinking) .tok')).map((e) => e.getAttribute('aria-label') ?? ''),
  tabs: Array.from(document.querySelectorAll('.tab')).map((e) => e.textContent ?? ''),
  status: document.querySelector('.status')?.textContent ?? '',
});

suite('the run panel, seen inside its webview', function () {
  let fake: FakeServer;
  let journey: vscode.Uri;

  suiteSetup(async function () {
    if (!PAGE_CHANNEL) this.skip();
    fake = await startOllamaFake();
    await vscode.workspace.getConfiguration('promptscope').update('ollama.host', fake.url, vscode.ConfigurationTarget.Workspace);
    journey = await writePrompt(JOURNEY, JOURNEY_TEXT);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(journey), { viewColumn: vscode.ViewColumn.One });
    await waitForExtensionActive();
  });

  suiteTeardown(async () => {
    if (!PAGE_CHANNEL) return;
    await vscode.workspace.getConfiguration('promptscope').update('ollama.host', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
    await fake?.close();
  });

  test('Run opens the form and preview; with a required input missing it runs nothing and marks the input', async () => {
    await vscode.commands.executeCommand('promptscope.run', journey);
    const form = await untilPanel(JOURNEY, () => {
      const topic = document.querySelector('#input-topic');
      if (!topic || topic.getAttribute('aria-invalid') !== 'true') return undefined;
      return {
        fields: Array.from(document.querySelectorAll('.field .field-name')).map((e) => e.textContent),
        reader: (document.querySelector('#input-reader') as HTMLSelectElement).value,
        message: document.querySelector('.field:has(#input-topic) .field-message')?.textContent,
        model: document.querySelector('.model-line')?.textContent ?? '',
        config: document.querySelector('.pairs.config')?.textContent ?? '',
        roles: Array.from(document.querySelectorAll('.turn')).map((e) => (e as HTMLElement).dataset['role']),
      };
    });
    assert.deepEqual(form.fields, ['topic', 'reader', 'points']);
    assert.equal(form.reader, '"student"');
    assert.equal(form.message, 'Required.');
    assert.match(form.model, /ollama\/tiny.*endpoint “ollama”.*model tiny/);
    assert.match(form.config, /temperature\s*0\.2/);
    assert.deepEqual(form.roles, ['system', 'user']);
    assert.equal(savedRuns(JOURNEY).length, 0, 'nothing ran');
    assert.equal(fake.requests.filter((r) => r.path === '/api/chat').length, 0);
  });

  test('the preview follows edits of the file', async () => {
    const doc = await vscode.workspace.openTextDocument(journey);
    const edit = new vscode.WorkspaceEdit();
    const at = doc.getText().indexOf('simply');
    edit.replace(journey, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'simply'.length)), 'in plain words');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await untilPanel(JOURNEY, () => document.querySelector('.turn[data-role="system"]')?.textContent?.includes('in plain words'));
    await doc.save();
  });

  test('filling the form updates the preview; Run streams tokens with probabilities into the panel', async () => {
    await pageSide('fill', { match: JOURNEY, selector: '#input-topic', value: 'tides' });
    await untilPanel(JOURNEY, () =>
      document.querySelector('.turn[data-role="user"]')?.textContent?.includes('Explain tides to a student.'),
    );
    await pageSide('click', { match: JOURNEY, selector: 'button.run' });
    const seen = await pageSide<ReturnType<typeof shown>>('waitFor', {
      match: JOURNEY,
      fn: `() => { const view = (${shown.toString()})(); return view.status === 'completed' && view.tokens.length === 3 ? view : undefined; }`,
    });
    assert.deepEqual(seen.tokens, ['Hello', ' world', '!']);
    assert.match(seen.labels[0]!, /token 1: Hello, probability 99\.0%/);
    const stats = await inPanel(JOURNEY, () => document.querySelector('.stats')?.textContent ?? '');
    assert.match(stats, /ollama\/tiny/);
    const chat = fake.requests.filter((r) => r.path === '/api/chat').pop();
    assert.ok(chat, 'the model was called');
    assert.match(JSON.stringify(chat.body), /Explain tides to a student\./);
    await waitFor(() => savedRuns(JOURNEY).some((r) => r.status === 'completed'), { message: 'the saved run' });
    await pageSide('screenshot', { name: 'integration-run-panel' });
  });

  test('Run again starts at once: the inputs were remembered', async () => {
    const before = fake.requests.filter((r) => r.path === '/api/chat').length;
    await vscode.commands.executeCommand('promptscope.run', journey);
    await waitFor(() => fake.requests.filter((r) => r.path === '/api/chat').length > before, { message: 'a second model call' });
    assert.match(JSON.stringify(fake.requests.filter((r) => r.path === '/api/chat').pop()!.body), /Explain tides/);
    await untilPanel(
      JOURNEY,
      () => document.querySelectorAll('.tab').length === 2 && document.querySelector('.status')?.textContent === 'completed',
    );
  });

  test('hovering a token shows its alternatives; clicking one starts a branch in its own tab', async () => {
    await pageSide('hover', { match: JOURNEY, selector: '.strip:not(.thinking) .tok[data-index="1"]' });
    const popover = await untilPanel(JOURNEY, () => {
      const pop = document.querySelector('.popover') as HTMLElement | null;
      if (!pop || pop.hidden) return undefined;
      return {
        alternatives: Array.from(pop.querySelectorAll('.alt .alt-text')).map((e) => e.textContent),
        facts: pop.querySelector('dl')?.textContent ?? '',
      };
    });
    assert.deepEqual(popover.alternatives, ['␣world', '␣world?']);
    assert.match(popover.facts, /probability\s*60\.7%/);
    await pageSide('click', { match: JOURNEY, selector: '.popover .alt:not(.chosen)' });
    const branch = await untilPanel(JOURNEY, () => {
      const tabs = Array.from(document.querySelectorAll('.tab'));
      const active = tabs.find((t) => t.getAttribute('aria-selected') === 'true');
      if (tabs.length !== 3 || !active?.textContent?.includes('branch') || document.querySelector('.status')?.textContent !== 'completed')
        return undefined;
      return { tab: active.textContent, prefix: Array.from(document.querySelectorAll('.tok.prefix')).map((e) => e.textContent) };
    });
    assert.match(branch.tab ?? '', /branch 2: “world\?”/);
    assert.deepEqual(branch.prefix, ['Hello', ' world?']);
  });

  test('Stop on a slow run stops the stream and keeps the tokens that arrived', async () => {
    const slow = await writePrompt('slow.prompt', '---\nmodel: ollama/slow\n---\nCount slowly.\n');
    await vscode.commands.executeCommand('promptscope.run', slow);
    await untilPanel(
      'slow.prompt',
      () =>
        document.querySelectorAll('.strip:not(.thinking) .tok').length >= 20 && !(document.querySelector('.stop') as HTMLElement).hidden,
    );
    await pageSide('click', { match: 'slow.prompt', selector: '.stop' });
    const stopped = await untilPanel('slow.prompt', () =>
      document.querySelector('.status')?.textContent === 'stopped'
        ? document.querySelectorAll('.strip:not(.thinking) .tok').length
        : undefined,
    );
    assert.ok(stopped >= 20 && stopped < 2000, `${stopped} tokens kept`);
    const saved = await waitFor(() => savedRuns('slow.prompt').find((r) => r.status === 'stopped'), {
      message: 'the stopped run in history',
    });
    assert.match(saved.preview, /^t0 t1 t2/);
    assert.equal(
      await inPanel('slow.prompt', () => document.querySelectorAll('.strip:not(.thinking) .tok').length),
      stopped,
      'nothing arrives after Stop',
    );
  });
});

/** The suite's counts so far, as mocha would report them (tests left out by --grep are not counted). */
function tally(root: Mocha.Suite): { passed: number; failed: number; pending: number; durationMs: number } {
  const grep = process.env['PROMPTSCOPE_TEST_GREP'];
  const selected = grep ? new RegExp(grep) : undefined;
  const out = { passed: 0, failed: 0, pending: 0, durationMs: 0 };
  root.eachTest((t) => {
    if (selected && !selected.test(t.fullTitle())) return;
    if (t.isPending()) out.pending += 1;
    else if (t.state === 'passed') out.passed += 1;
    else out.failed += 1; // failed, or never ran because a hook failed
    out.durationMs += t.duration ?? 0;
  });
  return out;
}

// After every suite (others close all editors, so this is the last word): a run panel with a
// run and a branch is left open, and the harness is asked to run Developer: Reload Window and
// check that the panel comes back the same. The reload ends this extension host, so the suite
// hands its counts to the harness first and then waits here for the end.
suiteTeardown(async function () {
  if (!PAGE_CHANNEL) return;
  const counts = tally(this.test!.parent!);
  const journeyRan = this.test!.parent!.suites.some(
    (s) => s.title.startsWith('the run panel') && s.tests.every((t) => t.state === 'passed'),
  );
  // Anything failed, or the journey was left out: mocha reports as usual and nothing reloads.
  if (counts.failed > 0 || !journeyRan) return;
  this.timeout(120_000);
  const fake = await startOllamaFake();
  try {
    await vscode.workspace.getConfiguration('promptscope').update('ollama.host', fake.url, vscode.ConfigurationTarget.Workspace);
    const journey = vscode.Uri.joinPath(workspaceRoot(), JOURNEY);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(journey), { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('promptscope.run', journey);
    await untilPanel(
      JOURNEY,
      () => document.querySelector('.status')?.textContent === 'completed' && document.querySelectorAll('.strip .tok').length === 3,
    );
    await pageSide('hover', { match: JOURNEY, selector: '.strip:not(.thinking) .tok[data-index="2"]' });
    await pageSide('click', { match: JOURNEY, selector: '.popover .alt:not(.chosen)' });
    const expect = await untilPanel(JOURNEY, () => {
      const tabs = Array.from(document.querySelectorAll('.tab')).map((e) => e.textContent ?? '');
      if (tabs.length !== 2 || document.querySelector('.status')?.textContent !== 'completed') return undefined;
      return {
        tokens: Array.from(document.querySelectorAll('.strip:not(.thinking) .tok')).map((e) => e.textContent),
        tabs,
        topic: (document.querySelector('#input-topic') as HTMLTextAreaElement | null)?.value,
      };
    });
    await vscode.workspace.getConfiguration('promptscope').update('ollama.host', undefined, vscode.ConfigurationTarget.Workspace);
    console.log(`run panel left open for the reload check: ${JSON.stringify(expect)}`);
    await pageSide('reloadWindow', { match: JOURNEY, expect, summary: counts });
  } finally {
    await fake.close();
  }
  // The harness reloads the window now; this extension host ends with it.
  await new Promise<never>(() => undefined);
});
