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

  test('the prompt folder set in the app’s code (prompt_dir=…/"llm") is where partials are found, anywhere below it', async () => {
    const { document } = await openFixture('genkit-py/llm/menus/dinner.prompt');
    const at = document.positionAt(document.getText().indexOf('intro') + 1);
    // llm/ is not Genkit's default folder: the partial resolves only once the code index has read main.py.
    const found = await waitFor(
      async () => {
        const locations = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', document.uri, at);
        return locations && locations.length > 0 ? locations : undefined;
      },
      { message: 'a definition for {{> intro}} below llm/' },
    );
    assert.deepEqual(
      found.map((l) => vscode.workspace.asRelativePath(l.uri)),
      ['genkit-py/llm/shared/_intro.prompt'],
    );
    // Diagnostics follow the index too: no missing-partial warning once it knows llm/.
    await waitFor(() => vscode.languages.getDiagnostics(document.uri).length === 0, { message: 'no diagnostics on dinner.prompt' });
  });

  test('Go: schemas from DefineSchemasFor, a DefineHelper helper and a DefinePartial partial raise nothing; Go to Definition on the helper jumps to its registration', async () => {
    const { document } = await openFixture('genkit-go/prompts/dish.prompt');
    // Before the index has read main.go these are unknown-schema, missing-partial and unknown-helper.
    await waitFor(() => vscode.languages.getDiagnostics(document.uri).length === 0, { message: 'no diagnostics on dish.prompt' });
    const at = document.positionAt(document.getText().indexOf('uppercase') + 3);
    const links = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      document.uri,
      at,
    );
    const link = links[0];
    assert.ok(link, 'a definition for uppercase');
    const uri = 'targetUri' in link ? link.targetUri : link.uri;
    const range = 'targetRange' in link ? link.targetRange : link.range;
    assert.equal(uri.fsPath, fixtureUri('genkit-go/main.go').fsPath);
    assert.equal((await vscode.workspace.openTextDocument(uri)).getText(range), 'uppercase');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /helper registered with `genkit\.DefineHelper` in `genkit-go\/main\.go` line 25/);
  });
});
