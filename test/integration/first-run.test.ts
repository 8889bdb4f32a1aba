// A newcomer's first run in the real VS Code: a prompt made from a pattern names no model, and
// nothing else does either. With one model on the server the run just uses it; with several the
// user picks once and the pick is remembered; with none the user is offered a small model that
// fits the machine, it is pulled through /api/pull, and the run goes ahead with it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FIRST_RUN_MODELS, frontmatterModel } from '../../src/core/models/model-choice';
import type { FakeServer } from '../fixtures/servers/http';
import { startOllamaFake } from '../fixtures/servers/ollamaFake';
import { closeAllEditors, waitFor, waitForExtensionActive } from './helpers';

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('promptscope');

interface ChatBody {
  model?: string;
}

/** The models the server was asked to chat with, in order. */
function chatModels(fake: FakeServer): string[] {
  return fake.requests.filter((r) => r.path === '/api/chat').map((r) => (r.body as ChatBody).model ?? '');
}

/** A new untitled prompt from a pattern, as "New .prompt from Pattern…" makes it. */
async function newPromptFromPattern(): Promise<vscode.TextDocument> {
  await vscode.commands.executeCommand('promptscope.patterns.newFile', { patternId: 'zero-shot-cot', templateId: 'one-pass' });
  const editor = vscode.window.activeTextEditor;
  assert.ok(
    editor?.document.isUntitled && editor.document.languageId === 'dotprompt',
    'New .prompt from Pattern opened an untitled prompt',
  );
  assert.equal(frontmatterModel(editor.document.getText()), undefined, 'a file from a pattern names no model');
  return editor.document;
}

/** Runs the command and presses Enter on every quick pick it shows until it settles. */
async function runAccepting(command: string, ...args: unknown[]): Promise<void> {
  let settled = false;
  const running = vscode.commands.executeCommand(command, ...args);
  void running.then(
    () => (settled = true),
    () => (settled = true),
  );
  await waitFor(
    async () => {
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled;
    },
    { interval: 150, timeout: 30_000, message: `${command} to settle` },
  );
  await running;
}

async function useServer(fake: FakeServer): Promise<void> {
  await config().update('ollama.host', fake.url, vscode.ConfigurationTarget.Workspace);
  // Nothing names a model: no setting, nothing remembered from earlier suites.
  await vscode.commands.executeCommand('promptscope.models.setDefault', '');
  await vscode.commands.executeCommand('promptscope.models.refresh');
}

suite('first run: a prompt that names no model', function () {
  // A first run activates the extension, opens the run panel and streams: generous on a busy machine.
  this.timeout(90_000);
  let fake: FakeServer | undefined;

  suiteSetup(async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'dotprompt', content: 'hi' });
    await vscode.window.showTextDocument(doc);
    await waitForExtensionActive();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('promptscope.models.setDefault', '');
    await config().update('ollama.host', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
    await fake?.close();
    fake = undefined;
  });

  test('with one model on the server, Run uses it without asking', async () => {
    fake = await startOllamaFake({ installed: ['tiny'] });
    await useServer(fake);
    const document = await newPromptFromPattern();
    await vscode.commands.executeCommand('promptscope.run', document.uri);
    const server = fake;
    await waitFor(() => chatModels(server).length > 0, { timeout: 30_000, message: 'a chat request for the run' });
    assert.deepEqual(chatModels(server), ['tiny']);
    assert.equal(document.getText().includes('model:'), false, 'the file was not edited');
  });

  test('with several models the user picks once; the pick is remembered and can be written to the frontmatter', async () => {
    fake = await startOllamaFake({ installed: ['tiny', 'thinker'] });
    await useServer(fake);
    const document = await newPromptFromPattern();
    await runAccepting('promptscope.run', document.uri);
    const server = fake;
    await waitFor(() => chatModels(server).length > 0, { timeout: 30_000, message: 'a chat request after the pick' });
    const first = chatModels(server)[0];
    assert.ok(first === 'tiny' || first === 'thinker', `ran with a listed model (${first})`);
    // A second prompt without a model runs with the remembered pick: no picker this time.
    const second = await newPromptFromPattern();
    await vscode.commands.executeCommand('promptscope.run', second.uri);
    await waitFor(() => chatModels(server).length > 1, { timeout: 30_000, message: 'a second chat request' });
    assert.equal(chatModels(server)[1], first);
    // "Write to frontmatter" is an explicit action: one undoable edit.
    await vscode.commands.executeCommand('promptscope.writeModelToFrontmatter', second.uri, 'ollama/thinker');
    assert.equal(frontmatterModel(second.getText()), 'ollama/thinker');
    await vscode.window.showTextDocument(second);
    await vscode.commands.executeCommand('undo');
    assert.equal(frontmatterModel(second.getText()), undefined, 'undo removes the written model');
  });

  test('with no models, the suggested small model is pulled through /api/pull and the run uses it', async () => {
    fake = await startOllamaFake({ installed: [], library: FIRST_RUN_MODELS.map((m) => m.name) });
    await useServer(fake);
    const document = await newPromptFromPattern();
    await runAccepting('promptscope.run', document.uri);
    const server = fake;
    const pull = server.requests.find((r) => r.path === '/api/pull');
    assert.ok(pull, 'the server received a pull request');
    const pulled = ((pull.body as { model?: string; name?: string }).model ?? (pull.body as { name?: string }).name ?? '').replace(
      /:latest$/,
      '',
    );
    assert.ok(
      FIRST_RUN_MODELS.some((m) => m.name === pulled),
      `pulled a suggested model (${pulled})`,
    );
    await waitFor(() => chatModels(server).length > 0, { timeout: 30_000, message: 'the run after the pull' });
    assert.equal(chatModels(server)[0], pulled);
  });
});
