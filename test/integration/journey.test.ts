// A newcomer's journey in the real VS Code, end to end, at 1280×800: a workspace whose Ollama
// server has one model and where nothing names a model; New .prompt from Pattern → Run → the
// tokens are on screen without scrolling → a second model arrives (pulled in a terminal) and is
// picked in the run panel → Run again → the server was asked for the other model. The geometry is
// read from the real webview (the harness's page side, test/harness/page-channel.mjs).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { frontmatterModel } from '../../src/core/models/model-choice';
import type { FakeServer } from '../fixtures/servers/http';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import { closeAllEditors, PAGE_CHANNEL, pageSide, waitFor, waitForExtensionActive } from './helpers';

/** Waits until `fn(arg)` is truthy in the run panel showing `match` (the function travels as source text). */
function untilPanel<A, R>(match: string, fn: (arg: A) => R, arg?: A, timeoutMs = 20_000): Promise<NonNullable<R>> {
  return pageSide<NonNullable<R>>('waitFor', { match, fn: fn.toString(), arg, timeoutMs });
}

/** The models the server was asked to chat with, in order. */
function chatModels(fake: FakeServer): string[] {
  return fake.requests.filter((r) => r.path === '/api/chat').map((r) => (r.body as { model?: string }).model ?? '');
}

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('promptscope');

suite('journey: from a pattern to a second model, in a 1280×800 window', function () {
  this.timeout(120_000);
  let fake: FakeServer | undefined;

  suiteSetup(async function () {
    if (!PAGE_CHANNEL) this.skip();
    await pageSide('viewport', { width: 1280, height: 800 });
    fake = await startOllamaFake({ installed: ['tiny'] });
    await config().update('ollama.host', fake.url, vscode.ConfigurationTarget.Workspace);
    // Nothing names a model: no setting, nothing remembered from earlier suites.
    await vscode.commands.executeCommand('promptscope.models.setDefault', '');
    await vscode.commands.executeCommand('promptscope.models.refresh');
    const doc = await vscode.workspace.openTextDocument({ language: 'dotprompt', content: 'hi' });
    await vscode.window.showTextDocument(doc);
    await waitForExtensionActive();
  });

  suiteTeardown(async () => {
    if (!PAGE_CHANNEL) return;
    await vscode.commands.executeCommand('promptscope.models.setDefault', '');
    await config().update('ollama.host', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
    await fake?.close();
    await pageSide('viewport', { width: 1400, height: 900 });
  });

  test('New from Pattern → Run → tokens on screen → switch the model in the panel → Run again uses it', async () => {
    const server = fake!;
    await vscode.commands.executeCommand('promptscope.patterns.newFile', { patternId: 'zero-shot-cot', templateId: 'one-pass' });
    const prompt = vscode.window.activeTextEditor?.document;
    assert.ok(prompt?.isUntitled && prompt.languageId === 'dotprompt', 'New .prompt from Pattern opened an untitled prompt');
    assert.equal(frontmatterModel(prompt.getText()), undefined, 'the new file names no model');
    const match = vscode.workspace.asRelativePath(prompt.uri, false);

    await vscode.commands.executeCommand('promptscope.run', prompt.uri);
    await waitFor(() => chatModels(server).length === 1, { timeout: 20_000, message: 'the first run' });
    assert.deepEqual(chatModels(server), ['tiny'], 'the only model was used without asking');

    // Output first, measured in the real webview of a 1280×800 window.
    const seen = await untilPanel(match, () => {
      const chip = document.querySelector('.strip:not(.thinking) .tok[data-index="0"]');
      if (!chip || document.querySelector('.status')?.textContent !== 'completed') return undefined;
      // The live model list arrives on its own after the host has asked the endpoints.
      if (!(document.querySelector('.model-bar select') as HTMLSelectElement | null)?.value) return undefined;
      const r = chip.getBoundingClientRect();
      return {
        chip: { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height },
        viewport: { width: window.innerWidth, height: window.innerHeight },
        scrollY: window.scrollY,
        picker: (document.querySelector('.model-bar select') as HTMLSelectElement | null)?.value ?? '',
        source: document.querySelector('.model-source')?.textContent ?? '',
      };
    });
    assert.ok(
      seen.viewport.width <= 1280 && seen.viewport.height <= 800,
      `the panel lies in a 1280×800 window (${JSON.stringify(seen.viewport)})`,
    );
    assert.equal(seen.scrollY, 0, 'nothing scrolled');
    assert.ok(
      seen.chip.height > 0 && seen.chip.top >= 0 && seen.chip.bottom <= seen.viewport.height && seen.chip.right <= seen.viewport.width,
      `the first token lies inside the panel's viewport: ${JSON.stringify(seen)}`,
    );
    assert.equal(seen.picker, 'ollama/tiny', 'the panel shows the model the next run uses');
    assert.equal(seen.source, 'the workspace default');
    await pageSide('screenshot', { name: 'integration-journey-1280x800' });

    // A second model arrives, as `ollama pull newmodel` in a terminal would add it.
    const pulled = await fetch(`${server.url}/api/pull`, { method: 'POST', body: JSON.stringify({ model: 'newmodel' }) });
    await pulled.text();
    await pageSide('click', { match, selector: '.model-refresh' });
    await untilPanel(match, () =>
      Array.from(document.querySelectorAll('.model-bar option')).some((o) => (o as HTMLOptionElement).value === 'ollama/newmodel'),
    );
    await pageSide('select', { match, selector: '.model-bar select', value: 'ollama/newmodel' });
    await untilPanel(match, () => document.querySelector('.model-source')?.textContent === 'chosen here; the file is unchanged');
    // One choice: the status bar item of the prompt says the same, and the file is unchanged.
    // (The status bar item shows for the active .prompt editor: the picker had the focus.)
    await vscode.window.showTextDocument(prompt, { viewColumn: vscode.ViewColumn.One, preserveFocus: false, preview: false });
    await pageSide('workbenchWaitFor', {
      fn: ((ref: string) => Array.from(document.querySelectorAll('.statusbar-item')).some((e) => e.textContent?.includes(ref))).toString(),
      arg: 'ollama/newmodel',
    });
    assert.equal(frontmatterModel(prompt.getText()), undefined, 'switching did not edit the file');

    await vscode.commands.executeCommand('promptscope.run', prompt.uri);
    await waitFor(() => chatModels(server).length === 2, { timeout: 20_000, message: 'the second run' });
    assert.deepEqual(chatModels(server), ['tiny', 'newmodel'], 'the second run used the model picked in the panel');
    const tabs = await untilPanel(match, () => {
      const labels = Array.from(document.querySelectorAll('.tab')).map((e) => e.textContent ?? '');
      return labels.length === 2 && labels.every((l) => l.endsWith('done')) ? labels : undefined;
    });
    assert.match(tabs[1]!, /newmodel · done/);
  });
});
