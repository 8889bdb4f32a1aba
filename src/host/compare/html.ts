import * as vscode from 'vscode';
import { webviewPage } from '../webview-page';

/**
 * The comparison panel's page: `default-src 'none'`, one script allowed by a per-load crypto
 * nonce, styles only from the extension's own files, nothing inline.
 */
export function compareHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewPage(webview, extensionUri, {
    app: 'compare',
    title: 'Promptscope comparison',
    stylesheets: [vscode.Uri.joinPath(extensionUri, 'media', 'compare.css')],
  });
}

export function compareWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
