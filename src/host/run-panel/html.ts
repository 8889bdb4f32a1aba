import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { webviewPage } from '../webview-page';

/**
 * Where the codicon font is: copied next to the webview bundle by a packaging step, or the
 * `@vscode/codicons` package in a development checkout. Without it the buttons show text only.
 */
function codiconsFolder(extensionUri: vscode.Uri): vscode.Uri | undefined {
  for (const parts of [
    ['dist', 'webview', 'codicons'],
    ['node_modules', '@vscode', 'codicons', 'dist'],
  ]) {
    if (existsSync(path.join(extensionUri.fsPath, ...parts, 'codicon.css'))) return vscode.Uri.joinPath(extensionUri, ...parts);
  }
  return undefined;
}

/**
 * The panel's page: a strict CSP (`default-src 'none'`), one script allowed by a per-load crypto
 * nonce, styles only from the extension's own files, nothing inline.
 */
export function runPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const codicons = codiconsFolder(extensionUri);
  return webviewPage(webview, extensionUri, {
    app: 'run',
    title: 'Promptscope run',
    stylesheets: [
      ...(codicons ? [vscode.Uri.joinPath(codicons, 'codicon.css')] : []),
      vscode.Uri.joinPath(extensionUri, 'media', 'run.css'),
    ],
    dataImages: true,
  });
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  const codicons = codiconsFolder(extensionUri);
  return {
    enableScripts: true,
    // The built webview, our stylesheet folder and the codicon font's own folder; nothing else.
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
      ...(codicons ? [codicons] : []),
    ],
  };
}
