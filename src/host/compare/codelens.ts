import * as vscode from 'vscode';
import { layoutPrompt } from '../../core/prompt/source';

/** "Compare" above a prompt's frontmatter (or first line), next to Run. */
export class CompareCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const layout = layoutPrompt(document.getText());
    const line = layout.frontmatter ? document.positionAt(layout.frontmatter.openStart).line : 0;
    const range = new vscode.Range(line, 0, line, 0);
    return [
      new vscode.CodeLens(range, {
        title: vscode.l10n.t('$(compare-changes) Compare'),
        command: 'promptscope.compare',
        arguments: [document.uri],
        tooltip: vscode.l10n.t('Run this prompt on several models side by side'),
      }),
    ];
  }
}
