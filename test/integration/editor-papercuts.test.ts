import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, openFixture, waitFor, waitForExtensionActive } from './helpers';

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
    const diagnostic = await waitFor(() => promptscopeDiagnostics(document.uri).find((d) => /Did you mean "model"/.test(d.message)), {
      message: 'the unknown-key diagnostic',
    });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    // The command's result drops `diagnostics`, so the action is matched by kind, preference and title.
    const fix = actions.find((a) => a.isPreferred && a.kind?.value === vscode.CodeActionKind.QuickFix.value && a.title.includes('model'));
    assert.ok(
      fix?.edit,
      `no preferred quick fix among: ${JSON.stringify(actions.map((a) => ({ title: a.title, kind: a.kind?.value, preferred: a.isPreferred, diagnostics: a.diagnostics?.map((d) => d.message), edit: !!a.edit })))}`,
    );
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.getText(), '---\nmodel: ollama/llama3.2\n---\nHello.\n');
    await waitFor(() => !promptscopeDiagnostics(document.uri).some((d) => d.code === 'unknown-key'), {
      message: 'the diagnostic to clear after the fix',
    });
  });

  test('completion: inputs sort before @data variables, block helpers after {{#, and quick suggestions reach YAML keys', async () => {
    const { document } = await openFixture('lang-features.prompt');
    const byLabel = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);
    const at = (needle: string, delta: number): vscode.Position => document.positionAt(document.getText().indexOf(needle) + delta);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      at('{{ topic', 3),
    );
    // VS Code's own word and snippet items come along; Promptscope's sortText starts with its group rank.
    const ours = list.items.filter((i) => /^\d/.test(i.sortText ?? ''));
    const ordered = ours.sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map(byLabel);
    assert.deepEqual(ordered.slice(0, 2), ['level', 'topic'], ordered.join(' '));
    assert.ok(ordered.indexOf('topic') < ordered.indexOf('@index'), ordered.join(' '));
    const blocks = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      at('{{#if', 3),
    );
    for (const name of ['if', 'each', 'unless', 'with', 'ifEquals', 'unlessEquals'])
      assert.ok(blocks.items.map(byLabel).includes(name), name);
    // A half-typed key in the frontmatter is a YAML plain scalar, which VS Code treats as a string.
    const quick = vscode.workspace.getConfiguration('editor', { languageId: 'dotprompt' }).get<Record<string, string>>('quickSuggestions');
    assert.equal(quick?.['strings'], 'on');
  });
});
