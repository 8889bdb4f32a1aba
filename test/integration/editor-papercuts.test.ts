import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, waitFor, waitForExtensionActive } from './helpers';

function promptscopeDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'promptscope');
}

async function openUntitled(content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'dotprompt', content });
  await vscode.window.showTextDocument(document);
  return document;
}

suite('editor papercuts', () => {
  suiteSetup(async () => {
    await openUntitled('');
    await waitForExtensionActive();
  });
  teardown(closeAllEditors);

  test('a "Did you mean" diagnostic offers a preferred quick fix that applies the suggestion', async () => {
    const document = await openUntitled('---\nmodle: ollama/llama3.2\n---\nHello.\n');
    const diagnostic = await waitFor(() => promptscopeDiagnostics(document.uri).find((d) => /Did you mean "model"/.test(d.message)), { message: 'the unknown-key diagnostic' });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    // The command's result drops `diagnostics`, so the action is matched by kind, preference and title.
    const fix = actions.find((a) => a.isPreferred && a.kind?.value === vscode.CodeActionKind.QuickFix.value && a.title.includes('model'));
    assert.ok(fix?.edit, `no preferred quick fix among: ${JSON.stringify(actions.map((a) => ({ title: a.title, kind: a.kind?.value, preferred: a.isPreferred, diagnostics: a.diagnostics?.map((d) => d.message), edit: !!a.edit })))}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.getText(), '---\nmodel: ollama/llama3.2\n---\nHello.\n');
    await waitFor(() => !promptscopeDiagnostics(document.uri).some((d) => d.code === 'unknown-key'), { message: 'the diagnostic to clear after the fix' });
  });

  test('completion: inputs sort before @data variables, block helpers after {{#, and quick suggestions reach YAML keys', async () => {
    const document = await openUntitled('---\ninput:\n  schema:\n    topic: string\n---\n{{}}\n{{#}}\n');
    const inside = new vscode.Position(5, 2);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, inside);
    const byLabel = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);
    // Word-based and snippet items from VS Code itself come along; only Promptscope's carry a sortText.
    const ordered = list.items.filter((i) => i.sortText !== undefined).sort((a, b) => (a.sortText ?? byLabel(a)).localeCompare(b.sortText ?? byLabel(b))).map(byLabel);
    assert.equal(ordered[0], 'topic', ordered.join(' '));
    assert.ok(ordered.indexOf('topic') < ordered.indexOf('@index'));
    const blocks = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(6, 3));
    for (const name of ['if', 'each', 'unless', 'with', 'ifEquals', 'unlessEquals']) assert.ok(blocks.items.map(byLabel).includes(name), name);
    // A half-typed key in the frontmatter is a YAML plain scalar, which VS Code treats as a string.
    const quick = vscode.workspace.getConfiguration('editor', { languageId: 'dotprompt' }).get<Record<string, string>>('quickSuggestions');
    assert.equal(quick?.['strings'], 'on');
  });
});
