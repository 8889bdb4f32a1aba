import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeServer } from '../fixtures/servers/http';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import { closeAllEditors, fixtureUri, PAGE_CHANNEL, pageSide, waitFor, waitForExtensionActive, workspaceRoot } from './helpers';

interface Summary {
  status: string;
  preview: string;
  model: string;
  errorKind?: string;
  file?: string;
}

function savedRuns(): Summary[] {
  const dir = path.join(workspaceRoot().fsPath, '.promptscope', 'runs');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.meta.json'));
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Summary);
}

function runPanelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('promptscope.run'));
}

suite('runs against a loopback Ollama server', () => {
  let fake: FakeServer;

  suiteSetup(async () => {
    fake = await startOllamaFake();
    await vscode.workspace.getConfiguration('promptscope').update('ollama.host', fake.url, vscode.ConfigurationTarget.Workspace);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri('run-me.prompt')));
    await waitForExtensionActive();
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('promptscope').update('ollama.host', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
    await fake.close();
  });

  test('Run streams into a run panel and saves the run with its output', async () => {
    await vscode.commands.executeCommand('promptscope.run', fixtureUri('run-me.prompt'));
    const tab = await waitFor(() => runPanelTabs()[0], { message: 'a run panel tab' });
    assert.match(tab.label, /run-me\.prompt · ollama\/tiny/);
    const saved = await waitFor(() => savedRuns().find((r) => r.file?.endsWith('run-me.prompt') && r.status === 'completed'), {
      message: 'the completed run in .promptscope/runs',
      timeout: 30_000,
    });
    assert.equal(saved.preview, 'Hello world!');
    const chat = fake.requests.filter((r) => r.path === '/api/chat').pop();
    assert.ok(chat, 'the chat endpoint was called');
    const body = chat.body as { messages: { content: string }[]; logprobs: boolean; top_logprobs: number; keep_alive?: string };
    assert.equal(body.messages[0]!.content, 'Say hello to world.');
    assert.equal(body.logprobs, true);
    assert.equal(body.top_logprobs, 5);
  });

  test('a model that is not installed ends in a saved error, not a crash', async () => {
    await vscode.commands.executeCommand('promptscope.run', fixtureUri('run-missing-model.prompt'));
    const saved = await waitFor(() => savedRuns().find((r) => r.file?.endsWith('run-missing-model.prompt') && r.status === 'error'), {
      message: 'the failed run in history',
      timeout: 30_000,
    });
    assert.equal(saved.errorKind, 'model-not-found');
  });

  test('the History view command opens a saved run in a panel', async () => {
    // Its own run, so the test stands alone (with --grep too); other suites share the workspace
    // and leave runs of their own there, so the run is found by its file and status.
    const runsBefore = savedRuns().length;
    await vscode.commands.executeCommand('promptscope.run', fixtureUri('run-me.prompt'));
    // What the History view's item hands to the command: the run's summary, as saved.
    const completedRuns = (): Summary[] =>
      savedRuns().length > runsBefore ? savedRuns().filter((r) => r.file?.endsWith('run-me.prompt') && r.status === 'completed') : [];
    const [run] = await waitFor(() => completedRuns().length > 0 && completedRuns(), { message: 'a completed run-me.prompt run' });
    // Counted by label: the order of tabs across editor groups says nothing about which panel is newest.
    const runMeTabs = (): number => runPanelTabs().filter((t) => /run-me\.prompt/.test(t.label)).length;
    const before = runMeTabs();
    await vscode.commands.executeCommand('promptscope.history.open', run);
    await waitFor(() => runMeTabs() > before, { message: 'another run panel of run-me.prompt' });
    if (!PAGE_CHANNEL) return;
    // Inside the reopened run's webview: the inputs and messages it sent, from its history record.
    const sent = (() => {
      const details = document.querySelector('details.sent') as HTMLDetailsElement | null;
      if (!details || details.hidden) return undefined;
      const turns = Array.from(details.querySelectorAll('.turn .part-text')).map((e) => e.textContent ?? '');
      return turns.length > 0 ? { summary: details.querySelector('summary')?.textContent ?? '', turns } : undefined;
    }).toString();
    const shown = await pageSide<{ summary: string; turns: string[] }>('frameWaitFor', { fn: sent, timeoutMs: 15_000 });
    assert.match(shown.summary, /^Inputs & prompt · /);
    assert.deepEqual(shown.turns, ['Say hello to world.']);
  });
});
