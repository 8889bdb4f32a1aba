import * as vscode from 'vscode';
import { layoutPrompt } from '../../core/prompt/source';

/** "Run" (and "Compare", when that command exists) above a prompt's frontmatter or first line. */
export class RunCodeLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly commands: readonly { command: string; title: string }[]) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const layout = layoutPrompt(document.getText());
    const line = layout.frontmatter ? document.positionAt(layout.frontmatter.openStart).line : 0;
    const range = new vscode.Range(line, 0, line, 0);
    return this.commands.map((c) => new vscode.CodeLens(range, { title: c.title, command: c.command, arguments: [document.uri] }));
  }
}
