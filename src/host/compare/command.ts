import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  addVariantFiles,
  columnsFor,
  comparisonSettings,
  discoverVariants,
  locateTestFile,
  parseTestFile,
  runComparison,
  type CompareVariant,
  type ComparisonStore,
  type TestCase,
  type VariantFile,
} from '../../core/compare';
import { createProvider, type Provider } from '../../core/providers';
import type { RunHistory } from '../../core/runs/history';
import { LANGUAGE_ID, partialContextFor } from '../language/settings';
import type { Log } from '../log';
import type { ModelServices } from '../models';
import { compareConcurrency, runDefaults, SETTINGS_SECTION } from '../settings';
import { ComparisonModel } from '../../core/compare/model';
import { ComparePanel, type ComparePanelDeps } from './panel';
import { lastPlan, pickPlan, rememberPlan, type ComparePlan } from './pick';
import { errorMessage } from '../../core/errors';

/** The command's optional argument: everything needed to compare without asking (tests, walkthrough). */
export interface CompareArgs {
  uri?: vscode.Uri | string;
  models?: string[];
  samples?: number;
  temperature?: number;
  seed?: number;
  /** Include the prompt's variants (`name.variant.prompt`). */
  variants?: boolean;
  /** Other .prompt files (absolute paths) to compare as variants. */
  files?: string[];
  inputs?: Record<string, unknown>;
  concurrency?: number;
  /**
   * Wait until the panel reports what it shows and return that as `shown` (the integration tests
   * check the webview with it). Without it the command returns as soon as the comparison is saved.
   */
  reportShown?: boolean;
}

export interface CompareOutcome {
  id: string;
  /** The saved record, when it could be saved. */
  record?: string;
  status: 'completed' | 'stopped';
  /** With `reportShown`: what the panel reported showing once the comparison ended (undefined when it was closed or did not answer). */
  shown?: { columns: number; cells: number; tokens: number };
}

export interface CompareDeps {
  context: vscode.ExtensionContext;
  /** The comparison panel of each prompt file: comparing the file again reuses it unless it is still running. */
  panels: Map<string, ComparePanel>;
  log: Log;
  models: ModelServices;
  history: RunHistory;
  store: ComparisonStore;
  panel: ComparePanelDeps;
}

/** Reads the command's argument: a Uri (CodeLens, editor title), an args object, or nothing. */
function readCompareArgs(arg: unknown): CompareArgs {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (arg === null || typeof arg !== 'object') return {};
  const a = arg as Record<string, unknown>;
  const out: CompareArgs = {};
  if (a['uri'] instanceof vscode.Uri || typeof a['uri'] === 'string') out.uri = a['uri'];
  const strings = (v: unknown): string[] | undefined =>
    Array.isArray(v) && v.every((x) => typeof x === 'string' && x.trim() !== '') ? (v as string[]) : undefined;
  const models = strings(a['models']);
  if (models && models.length > 0) out.models = models;
  const files = strings(a['files']);
  if (files) out.files = files;
  const int = (v: unknown, min: number, max: number): number | undefined =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
  const samples = int(a['samples'], 1, 100);
  if (samples !== undefined) out.samples = samples;
  const concurrency = int(a['concurrency'], 1, 64);
  if (concurrency !== undefined) out.concurrency = concurrency;
  const seed = int(a['seed'], 0, 2 ** 31 - 1);
  if (seed !== undefined) out.seed = seed;
  if (typeof a['temperature'] === 'number' && Number.isFinite(a['temperature']) && a['temperature'] >= 0)
    out.temperature = a['temperature'];
  if (typeof a['variants'] === 'boolean') out.variants = a['variants'];
  if (a['reportShown'] === true) out.reportShown = true;
  if (a['inputs'] !== null && typeof a['inputs'] === 'object' && !Array.isArray(a['inputs']))
    out.inputs = a['inputs'] as Record<string, unknown>;
  return out;
}

/**
 * "Compare": models (and prompt variants) × test cases (× samples) in one panel. Returns the
 * saved comparison when it ran; undefined when the user cancelled the pickers.
 */
export async function compareCommand(deps: CompareDeps, arg: unknown): Promise<CompareOutcome | undefined> {
  const args = readCompareArgs(arg);
  const uri = typeof args.uri === 'string' ? vscode.Uri.parse(args.uri) : args.uri;
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== LANGUAGE_ID) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a .prompt file to compare models on it.'));
    return undefined;
  }
  const text = document.getText();
  const settings = comparisonSettings(text);
  const promptPath = document.uri.scheme === 'file' ? document.uri.fsPath : document.fileName;
  const key = document.uri.toString();
  const discovered = await variantsBeside(document, promptPath);

  let plan: ComparePlan | undefined;
  if (args.models) {
    plan = {
      models: args.models,
      variants: args.variants
        ? discovered.map((v) => v.id)
        : [discovered.find((v) => path.resolve(v.file) === path.resolve(promptPath))?.id ?? discovered[0]!.id],
      files: args.files ?? [],
      samples: args.samples ?? settings.samples ?? 1,
      ...(args.temperature !== undefined ? { temperature: args.temperature } : {}),
    };
  } else {
    const lists = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading model lists…') },
      () => deps.models.catalog.all(),
    );
    plan = await pickPlan({ lists, settings, last: lastPlan(deps.context.workspaceState, key), variants: discovered, promptPath });
    if (!plan) return undefined;
    await rememberPlan(deps.context.workspaceState, key, plan);
  }

  const notices: string[] = [...settings.problems];
  const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath ?? path.dirname(promptPath);
  const chosen = addVariantFiles(
    discovered.filter((v) => plan.variants.includes(v.id)),
    plan.files,
    root,
  );
  const partials = new Map<string, vscode.TextDocument>();
  const variants: CompareVariant[] = [];
  for (const v of chosen) {
    try {
      const doc =
        path.resolve(v.file) === path.resolve(promptPath) ? document : await vscode.workspace.openTextDocument(vscode.Uri.file(v.file));
      partials.set(path.resolve(v.file), doc);
      variants.push({ id: v.id, file: v.file, text: doc.getText() });
    } catch (err) {
      notices.push(vscode.l10n.t('{0} could not be read: {1}', v.file, errorMessage(err)));
    }
  }
  if (variants.length === 0) {
    await deps.log.showError(vscode.l10n.t('None of the chosen prompts could be read.'));
    return undefined;
  }

  const inputs = args.inputs ?? rememberedInputs(deps.context.workspaceState, key);
  const suite = await loadCases(promptPath, settings.tests, inputs, root);
  notices.push(...suite.notices);
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, document.uri);
  const concurrency = args.concurrency ?? compareConcurrency(config);
  const { topLogprobs, ...defaults } = runDefaults(config);
  const file = document.uri.scheme === 'file' ? vscode.workspace.asRelativePath(document.uri, false) : path.basename(promptPath);
  const columns = columnsFor(variants, plan.models);
  const model = new ComparisonModel({
    title: vscode.l10n.t('Compare {0}', path.basename(promptPath)),
    file,
    variants: variants.map((v) => ({ id: v.id, file: v.file })),
    columns,
    cases: suite.cases,
    samples: plan.samples,
    ...(plan.temperature !== undefined ? { temperature: plan.temperature } : {}),
    concurrency,
  });
  for (const n of notices) model.addNotice(n);
  const previous = deps.panels.get(key);
  let panel: ComparePanel;
  if (previous && !previous.isDisposed && !previous.running) {
    previous.replace(model);
    previous.panel.reveal(undefined, false);
    panel = previous;
  } else {
    panel = ComparePanel.create(deps.panel, model);
  }
  if (deps.panels.get(key) !== panel) {
    deps.panels.set(key, panel);
    panel.panel.onDidDispose(() => deps.panels.get(key) === panel && deps.panels.delete(key));
  }

  const providers = new Map<string, Provider>();
  for (const endpoint of deps.models.endpoints.list) {
    try {
      providers.set(endpoint.name, await deps.models.endpoints.provider(endpoint));
    } catch (err) {
      deps.log.error(`preparing endpoint ${endpoint.name}`, err);
    }
  }
  const controller = new AbortController();
  panel.setCancel(() => controller.abort());
  let result;
  try {
    result = await runComparison(
      {
        file,
        variants,
        models: plan.models,
        cases: suite.cases,
        samples: plan.samples,
        concurrency,
        topLogprobs,
        ...(plan.temperature !== undefined ? { temperature: plan.temperature } : {}),
        ...(args.seed !== undefined ? { seed: args.seed } : {}),
      },
      {
        endpoints: deps.models.endpoints.list,
        onDisplayError: (err) => deps.log.error('the comparison panel could not show an update', err),
        partialsFor: (f) => {
          const doc = partials.get(path.resolve(f));
          return doc ? partialContextFor(doc) : undefined;
        },
        providerFor: (endpoint) => providers.get(endpoint.name) ?? createProvider(endpoint, {}),
        history: deps.history,
        signal: controller.signal,
        onEvent: (cellId, event) => model.onEvent(cellId, event),
        onCell: (cell) => model.onCell(cell),
        defaults,
      },
    );
  } catch (err) {
    panel.setCancel(undefined);
    deps.log.error('comparison', err);
    model.addNotice(vscode.l10n.t('The comparison could not run: {0}', errorMessage(err)));
    return undefined;
  }
  panel.setCancel(undefined);
  let record: string | undefined;
  try {
    record = await deps.store.save(result);
  } catch (err) {
    deps.log.error('saving the comparison', err);
    model.addNotice(vscode.l10n.t('The comparison could not be saved: {0}', errorMessage(err)));
  }
  model.finish(result, record ? result.id : '');
  void vscode.commands.executeCommand('promptscope.history.refresh').then(undefined, () => undefined);
  const outcome: CompareOutcome = { id: result.id, ...(record ? { record } : {}), status: result.status };
  if (!args.reportShown) return outcome;
  const savedId = record ? result.id : '';
  const report = await panel.whenRendered((r) => r.status !== 'running' && r.id === savedId, 10_000);
  if (report) outcome.shown = { columns: report.columns, cells: report.cells, tokens: report.tokens };
  return outcome;
}

async function variantsBeside(document: vscode.TextDocument, promptPath: string): Promise<VariantFile[]> {
  const own: VariantFile = { id: path.basename(promptPath).replace(/\.prompt$/i, ''), file: promptPath };
  if (document.uri.scheme !== 'file') return [own];
  try {
    return discoverVariants(promptPath, await readdir(path.dirname(promptPath)));
  } catch {
    return [own];
  }
}

/** The inputs last used to run this file (the run panel remembers them per file). */
function rememberedInputs(state: vscode.Memento, key: string): Record<string, unknown> {
  const all = state.get<Record<string, unknown>>('promptscope.inputs', {});
  const values = all[key];
  return values !== null && typeof values === 'object' && !Array.isArray(values) ? (values as Record<string, unknown>) : {};
}

interface LoadedCases {
  cases: TestCase[];
  notices: string[];
}

/** The frontmatter's test file, else `name.tests.*` beside the prompt, else one case with the remembered inputs. */
async function loadCases(
  promptPath: string,
  fromFrontmatter: string | undefined,
  inputs: Record<string, unknown>,
  root: string,
): Promise<LoadedCases> {
  const fallback: TestCase[] = [{ id: 'default', line: 0, inputs, expect: {} }];
  const found = locateTestFile(promptPath, fromFrontmatter, [root]);
  if (found.kind === 'none') return { cases: fallback, notices: [] };
  if (found.kind === 'refused')
    return {
      cases: fallback,
      notices: [vscode.l10n.t('Test cases were not read: {0}. Comparing on the last inputs instead.', found.message)],
    };
  const location = found.location;
  const name = path.basename(location.path);
  let text: string;
  try {
    text = await readFile(found.readPath, 'utf8');
  } catch (err) {
    return {
      cases: fallback,
      notices: [vscode.l10n.t('Test cases: {0} could not be read ({1}); comparing on the last inputs instead.', name, errorMessage(err))],
    };
  }
  const suite = parseTestFile(text, location.path);
  const notices = suite.problems.slice(0, 5).map((p) => vscode.l10n.t('{0}, line {1}: {2} (row skipped)', name, p.line, p.message));
  if (suite.problems.length > 5) notices.push(vscode.l10n.t('{0}: {1} more rows skipped', name, suite.problems.length - 5));
  if (suite.cases.length === 0) {
    notices.push(vscode.l10n.t('Test cases: {0} has no readable case; comparing on the last inputs instead.', name));
    return { cases: fallback, notices };
  }
  return { cases: suite.cases.map((c) => ({ ...c, inputs: { ...inputs, ...c.inputs } })), notices };
}
