import * as vscode from 'vscode';
import { insertPattern, newFileFromPattern, openSample, PATTERN_COMMANDS, runWithExample, toTarget } from './actions';
import { registerPatternHover, registerPatternQuickFixes, registerPatternSnippets, type AnalysisSource } from './editor-features';
import { PatternExplanationPanel } from './explanation-panel';
import { PatternTreeProvider } from './tree';
import { errorMessage } from '../../core/errors';

export const PATTERNS_VIEW_ID = 'promptscope.patterns';

/**
 * The prompt-pattern features: the Prompt Patterns view, the explanation page with its actions,
 * "New .prompt from pattern…", hovers over recognised patterns, quick fixes for pattern hints, and
 * the walkthrough's sample command.
 */
export function registerPatterns(context: vscode.ExtensionContext, analyses: AnalysisSource): void {
  const panel = new PatternExplanationPanel();
  const view = vscode.window.createTreeView(PATTERNS_VIEW_ID, { treeDataProvider: new PatternTreeProvider(), showCollapseAll: true });
  // Commands report failures instead of rejecting silently into the log.
  const guarded =
    (run: (...args: unknown[]) => Promise<unknown>) =>
    async (...args: unknown[]): Promise<void> => {
      try {
        await run(...args);
      } catch (err) {
        void vscode.window.showErrorMessage(errorMessage(err));
      }
    };
  context.subscriptions.push(
    panel,
    view,
    vscode.commands.registerCommand(
      PATTERN_COMMANDS.explain,
      guarded(async (arg) => {
        const target = toTarget(arg);
        if (target) await panel.show(target);
        else await vscode.commands.executeCommand(`${PATTERNS_VIEW_ID}.focus`);
      }),
    ),
    vscode.commands.registerCommand(
      PATTERN_COMMANDS.insert,
      guarded((arg) => insertPattern(toTarget(arg))),
    ),
    vscode.commands.registerCommand(
      PATTERN_COMMANDS.newFile,
      guarded((arg) => newFileFromPattern(toTarget(arg))),
    ),
    vscode.commands.registerCommand(
      PATTERN_COMMANDS.runExample,
      guarded((arg) => runWithExample(toTarget(arg))),
    ),
    vscode.commands.registerCommand(
      PATTERN_COMMANDS.openSample,
      guarded((name, then) => openSample(context.extensionUri, name, then)),
    ),
    registerPatternHover(analyses),
    registerPatternQuickFixes(analyses),
    registerPatternSnippets(),
  );
}
