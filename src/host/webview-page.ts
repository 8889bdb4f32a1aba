import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { webviewStrings } from './webview-strings';

export interface WebviewPageOptions {
  /** The bundle under dist/webview (`run` → dist/webview/run.js). */
  app: string;
  title: string;
  /** The panel's stylesheets, in order (after media/tokens.css, which every panel shares). */
  stylesheets: vscode.Uri[];
  /** Whether images may come from data: URLs (sanitized Markdown may carry them). */
  dataImages?: boolean;
}

/** Text made safe inside a double-quoted HTML attribute. */
function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The page every Promptscope webview uses: a strict CSP (`default-src 'none'`), one script allowed
 * by a per-load crypto nonce, styles and fonts only from the extension's own files, nothing inline.
 * The page carries the webview's strings in the display language as data (an attribute, not a
 * script), so the panel's first frame is already localized.
 */
export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, options: WebviewPageOptions): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${options.app}.js`));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}${options.dataImages ? ' data:' : ''}`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  const stylesheets = [vscode.Uri.joinPath(extensionUri, 'media', 'tokens.css'), ...options.stylesheets];
  const links = stylesheets.map((uri) => `<link rel="stylesheet" href="${webview.asWebviewUri(uri).toString()}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
<title>${options.title}</title>
</head>
<body>
<div id="app" data-strings="${attribute(JSON.stringify(webviewStrings(vscode.l10n)))}"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
