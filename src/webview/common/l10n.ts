import { isWebviewStrings, type WebviewStringKey, type WebviewStrings } from '../../shared/webview-strings';

let table: WebviewStrings | undefined;

/** The strings table the host put on the page (`<div id="app" data-strings="…">`), read once. */
function strings(): WebviewStrings | undefined {
  if (table) return table;
  const raw = document.getElementById('app')?.dataset['strings'];
  try {
    const parsed: unknown = raw === undefined ? undefined : JSON.parse(raw);
    if (isWebviewStrings(parsed)) table = parsed;
    else console.error('promptscope: the page carries no complete strings table; labels show their keys');
  } catch (err) {
    console.error('promptscope: the strings table on the page is not JSON; labels show their keys', err);
  }
  return table;
}

/**
 * A string in the display language, by key, with `{0}`, `{1}` … filled in. The webview has no
 * English of its own: without the host's table it shows the key, never a hard-coded text.
 */
export function t(key: WebviewStringKey, ...args: (string | number)[]): string {
  const template = strings()?.[key] ?? key;
  return args.length === 0
    ? template
    : template.replace(/\{(\d+)\}/g, (slot, index: string) => {
        const value = args[Number(index)];
        return value === undefined ? slot : String(value);
      });
}

/** The singular or plural form of a count (`one` for exactly 1). */
export function tCount(count: number, one: WebviewStringKey, many: WebviewStringKey): string {
  return count === 1 ? t(one) : t(many, count);
}
