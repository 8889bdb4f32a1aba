import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, openFixture, waitFor, waitForExtensionActive } from './helpers';

/** Finds the position of the n-th occurrence of `needle` (plus an offset) in a document. */
function positionOf(document: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const at = document.getText().indexOf(needle);
  assert.ok(at >= 0, `"${needle}" not found in ${document.uri.path}`);
  return document.positionAt(at + delta);
}

function promptscopeDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'promptscope');
}

suite('language features in the real extension host', () => {
  suiteSetup(async () => {
    await openFixture('lang-features.prompt');
    await waitForExtensionActive();
  });
  teardown(closeAllEditors);

  test('a broken file gets an unclosed-block diagnostic on the opener', async () => {
    const { document } = await openFixture('broken.prompt');
    const diagnostics = await waitFor(
      () => {
        const found = promptscopeDiagnostics(document.uri);
        return found.length > 0 ? found : undefined;
      },
      { message: 'diagnostics for broken.prompt' },
    );
    const unclosed = diagnostics.find((d) => d.code === 'unclosed-block');
    assert.ok(unclosed, `expected unclosed-block, got ${diagnostics.map((d) => d.code).join(', ')}`);
    assert.equal(unclosed.severity, vscode.DiagnosticSeverity.Error);
    const opener = positionOf(document, '{{#if');
    assert.deepEqual([unclosed.range.start.line, unclosed.range.start.character], [opener.line, opener.character]);
  });

  test('a clean document has no error diagnostics, and an edit that breaks it gets one', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'dotprompt',
      content: '---\nmodel: ollama/llama3.2\n---\nHello {{name}}.\n',
    });
    const editor = await vscode.window.showTextDocument(document);
    await waitFor(() => promptscopeDiagnostics(document.uri).length === 0 && document.languageId === 'dotprompt', {
      message: 'a clean untitled prompt',
    });
    await editor.edit((b) => b.insert(positionOf(document, 'Hello'), '{{#each items}}'));
    const broken = await waitFor(() => promptscopeDiagnostics(document.uri).find((d) => d.code === 'unclosed-block'), {
      message: 'an unclosed-block diagnostic after the edit',
    });
    assert.equal(broken.range.start.line, 3);
    assert.match(broken.message, /\{\{#each\}\}/);
  });

  test('completion offers helpers and declared inputs inside {{ }}, and keys in the frontmatter', async () => {
    const { document } = await openFixture('lang-features.prompt');
    const inside = positionOf(document, '{{ topic', 3);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, inside);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const expected of ['topic', 'level', 'role', 'json'])
      assert.ok(labels.includes(expected), `missing ${expected} in ${labels.join(', ')}`);

    const configKey = positionOf(document, 'temperature');
    const keys = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      configKey,
    );
    const keyLabels = keys.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(keyLabels.includes('topK'), `config keys missing topK: ${keyLabels.join(', ')}`);
  });

  test('hover documents a helper and a declared input', async () => {
    const { document } = await openFixture('lang-features.prompt');
    const onRole = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      positionOf(document, 'role "system"', 1),
    );
    const roleText = onRole.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(roleText, /Starts a new message/);

    const onTopic = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      positionOf(document, '{{ topic', 4),
    );
    const topicText = onTopic.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(topicText, /topic/);
    assert.match(topicText, /What to explain/);
  });

  test('the outline lists the frontmatter and messages by role, with blocks nested', async () => {
    const { document } = await openFixture('lang-features.prompt');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
    const names = symbols.map((s) => s.name);
    assert.deepEqual(names, ['Frontmatter', 'system', 'user']);
    const user = symbols.find((s) => s.name === 'user')!;
    assert.ok(
      user.children.some((c) => c.name === '#if'),
      'the #if block is nested under the user message',
    );
  });

  test('formatting tidies mustache spacing and nothing else', async () => {
    const { document } = await openFixture('lang-features.prompt');
    const before = document.getText();
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', document.uri, {
      tabSize: 2,
      insertSpaces: true,
    });
    assert.ok(edits.length > 0, 'expected formatting edits');
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.set(document.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(workspaceEdit));
    assert.equal(document.getText(), before.replace('{{ topic }}', '{{topic}}'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('the rendered preview shows the messages with input defaults applied', async () => {
    const { document } = await openFixture('lang-features.prompt');
    await vscode.commands.executeCommand('promptscope.showRendered', document.uri);
    const preview = await waitFor(() => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'promptscope-rendered'), {
      message: 'the rendered preview document',
    });
    const text = preview.getText();
    assert.match(text, /── system ──/);
    assert.match(text, /for a beginner reader/);
    assert.match(text, /── user ──/);
  });
});
