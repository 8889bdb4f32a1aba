import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, LANGUAGE_ID, closeAllEditors, openFixture, waitForExtensionActive } from './helpers';

suite('activation', () => {
  teardown(closeAllEditors);

  test('the extension is present in the extension host', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} not found`);
    assert.equal(ext.packageJSON.name, 'promptscope');
  });

  test('a .prompt file opens as dotprompt and activates the extension', async () => {
    const { document } = await openFixture('basic.prompt');
    assert.equal(document.languageId, LANGUAGE_ID);
    const ext = await waitForExtensionActive();
    assert.equal(ext.isActive, true);
  });

  test('partials (_name.prompt) are dotprompt too', async () => {
    const { document } = await openFixture('_header.prompt');
    assert.equal(document.languageId, LANGUAGE_ID);
  });
});
