import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ComparisonSettings, VariantFile } from '../../core/compare';
import type { EndpointModels } from '../models/catalog';

/** What to compare: chosen in the picker, or given to the command by a caller. */
export interface ComparePlan {
  models: string[];
  /** Variant ids (from the discovered variants) to include. */
  variants: string[];
  /** Other .prompt files added by the user. */
  files: string[];
  samples: number;
  temperature?: number;
}

/** The last plan per prompt file (workspace state). */
const LAST_KEY = 'promptscope.compare.last';

export function lastPlan(state: vscode.Memento, file: string): Partial<ComparePlan> | undefined {
  const all = state.get<Record<string, unknown>>(LAST_KEY, {});
  const entry = all[file];
  if (entry === null || typeof entry !== 'object') return undefined;
  const e = entry as Record<string, unknown>;
  const strings = (v: unknown): string[] | undefined =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  const plan: Partial<ComparePlan> = {};
  const models = strings(e['models']);
  if (models) plan.models = models;
  const variants = strings(e['variants']);
  if (variants) plan.variants = variants;
  const files = strings(e['files']);
  if (files) plan.files = files;
  if (typeof e['samples'] === 'number') plan.samples = e['samples'];
  if (typeof e['temperature'] === 'number') plan.temperature = e['temperature'];
  return plan;
}

export async function rememberPlan(state: vscode.Memento, file: string, plan: ComparePlan): Promise<void> {
  const all = state.get<Record<string, unknown>>(LAST_KEY, {});
  await state.update(LAST_KEY, { ...all, [file]: plan });
}

interface PlanItem extends vscode.QuickPickItem {
  kind?: vscode.QuickPickItemKind;
  model?: string;
  variant?: string;
  option?: 'files' | 'samples';
}

export interface PickInput {
  lists: EndpointModels[];
  settings: ComparisonSettings;
  last: Partial<ComparePlan> | undefined;
  variants: VariantFile[];
  promptPath: string;
}

/**
 * One multi-select picker: models from every endpoint's live list (the last choice for this
 * file, else the frontmatter's, preselected), the prompt's variants, and two options that ask
 * for more (other .prompt files; k samples and a temperature). Undefined when cancelled.
 */
export async function pickPlan(input: PickInput): Promise<ComparePlan | undefined> {
  const { lists, settings, last, variants } = input;
  const live = lists.flatMap((l) =>
    l.installed.map((m) => ({
      ref: `${l.endpoint.name}/${m.name.replace(/:latest$/, '')}`,
      detail: [m.parameterSize, m.quantization].filter(Boolean).join(' · '),
    })),
  );
  const wanted = new Set(last?.models ?? settings.models);
  const items: PlanItem[] = [{ label: vscode.l10n.t('Models'), kind: vscode.QuickPickItemKind.Separator }];
  for (const m of live) items.push({ label: m.ref, description: m.detail, model: m.ref, picked: wanted.has(m.ref) });
  for (const ref of wanted) {
    if (!live.some((m) => m.ref === ref))
      items.push({ label: ref, description: vscode.l10n.t('not in the live model lists'), model: ref, picked: true });
  }
  if (variants.length > 1) {
    items.push({ label: vscode.l10n.t('Prompt variants'), kind: vscode.QuickPickItemKind.Separator });
    const chosen = new Set(last?.variants ?? variants.map((v) => v.id));
    for (const v of variants)
      items.push({
        label: v.id,
        description: path.basename(v.file),
        variant: v.id,
        picked: chosen.has(v.id) || v.file === input.promptPath,
      });
  }
  const samples = last?.samples ?? settings.samples ?? 1;
  items.push({ label: vscode.l10n.t('Options'), kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: vscode.l10n.t('$(files) Add other .prompt files…'), option: 'files', picked: (last?.files?.length ?? 0) > 0 });
  items.push({
    label: vscode.l10n.t('$(symbol-number) Sample each model k times (self-consistency)…'),
    description: samples > 1 ? vscode.l10n.t('now {0} samples', samples) : '',
    option: 'samples',
    picked: samples > 1,
  });
  const problems = lists.filter((l) => l.problem).map((l) => `${l.endpoint.name}: ${l.problem ?? ''}`);

  const pick = vscode.window.createQuickPick<PlanItem>();
  pick.canSelectMany = true;
  pick.matchOnDescription = true;
  pick.title = vscode.l10n.t('Compare {0}', path.basename(input.promptPath));
  pick.placeholder =
    problems.length > 0
      ? vscode.l10n.t('Choose models to compare (unreachable: {0})', problems.join('; '))
      : vscode.l10n.t('Choose models to compare');
  pick.items = items;
  pick.selectedItems = items.filter((i) => i.picked);
  const selected = await new Promise<readonly PlanItem[] | undefined>((resolve) => {
    pick.onDidAccept(() => {
      if (!pick.selectedItems.some((i) => i.model)) {
        pick.title = vscode.l10n.t('Choose at least one model');
        return;
      }
      resolve(pick.selectedItems);
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  if (!selected) return undefined;

  const plan: ComparePlan = {
    models: selected.filter((i) => i.model).map((i) => i.model!),
    variants: variants.length > 1 ? selected.filter((i) => i.variant).map((i) => i.variant!) : variants.map((v) => v.id),
    files: [],
    samples: 1,
  };
  if (plan.variants.length === 0) plan.variants = [variants[0]!.id];
  if (selected.some((i) => i.option === 'files')) {
    const files = await vscode.window.showOpenDialog({
      canSelectMany: true,
      defaultUri: vscode.Uri.file(path.dirname(input.promptPath)),
      filters: { Prompts: ['prompt'] },
      openLabel: vscode.l10n.t('Compare'),
    });
    if (files === undefined) return undefined;
    plan.files = files.map((f) => f.fsPath);
  }
  if (selected.some((i) => i.option === 'samples')) {
    const k = await vscode.window.showInputBox({
      title: vscode.l10n.t('Samples per model'),
      prompt: vscode.l10n.t('How many times to sample each model (1–100). The answers are voted on.'),
      value: String(samples > 1 ? samples : 5),
      validateInput: (v) =>
        /^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 100 ? undefined : vscode.l10n.t('A whole number from 1 to 100'),
    });
    if (k === undefined) return undefined;
    plan.samples = Number(k.trim());
    const t = await vscode.window.showInputBox({
      title: vscode.l10n.t('Temperature'),
      prompt: vscode.l10n.t('Sampling temperature; at 0 every sample gives the same answer.'),
      value: String(last?.temperature ?? settings.temperature ?? 0.7),
      validateInput: (v) =>
        v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 ? undefined : vscode.l10n.t('A number of 0 or more'),
    });
    if (t === undefined) return undefined;
    plan.temperature = Number(t.trim());
  }
  return plan;
}
