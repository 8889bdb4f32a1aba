import * as assert from 'node:assert/strict';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportOutcome } from '../../src/host/dataset/command';
import { EXTENSION_ID, waitFor, workspaceRoot } from './helpers';

const PROMPT = `---
input:
  schema:
    text: string
---
{{role "system"}}
Translate into English.
{{role "user"}}
{{text}}
`;

async function put(name: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), 'dataset-export', name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

async function read(uri: vscode.Uri): Promise<unknown[]> {
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);
}

suite('dataset export in the editor', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  test('the command is registered and offered for .prompt files', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('promptscope.exportDataset'));
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { menus: { commandPalette: { command: string; when?: string }[] } };
    };
    assert.equal(
      manifest.contributes.menus.commandPalette.find((m) => m.command === 'promptscope.exportDataset')?.when,
      'editorLangId == dotprompt',
    );
  });

  test('JSONL rows to instruction records; bad rows land in Problems on the data file', async () => {
    const prompt = await put('translate.prompt', PROMPT);
    const data = await put(
      'rows.jsonl',
      '{"text":"你好","output":"hello"}\n{"text":"再见"}\nnot json\n{"text":"谢谢","output":"thanks"}\n',
    );
    const out = vscode.Uri.joinPath(workspaceRoot(), 'dataset-export', 'out.jsonl');
    const outcome = await vscode.commands.executeCommand<ExportOutcome | undefined>('promptscope.exportDataset', {
      uri: prompt,
      data,
      format: 'instruction',
      out,
    });
    assert.ok(outcome, 'the export ran');
    assert.equal(outcome.records, 2);
    assert.deepEqual(
      outcome.problems.map((p) => p.line),
      [2, 3],
    );
    assert.deepEqual(await read(out), [
      { instruction: 'Translate into English.', input: '你好', output: 'hello' },
      { instruction: 'Translate into English.', input: '谢谢', output: 'thanks' },
    ]);
    const diagnostics = await waitFor(
      () => {
        const found = vscode.languages.getDiagnostics(data).filter((d) => d.code === 'dataset-row');
        return found.length === 2 && found;
      },
      { message: 'bad rows in Problems' },
    );
    assert.deepEqual(
      diagnostics.map((d) => d.range.start.line),
      [1, 2],
    );
    assert.match(diagnostics[0]!.message, /no "output" field/);
    assert.equal(diagnostics[0]!.severity, vscode.DiagnosticSeverity.Warning);
  });

  test('CSV rows to chat records from the open editor; a clean export clears the old problems', async () => {
    const prompt = await put('chat.prompt', PROMPT);
    const data = await put('rows.csv', 'text,output\n"你好, 朋友","hello, friend"\n,missing\n');
    const out = vscode.Uri.joinPath(workspaceRoot(), 'dataset-export', 'chat.jsonl');
    // Unsaved edits of the prompt count: the system line is changed in the editor only.
    const document = await vscode.workspace.openTextDocument(prompt);
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((e) => e.replace(new vscode.Range(6, 0, 6, document.lineAt(6).text.length), 'Translate into plain English.'));
    const first = await vscode.commands.executeCommand<ExportOutcome | undefined>('promptscope.exportDataset', {
      uri: prompt,
      data,
      format: 'chat',
      out,
    });
    assert.deepEqual(
      first?.problems.map((p) => p.line),
      [3],
    );
    assert.deepEqual(await read(out), [
      {
        messages: [
          { role: 'system', content: 'Translate into plain English.' },
          { role: 'user', content: '你好, 朋友' },
          { role: 'assistant', content: 'hello, friend' },
        ],
      },
    ]);
    await waitFor(() => vscode.languages.getDiagnostics(data).length === 1, { message: 'one bad row' });

    await vscode.workspace.fs.writeFile(data, new TextEncoder().encode('text,output\nok,fine\n'));
    const second = await vscode.commands.executeCommand<ExportOutcome | undefined>('promptscope.exportDataset', {
      uri: prompt,
      data,
      format: 'chat',
      out,
    });
    assert.equal(second?.records, 1);
    await waitFor(() => vscode.languages.getDiagnostics(data).length === 0, { message: 'problems cleared' });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('an output that is one of the inputs is refused and nothing is overwritten', async () => {
    const prompt = await put('same.prompt', PROMPT);
    const data = await put('same.jsonl', '{"text":"a","output":"b"}\n');
    const outcome = await vscode.commands.executeCommand<ExportOutcome | undefined>('promptscope.exportDataset', {
      uri: prompt,
      data,
      format: 'instruction',
      out: data,
    });
    assert.equal(outcome, undefined);
    assert.deepEqual(await read(data), [{ text: 'a', output: 'b' }]);
  });

  test('rows that link out of the workspace are refused; rows that are not UTF-8 are reported at their line', async () => {
    const prompt = await put('confined.prompt', PROMPT);
    const outside = mkdtempSync(path.join(tmpdir(), 'promptscope-outside-'));
    writeFileSync(path.join(outside, 'secret.jsonl'), '{"text":"secret","output":"x"}\n');
    const link = vscode.Uri.joinPath(workspaceRoot(), 'dataset-export', 'linked-rows.jsonl');
    symlinkSync(path.join(outside, 'secret.jsonl'), link.fsPath);
    const out = vscode.Uri.joinPath(workspaceRoot(), 'dataset-export', 'confined.jsonl');
    const refused = await vscode.commands.executeCommand<ExportOutcome | undefined>('promptscope.exportDataset', {
      uri: prompt,
      data: link,
      format: 'instruction',
      out,
    });
    assert.equal(refused, undefined);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(out)));

    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"text":"ok","output":"a"}\n{"text":"'),
      0xff,
      ...new TextEncoder().encode('","output":"b"}\n'),
    ]);
    const data = vscode.Uri.joinPath(workspaceRoot(), 'dataset-export', 'latin1.jsonl');
    await vscode.workspace.fs.writeFile(data, bytes);
    const outcome = await vscode.commands.executeCommand<ExportOutcome | undefined>('promptscope.exportDataset', {
      uri: prompt,
      data,
      format: 'instruction',
      out,
    });
    assert.equal(outcome?.records, 1);
    assert.deepEqual(
      outcome?.problems.map((p) => p.line),
      [2],
    );
    assert.match(outcome?.problems[0]?.message ?? '', /not valid UTF-8/);
    assert.doesNotMatch(new TextDecoder().decode(await vscode.workspace.fs.readFile(out)), /\uFFFD/);
  });
});
