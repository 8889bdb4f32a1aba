// The strings table a webview page carries, built by the host's own module with a stand-in for
// vscode.l10n: English as written, or a language's bundle the way VS Code would look it up.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { webviewStrings, type Localizer } from '../../src/host/webview-strings';
import type { WebviewStrings } from '../../src/shared/webview-strings';

const root = path.resolve(__dirname, '..', '..');

export type Language = 'en' | 'zh-cn';

/** A localizer like vscode.l10n's: the bundle's translation when there is one, `{n}` filled from args. */
export function localizer(language: Language): Localizer {
  const bundle: Record<string, string> =
    language === 'en'
      ? {}
      : (JSON.parse(readFileSync(path.join(root, 'l10n', `bundle.l10n.${language}.json`), 'utf8')) as Record<string, string>);
  return { t: (message, ...args) => (bundle[message] ?? message).replace(/\{(\d+)\}/g, (slot, i: string) => args[Number(i)] ?? slot) };
}

export function stringsTable(language: Language): WebviewStrings {
  return webviewStrings(localizer(language));
}

/** The table as the value of the page's data-strings attribute. */
export function pageStrings(language: Language): string {
  return JSON.stringify(stringsTable(language)).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
