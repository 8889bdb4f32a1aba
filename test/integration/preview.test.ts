// The rendered preview as a newcomer meets it: long lines wrap, and a required input without a
// value is marked instead of rendering as a silent gap.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, waitFor, waitForExtensionActive } from './helpers';

suite('rendered preview', () => {
  suiteTeardown(closeAllEditors);

  test('a required input without a default is marked, and the preview wraps long lines', async () => {
    const long = 'word '.repeat(80).trim();
    const document = await vscode.workspace.openTextDocument({
      language: 'dotprompt',
      content: `---\ninput:\n  schema:\n    topic: string\n    reader?: string\n---\nExplain {{topic}} to {{reader}}. ${long}\n`,
    });
    await vscode.window.showTextDocument(document);
    await waitForExtensionActive();
    await vscode.commands.executeCommand('promptscope.showRendered', document.uri);
    const preview = await waitFor(
      () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'promptscope-rendered' && d.uri.query === document.uri.toString()),
      { message: 'the rendered preview' },
    );
    const text = preview.getText();
    assert.match(text, /⟨topic⟩/, 'the missing required input is marked where it renders');
    assert.match(text, /topic/);
    assert.doesNotMatch(text, /⟨reader⟩/, 'an optional input is not required');
    assert.equal(preview.languageId, 'dotprompt-rendered');
    assert.equal(vscode.workspace.getConfiguration('editor', { languageId: preview.languageId }).get('wordWrap'), 'on');
  });
});
