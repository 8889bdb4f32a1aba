import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findPattern } from '../../src/core/patterns/catalogue';
import { composePromptFile, findTemplate } from '../../src/core/patterns/compose';
import { waitFor } from './helpers';

suite('prompt patterns in the editor', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension('promptscope.promptscope')!;
    await ext.activate();
  });

  test('commands are registered and the view can be focused', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['explain', 'insert', 'newFile', 'runExample', 'openSample']) assert.ok(commands.includes(`promptscope.patterns.${c}`), c);
    await vscode.commands.executeCommand('promptscope.patterns.focus');
  });

  test('new file from pattern', async () => {
    await vscode.commands.executeCommand('promptscope.patterns.newFile', { patternId: 'flan-nli', templateId: 'options' });
    const editor = await waitFor(() => vscode.window.activeTextEditor?.document.getText().includes('OPTIONS:') && vscode.window.activeTextEditor, { message: 'editor' });
    const p = findPattern('flan-nli')!;
    assert.equal(editor.document.getText(), composePromptFile(p, findTemplate(p, 'options')));
    assert.equal(editor.document.languageId, 'dotprompt');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('insert into an empty editor expands the snippet', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'dotprompt', content: '' });
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('promptscope.patterns.insert', { patternId: 'self-consistency', templateId: 'few-shot' });
    const p = findPattern('self-consistency')!;
    const expected = composePromptFile(p, findTemplate(p, 'few-shot')).replace(/\n$/, '');
    await waitFor(() => doc.getText().length > 0, { message: 'insert' });
    assert.equal(doc.getText().replace(/\n$/, ''), expected);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('explanation page opens', async () => {
    await vscode.commands.executeCommand('promptscope.patterns.explain', { patternId: 'flan-nli' });
    await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Natural language inference'), { message: 'tab' });
  });

  test('hover over the pattern field', async () => {
    const p = findPattern('few-shot-cot')!;
    const doc = await vscode.workspace.openTextDocument({ language: 'dotprompt', content: composePromptFile(p, p.templates[0]!) });
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 24));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Few-shot chain of thought/);
    assert.match(text, /command:promptscope\.patterns\.explain/);
  });

  test('open sample from the walkthrough', async () => {
    await vscode.commands.executeCommand('promptscope.patterns.openSample', '01-zero-shot.prompt');
    const editor = await waitFor(() => vscode.window.activeTextEditor?.document.uri.path.endsWith('prompt-patterns/01-zero-shot.prompt') && vscode.window.activeTextEditor, { message: 'sample' });
    assert.match(editor.document.getText(), /flan-sentiment/);
  });

  test('walkthrough opens', async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'promptscope.promptscope#learnPromptPatterns', false);
  });

  test('snippets are contributed', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'dotprompt', content: 'flan-nli' });
    await vscode.window.showTextDocument(doc);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 8));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.some((l) => l.startsWith('flan-nli-')), labels.slice(0, 20).join(','));
  });
});

