import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/**
 * Where the codicon font is: copied next to the webview bundle by a packaging step, or the
 * `@vscode/codicons` package in a development checkout. Without it the buttons show text only.
 */
export function codiconsFolder(extensionUri: vscode.Uri): vscode.Uri | undefined {
  for (const parts of [['dist', 'webview', 'codicons'], ['node_modules', '@vscode', 'codicons', 'dist']]) {
    if (existsSync(path.join(extensionUri.fsPath, ...parts, 'codicon.css'))) return vscode.Uri.joinPath(extensionUri, ...parts);
  }
  return undefined;
}

/**
 * The panel's page: a strict CSP (`default-src 'none'`), one script allowed by a per-load crypto
 * nonce, styles only from the extension's own files, nothing inline.
 */
export function runPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'run.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'run.css'));
  const codicons = codiconsFolder(extensionUri);
  const iconStyle = codicons ? `<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(codicons, 'codicon.css')).toString()}">\n` : '';
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${iconStyle}<link rel="stylesheet" href="${style.toString()}">
<title>Promptscope run</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  const codicons = codiconsFolder(extensionUri);
  return {
    enableScripts: true,
    // The built webview, our stylesheet folder and the codicon font's own folder; nothing else.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media'), ...(codicons ? [codicons] : [])],
  };
}
