import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, fixtureUri, openFixture, waitFor, waitForExtensionActive } from './helpers';

function positionOf(document: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const at = document.getText().indexOf(needle);
  assert.ok(at >= 0, `"${needle}" not found in ${document.uri.path}`);
  return document.positionAt(at + delta);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return false;
    throw err;
  }
}

/** The text on disk (what a rename leaves after saving), not an editor's buffer. */
async function diskText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** `path:line:word` for each location, sorted, for exact comparisons. */
async function describe(locations: vscode.Location[]): Promise<string[]> {
  const out: string[] = [];
  for (const l of locations) {
    const doc = await vscode.workspace.openTextDocument(l.uri);
    out.push(`${vscode.workspace.asRelativePath(l.uri)}:${l.range.start.line}:${doc.getText(l.range)}`);
  }
  return out.sort();
}

/** Undo in the story's editor: the partial file moves back, both prompts read as before and are saved so. */
async function undoPartialRename(r: {
  document: vscode.TextDocument;
  sequelDoc: vscode.TextDocument;
  story: vscode.Uri;
  sequel: vscode.Uri;
  oldFile: vscode.Uri;
  newFile: vscode.Uri;
  before: { story: string; sequel: string };
}): Promise<void> {
  await vscode.window.showTextDocument(r.document);
  await vscode.commands.executeCommand('undo');
  await waitFor(async () => (await exists(r.oldFile)) && !(await exists(r.newFile)), { message: 'undo to move the partial file back' });
  await waitFor(() => r.document.getText() === r.before.story && r.sequelDoc.getText() === r.before.sequel, {
    message: 'undo to restore both prompts',
  });
  await waitFor(
    async () =>
      (await vscode.workspace.saveAll(false)) &&
      (await diskText(r.story)) === r.before.story &&
      (await diskText(r.sequel)) === r.before.sequel,
    { message: 'the restored prompts to be saved' },
  );
}

suite('navigation: definition, references and rename in the real extension host', () => {
  suiteSetup(async () => {
    await openFixture('nav/story.prompt');
    await waitForExtensionActive();
  });
  teardown(closeAllEditors);

  test('go to definition on {{> nav-intro}} opens the partial file', async () => {
    const { document } = await openFixture('nav/story.prompt');
    const found = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeDefinitionProvider',
      document.uri,
      positionOf(document, 'nav-intro', 3),
    );
    assert.deepEqual(
      found.map((l) => vscode.workspace.asRelativePath(l.uri)),
      ['nav/_nav-intro.prompt'],
    );
  });

  test('find references of the input hero covers the schema keys, the template, @root.hero and the shared partial', async () => {
    const { document } = await openFixture('nav/story.prompt');
    const found = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      document.uri,
      positionOf(document, 'hero:', 1),
    );
    assert.deepEqual(await describe(found), [
      'nav/_nav-intro.prompt:0:hero',
      'nav/sequel.prompt:4:hero',
      'nav/story.prompt:10:hero',
      'nav/story.prompt:4:hero',
      'nav/story.prompt:8:hero',
    ]);
  });

  test('rename of a partial renames its file and every {{> }} in one edit, and undo restores them', async () => {
    const story = fixtureUri('nav/story.prompt');
    const sequel = fixtureUri('nav/sequel.prompt');
    const oldFile = fixtureUri('nav/_nav-intro.prompt');
    const newFile = fixtureUri('nav/_nav-opening.prompt');
    const before = { story: await diskText(story), sequel: await diskText(sequel) };
    const { document } = await openFixture('nav/story.prompt');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      document.uri,
      positionOf(document, 'nav-intro', 2),
      'nav-opening',
    );
    try {
      assert.ok(await vscode.workspace.applyEdit(edit), 'the rename edit was not applied');
      await waitFor(async () => (await exists(newFile)) && !(await exists(oldFile)), { message: 'the partial file to be renamed' });
      const sequelDoc = await vscode.workspace.openTextDocument(sequel);
      await waitFor(() => /\{\{> nav-opening\}\}/.test(document.getText()) && /\{\{~> nav-opening ~\}\}/.test(sequelDoc.getText()), {
        message: 'both calls to be renamed',
      });
      // The editor saves refactorings itself (files.refactoring.autoSave); a save of ours may meet
      // one in progress, so save until the disk shows the change.
      await waitFor(async () => (await vscode.workspace.saveAll(false)) && /\{\{~> nav-opening ~\}\}/.test(await diskText(sequel)), {
        message: 'the renamed call to be saved in sequel.prompt',
      });
      const definition = await vscode.commands.executeCommand<vscode.Location[]>(
        'vscode.executeDefinitionProvider',
        document.uri,
        positionOf(document, 'nav-opening', 3),
      );
      assert.deepEqual(
        definition.map((l) => vscode.workspace.asRelativePath(l.uri)),
        ['nav/_nav-opening.prompt'],
      );

      await undoPartialRename({ document, sequelDoc, story, sequel, oldFile, newFile, before });
    } finally {
      // Leave the fixture as other tests expect it even when an assertion above failed.
      if ((await exists(newFile)) && !(await exists(oldFile))) await vscode.workspace.fs.rename(newFile, oldFile);
    }
  });

  test('renaming _nav-intro.prompt as a file (Explorer, or any workspace edit) updates every {{> nav-intro}} in the same undoable edit', async () => {
    const story = fixtureUri('nav/story.prompt');
    const sequel = fixtureUri('nav/sequel.prompt');
    const oldFile = fixtureUri('nav/_nav-intro.prompt');
    const newFile = fixtureUri('nav/_nav-start.prompt');
    const before = { story: await diskText(story), sequel: await diskText(sequel) };
    const { document } = await openFixture('nav/story.prompt');
    const sequelDoc = await vscode.workspace.openTextDocument(sequel);
    try {
      // Only the file move: the {{> }} edits come from Promptscope's onWillRenameFiles participant.
      const move = new vscode.WorkspaceEdit();
      move.renameFile(oldFile, newFile, { overwrite: false });
      assert.ok(await vscode.workspace.applyEdit(move), 'the file rename was not applied');
      await waitFor(async () => (await exists(newFile)) && !(await exists(oldFile)), { message: 'the partial file to be renamed' });
      await waitFor(() => /\{\{> nav-start\}\}/.test(document.getText()) && /\{\{~> nav-start ~\}\}/.test(sequelDoc.getText()), {
        message: 'both calls to follow the renamed file',
      });
      assert.equal(document.getText().match(/nav-start/g)?.length, 1, 'one edit per call, not two');
      assert.ok(!/nav-intro/.test(document.getText()) && !/nav-intro/.test(sequelDoc.getText()));

      await undoPartialRename({ document, sequelDoc, story, sequel, oldFile, newFile, before });
    } finally {
      if ((await exists(newFile)) && !(await exists(oldFile))) await vscode.workspace.fs.rename(newFile, oldFile);
    }
  });

  test('rename of an input changes its schema keys and uses across the prompts and the partial', async () => {
    const { document } = await openFixture('nav/story.prompt');
    const at = positionOf(document, '{{hero}}', 3);
    const prepared = await vscode.commands.executeCommand<{ range: vscode.Range; placeholder: string }>(
      'vscode.prepareRename',
      document.uri,
      at,
    );
    assert.equal(prepared.placeholder, 'hero');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      document.uri,
      at,
      'protagonist',
    );
    const changed = edit
      .entries()
      .map(([uri, edits]) => `${vscode.workspace.asRelativePath(uri)} ×${edits.length}`)
      .sort();
    assert.deepEqual(changed, ['nav/_nav-intro.prompt ×1', 'nav/sequel.prompt ×1', 'nav/story.prompt ×3']);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const partial = await vscode.workspace.openTextDocument(fixtureUri('nav/_nav-intro.prompt'));
    await waitFor(() => partial.getText() === 'Once upon a time, {{protagonist}} woke up.\n', {
      message: 'the rename to reach the partial',
    });
    assert.match(document.getText(), /^ {4}protagonist: string, The main character$/m);
    assert.match(document.getText(), /\{\{@root\.protagonist\}\}/);
    // Put the fixture back for other suites: the same rename the other way.
    const back = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      document.uri,
      positionOf(document, '{{protagonist}}', 3),
      'hero',
    );
    assert.ok(await vscode.workspace.applyEdit(back));
    await waitFor(() => partial.getText() === 'Once upon a time, {{hero}} woke up.\n' && !/protagonist/.test(document.getText()), {
      message: 'the reverse rename to reach both documents',
    });
    await vscode.workspace.saveAll(false);
  });

  test('files hidden by files.exclude are left out of references', async () => {
    const { document } = await openFixture('nav/story.prompt');
    const at = positionOf(document, 'nav-intro', 3);
    const callers = async (): Promise<string[]> =>
      (await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', document.uri, at))
        .map((l) => vscode.workspace.asRelativePath(l.uri))
        .sort();
    assert.deepEqual(await callers(), ['nav/excluded/uses-intro.prompt', 'nav/sequel.prompt', 'nav/story.prompt']);
    const files = vscode.workspace.getConfiguration('files');
    await files.update('exclude', { '**/excluded': true }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(async () => !(await callers()).includes('nav/excluded/uses-intro.prompt'), {
        message: 'references without the excluded folder',
      });
    } finally {
      await files.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('rename is refused on a helper and on @index, with the reason', async () => {
    const { document } = await openFixture('nav/story.prompt');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.prepareRename', document.uri, positionOf(document, 'role', 1))),
      /"role" is a helper defined by Dotprompt/,
    );
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.prepareRename', document.uri, positionOf(document, '@index', 2))),
      /"@index" is a data variable/,
    );
  });

  test('workspace symbols list prompts with their variants, and a local media path is a link', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'nav/story');
    const names = symbols
      .filter((s) => s.location.uri.path.includes('/nav/'))
      .map((s) => s.name)
      .sort();
    assert.deepEqual(names, ['nav/story', 'nav/story.formal']);
    const { document } = await openFixture('nav/story.prompt');
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', document.uri);
    const media = links.filter((l) => l.target?.path.endsWith('/nav/cover.png'));
    assert.equal(media.length, 1);
    assert.equal(document.getText(media[0]!.range), 'cover.png');
  });
});
