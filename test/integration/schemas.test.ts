import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, fixtureUri, openFixture, waitFor, waitForExtensionActive } from './helpers';

suite('named schemas in the real extension host', () => {
  suiteSetup(async () => {
    // The extension activates when a .prompt file opens.
    await openFixture('genkit/prompts/recipe.prompt');
    await waitForExtensionActive();
  });
  teardown(closeAllEditors);

  test('Go to Definition on a schema name jumps to its ai.defineSchema call; hover says where it is', async () => {
    const { document } = await openFixture('genkit/prompts/recipe.prompt');
    const at = document.positionAt(document.getText().indexOf('Recipe') + 2);
    // The index is built in the background: wait until it knows the name.
    const links = await waitFor(
      async () => {
        const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
          'vscode.executeDefinitionProvider',
          document.uri,
          at,
        );
        return found && found.length > 0 ? found : undefined;
      },
      { message: 'a definition for Recipe' },
    );
    const link = links[0]!;
    const uri = 'targetUri' in link ? link.targetUri : link.uri;
    const range = 'targetRange' in link ? link.targetRange : link.range;
    assert.equal(uri.fsPath, fixtureUri('genkit/src/schemas.js').fsPath);
    const source = await vscode.workspace.openTextDocument(uri);
    assert.equal(source.getText(range), 'Recipe');
    assert.equal(range.start.line, 6);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /named schema, defined with `ai\.defineSchema` in `genkit\/src\/schemas\.js` line 7/);
  });
});
