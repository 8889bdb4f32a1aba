// The README's picture of the editor, drawn by the real VS Code: `npm run screenshots` runs this
// suite (--grep "screenshot:") and copies test-results/editor-diagnostics.png to docs/images/;
// in a normal run the picture only goes to test-results/. The test checks what the picture must
// show before it takes it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, openFixture, PAGE_CHANNEL, pageSide, waitFor, waitForExtensionActive } from './helpers';

suite('screenshot: the editor', () => {
  suiteTeardown(closeAllEditors);

  test('screenshot: a .prompt file with its diagnostics, a Run CodeLens and the model in the status bar', async function () {
    if (!PAGE_CHANNEL) this.skip();
    await closeAllEditors();
    const { document } = await openFixture('readme-editor.prompt');
    await waitForExtensionActive();
    const diagnostics = await waitFor(
      () => {
        const found = vscode.languages.getDiagnostics(document.uri);
        return found.length >= 2 && found;
      },
      { message: 'the diagnostics of readme-editor.prompt' },
    );
    assert.deepEqual(
      diagnostics
        .map(
          (d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${String(typeof d.code === 'object' ? d.code.value : d.code)}`,
        )
        .sort(),
      ['14:24 undefined-variable', '17:1 mismatched-block'],
    );
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    assert.ok(lenses.length > 0, 'a Run CodeLens');
    // The status bar item and the CodeLens are drawn by the workbench: wait until they are there.
    await pageSide('workbenchWaitFor', {
      // Page-side source text: it runs in the workbench page, where `document` is the DOM.
      fn: "() => document.querySelector('.codelens-decoration') !== null && /llama3\\.2/.test(document.querySelector('.statusbar')?.textContent ?? '')",
      timeoutMs: 30_000,
    });
    await pageSide('screenshot', { name: 'editor-diagnostics' });
  });
});
