import type * as vscode from 'vscode';
import { isJsonValue, type JsonValue } from '../../shared/protocol';

const KEY = 'promptscope.inputs';

/**
 * The last input values used for each prompt file (workspace state, keyed by the file's URI).
 * The run panel's form starts from them; frontmatter defaults fill what is not remembered.
 */
export function rememberedInputs(state: vscode.Memento, file: string): Record<string, JsonValue> {
  const all = state.get<Record<string, unknown>>(KEY, {});
  const values = all[file];
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return {};
  const out: Record<string, JsonValue> = {};
  // Written by older versions too: keep what is still plain JSON.
  for (const [name, value] of Object.entries(values)) if (isJsonValue(value)) out[name] = value;
  return out;
}

export async function rememberInputs(state: vscode.Memento, file: string, values: Record<string, JsonValue>): Promise<void> {
  const all = state.get<Record<string, unknown>>(KEY, {});
  if (JSON.stringify(all[file] ?? {}) === JSON.stringify(values)) return;
  await state.update(KEY, { ...all, [file]: values });
}
