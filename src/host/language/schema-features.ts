import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PromptDiagnostic } from '../../core/prompt/diagnostic';
import { containsPosition } from '../../core/text/positions';
import { toRange } from '../convert';
import type { AnalysisCache } from './analysis-cache';
import { LANGUAGE_ID } from './settings';

const SELECTOR: vscode.DocumentSelector = [{ language: LANGUAGE_ID }];
export const MAP_SCHEMA_COMMAND = 'promptscope.mapSchemaToFile';

/**
 * Go to Definition for schema names and for helpers and partials registered in code, and the
 * quick fixes diagnostics carry.
 */
export function registerSchemaFeatures(cache: AnalysisCache): vscode.Disposable[] {
  return [
    vscode.languages.registerDefinitionProvider(SELECTOR, {
      async provideDefinition(document, position) {
        const analysis = await cache.get(document);
        const pos = { line: position.line, character: position.character };
        const use = analysis.registered.find((u) => containsPosition(u.range, pos));
        if (use) {
          const { file, line, character, name } = use.registration;
          const target = new vscode.Position(line, character);
          return [
            {
              originSelectionRange: toRange(use.range),
              targetUri: vscode.Uri.file(file),
              targetRange: new vscode.Range(target, target.translate(0, name.length)),
            } satisfies vscode.LocationLink,
          ];
        }
        const ref = analysis.schemaRefs.find((r) => containsPosition(r.range, pos));
        const where = ref?.schema?.location;
        if (!ref || !where) return undefined;
        const target = new vscode.Position(where.line, where.character);
        return [
          {
            originSelectionRange: toRange(ref.range),
            targetUri: vscode.Uri.file(where.file),
            targetRange: new vscode.Range(target, target.translate(0, where.form === 'promptscope.schemas' ? 0 : ref.name.length)),
          } satisfies vscode.LocationLink,
        ];
      },
    }),
    vscode.languages.registerCodeActionsProvider(
      SELECTOR,
      {
        async provideCodeActions(document, range, context) {
          const analysis = await cache.get(document);
          const actions: vscode.CodeAction[] = [];
          for (const d of analysis.diagnostics) {
            const r = toRange(d.range);
            if (!r.intersection(range)) continue;
            const shown = context.diagnostics.filter((v) => v.code === d.code && v.range.isEqual(r));
            if (d.fix) actions.push(fixAction(document, d, shown));
            if (d.code === 'unknown-schema' && d.severity === 'information') {
              const name = document.getText(r);
              const action = new vscode.CodeAction(vscode.l10n.t('Map "{0}" to a JSON Schema file…', name), vscode.CodeActionKind.QuickFix);
              action.diagnostics = shown;
              action.command = { command: MAP_SCHEMA_COMMAND, title: action.title, arguments: [document.uri, name] };
              actions.push(action);
            }
          }
          return actions;
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.commands.registerCommand(MAP_SCHEMA_COMMAND, (uri: vscode.Uri, name: string, picked?: vscode.Uri) =>
      mapSchemaToFile(uri, name, picked),
    ),
  ];
}

function fixAction(document: vscode.TextDocument, d: PromptDiagnostic, shown: vscode.Diagnostic[]): vscode.CodeAction {
  const fix = d.fix!;
  const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) action.edit.replace(document.uri, toRange(e.range), e.newText);
  action.diagnostics = shown;
  action.isPreferred = true;
  return action;
}

/**
 * Writes `promptscope.schemas[name] = <file>` for the prompt's workspace folder. The file is
 * picked in a dialog (or given, for tests) and must lie inside that folder.
 */
async function mapSchemaToFile(promptUri: vscode.Uri, name: string, picked?: vscode.Uri): Promise<void> {
  const folder = vscode.workspace.getWorkspaceFolder(promptUri);
  if (!folder) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Named schemas can be mapped only for prompts inside a workspace folder.'));
    return;
  }
  const file =
    picked ??
    (
      await vscode.window.showOpenDialog({
        defaultUri: folder.uri,
        canSelectMany: false,
        filters: { [vscode.l10n.t('JSON Schema files')]: ['json'] },
        openLabel: vscode.l10n.t('Use as schema "{0}"', name),
      })
    )?.[0];
  if (!file) return;
  const rel = path.relative(folder.uri.fsPath, file.fsPath);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('{0} is outside the workspace folder; schema files are read only from inside it.', file.fsPath),
    );
    return;
  }
  const config = vscode.workspace.getConfiguration('promptscope', folder.uri);
  const current = config.get<Record<string, string>>('schemas', {});
  await config.update('schemas', { ...current, [name]: rel.split(path.sep).join('/') }, vscode.ConfigurationTarget.WorkspaceFolder);
}
