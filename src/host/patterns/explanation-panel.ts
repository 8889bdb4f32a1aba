import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { findPattern } from '../../core/patterns/catalogue';
import { explainPattern, FORM_LABELS } from '../../core/patterns/markdown';
import type { PromptPattern } from '../../core/patterns/types';
import { insertPattern, newFileFromPattern, runWithExample, type PatternTarget } from './actions';
import { catalogueLanguage } from './lang';
import { errorMessage } from '../../core/errors';

type PanelAction = 'insert' | 'newFile' | 'run';
const ACTIONS: ReadonlySet<string> = new Set<PanelAction>(['insert', 'newFile', 'run']);

/**
 * One webview tab showing a pattern's explanation, rendered from the catalogue's Markdown by VS
 * Code's own Markdown engine, with Insert / New file / Run-with-example buttons per template.
 * Only catalogue text is rendered, and the page's CSP allows nothing but our nonce'd script.
 */
export class PatternExplanationPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private pattern: PromptPattern | undefined;

  async show(target: PatternTarget): Promise<void> {
    const pattern = findPattern(target.patternId);
    if (!pattern) throw new Error(vscode.l10n.t('Unknown prompt pattern "{0}".', target.patternId));
    this.pattern = pattern;
    const lang = catalogueLanguage();
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'promptscope.patternExplanation',
        pattern.title[lang],
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
        { enableScripts: true, enableFindWidget: true, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((message: unknown) => void this.onMessage(message));
    } else {
      this.panel.reveal();
    }
    this.panel.title = pattern.title[lang];
    this.panel.webview.html = await this.html(pattern, target.templateId);
  }

  private async onMessage(message: unknown): Promise<void> {
    if (!this.pattern || !message || typeof message !== 'object') return;
    const { action, templateId } = message as { action?: unknown; templateId?: unknown };
    if (typeof action !== 'string' || !ACTIONS.has(action) || typeof templateId !== 'string') return;
    if (!this.pattern.templates.some((t) => t.id === templateId)) return;
    const target: PatternTarget = { patternId: this.pattern.id, templateId };
    try {
      if (action === 'insert') await insertPattern(target);
      else if (action === 'newFile') await newFileFromPattern(target);
      else await runWithExample(target);
    } catch (err) {
      void vscode.window.showErrorMessage(errorMessage(err));
    }
  }

  private async html(pattern: PromptPattern, focusTemplate: string | undefined): Promise<string> {
    const lang = catalogueLanguage();
    const markdown = explainPattern(pattern, lang);
    let article: string;
    try {
      article = await vscode.commands.executeCommand<string>('markdown.api.render', markdown);
    } catch {
      // Without the built-in Markdown extension the page still reads well as plain text.
      article = `<pre class="plain">${escapeHtml(markdown)}</pre>`;
    }
    const nonce = randomBytes(16).toString('base64');
    const rows = pattern.templates
      .map((t) => {
        const buttons = (['insert', 'newFile', 'run'] as const)
          .map((a) => `<button data-action="${a}" data-template="${escapeHtml(t.id)}">${escapeHtml(buttonLabel(a))}</button>`)
          .join('');
        const focused = t.id === focusTemplate ? ' focused' : '';
        return `<li class="template${focused}"><span class="name">${escapeHtml(t.label[lang])}</span> <span class="form">${escapeHtml(FORM_LABELS[t.form][lang])}</span><span class="buttons">${buttons}</span></li>`;
      })
      .join('');
    return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 24px 32px; max-width: 920px; line-height: 1.55; }
  ul.templates { list-style: none; padding: 12px 0; margin: 0; border-bottom: 1px solid var(--vscode-panel-border); position: sticky; top: 0; background: var(--vscode-editor-background); }
  li.template { display: flex; align-items: center; gap: 8px; padding: 3px 0; }
  li.template.focused .name { font-weight: 600; }
  .form { color: var(--vscode-descriptionForeground); }
  .buttons { margin-left: auto; display: flex; gap: 6px; }
  button { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); border: none; padding: 3px 10px; border-radius: 2px; cursor: pointer; font: inherit; }
  button:hover { background: var(--vscode-button-secondaryHoverBackground); }
  button[data-action="run"] { background: var(--vscode-button-background); color: var(--vscode-button-foreground); }
  button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
  pre { background: var(--vscode-textCodeBlock-background); padding: 10px 12px; overflow-x: auto; border-radius: 3px; }
  code { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
  pre.plain { white-space: pre-wrap; }
</style>
</head>
<body>
<ul class="templates" aria-label="${escapeHtml(vscode.l10n.t('Templates'))}">${rows}</ul>
<article>${article}</article>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
    if (button) vscode.postMessage({ action: button.dataset.action, templateId: button.dataset.template });
  });
</script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

function buttonLabel(action: PanelAction): string {
  switch (action) {
    case 'insert':
      return vscode.l10n.t('Insert');
    case 'newFile':
      return vscode.l10n.t('New File');
    case 'run':
      return vscode.l10n.t('Run with Example');
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
