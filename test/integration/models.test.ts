import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeServer } from '../fixtures/servers/http';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import { closeAllEditors, waitFor, waitForExtensionActive } from './helpers';

suite('models against a loopback Ollama server', () => {
  let fake: FakeServer;

  suiteSetup(async () => {
    fake = await startOllamaFake();
    await vscode.workspace.getConfiguration('promptscope').update('ollama.host', fake.url, vscode.ConfigurationTarget.Workspace);
    const doc = await vscode.workspace.openTextDocument({ language: 'dotprompt', content: 'hi' });
    await vscode.window.showTextDocument(doc);
    await waitForExtensionActive();
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('promptscope').update('ollama.host', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
    await fake.close();
  });

  test('model names complete from the live model list after "model:"', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'dotprompt', content: '---\nmodel: \n---\nHello\n' });
    await vscode.window.showTextDocument(document);
    const labels = await waitFor(
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          document.uri,
          new vscode.Position(1, 7),
        );
        const found = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        return found.includes('ollama/tiny') ? found : undefined;
      },
      { message: 'ollama/tiny among the model completions', timeout: 30_000 },
    );
    assert.ok(labels.includes('ollama/thinker'));
    assert.ok(
      fake.requests.some((r) => r.path === '/api/tags'),
      'the model list came from /api/tags',
    );
  });

  test('"Pull Model" pulls through /api/pull and reports success', async () => {
    await vscode.commands.executeCommand('promptscope.models.pull', 'newmodel');
    const pull = fake.requests.find((r) => r.path === '/api/pull');
    assert.ok(pull, 'the server received a pull request');
    assert.equal((pull.body as { model?: string; name?: string }).model ?? (pull.body as { name?: string }).name, 'newmodel');
  });
});
