import * as vscode from 'vscode';
import type { AnalysisCache } from '../language/analysis-cache';

const KEY = 'promptscope.inputs';

/**
 * Input values for a run: the last values used for this file, with frontmatter defaults applied
 * by the renderer. Required inputs that have neither are asked for (and remembered).
 * Returns undefined when the user cancels.
 */
export async function inputsFor(document: vscode.TextDocument, cache: AnalysisCache, state: vscode.Memento, askAll: boolean): Promise<Record<string, unknown> | undefined> {
  const remembered = state.get<Record<string, Record<string, unknown>>>(KEY, {});
  const values: Record<string, unknown> = { ...(remembered[document.uri.toString()] ?? {}) };
  const analysis = await cache.get(document);
  const defaults = ((analysis.frontmatter.data?.['input'] as { default?: Record<string, unknown> } | undefined)?.default ?? {}) as Record<string, unknown>;
  for (const input of analysis.inputs.declared?.values() ?? []) {
    const known = input.name in values || input.name in defaults;
    if (known && !askAll) continue;
    if (!input.required && !askAll) continue;
    const current = values[input.name] ?? defaults[input.name];
    const answer = await vscode.window.showInputBox({
      title: vscode.l10n.t('Input "{0}" ({1})', input.name, input.type),
      prompt: input.description ?? vscode.l10n.t('A value for {0}. JSON is accepted for numbers, booleans, lists and objects.', input.name),
      value: current === undefined ? '' : typeof current === 'string' ? current : JSON.stringify(current),
      ignoreFocusOut: true,
      validateInput: (text) => validate(text, input.type),
    });
    if (answer === undefined) return undefined;
    if (answer === '' && !input.required) {
      delete values[input.name];
      continue;
    }
    values[input.name] = parseValue(answer, input.type);
  }
  await state.update(KEY, { ...remembered, [document.uri.toString()]: values });
  return values;
}

function parseValue(text: string, type: string): unknown {
  if (type === 'string' || type.includes('"')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function validate(text: string, type: string): string | undefined {
  if (type === 'number' || type === 'integer') return Number.isFinite(Number(text)) && text.trim() !== '' ? undefined : vscode.l10n.t('Enter a number.');
  if (type === 'boolean') return text === 'true' || text === 'false' ? undefined : vscode.l10n.t('Enter true or false.');
  if (type.endsWith('[]') || type === 'object') {
    try {
      JSON.parse(text);
      return undefined;
    } catch (err) {
      return vscode.l10n.t('Enter JSON: {0}', (err as Error).message);
    }
  }
  return undefined;
}
