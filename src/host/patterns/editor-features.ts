import * as vscode from 'vscode';
import { HINT_CODES, patternHints, type PatternFix } from '../../core/patterns/hints';
import { explainPattern } from '../../core/patterns/markdown';
import { recognizePatternAt } from '../../core/patterns/recognize';
import { patternSnippets, wholeFileSnippetSpan } from '../../core/patterns/snippets';
import type { PromptAnalysis } from '../../core/prompt/analyze';
import { toRange } from '../convert';
import { LANGUAGE_ID } from '../language/settings';
import { PATTERN_COMMANDS } from './actions';
import { catalogueLanguage } from './lang';

/** Where the analysis of a document comes from (the extension's shared AnalysisCache). */
export interface AnalysisSource {
  get(document: vscode.TextDocument): Promise<PromptAnalysis>;
}

const SELECTOR: vscode.DocumentSelector = [{ language: LANGUAGE_ID }];
const HINT_CODE_SET: ReadonlySet<string> = new Set(Object.values(HINT_CODES));

/**
 * Whole-file pattern snippets (`flan-nli-zero-shot`…), offered only while the file is empty apart
 * from the word being typed: anywhere else a complete `.prompt` with its own frontmatter would
 * land inside another one. Titles and descriptions follow the display language.
 */
export function registerPatternSnippets(): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(SELECTOR, {
    provideCompletionItems(document, position) {
      const text = document.getText();
      const span = wholeFileSnippetSpan(text, document.offsetAt(position));
      if (span === undefined) return [];
      const range = new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
      return patternSnippets(catalogueLanguage()).map((snippet) => {
        const item = new vscode.CompletionItem({ label: snippet.prefix, description: snippet.title }, vscode.CompletionItemKind.Snippet);
        item.insertText = new vscode.SnippetString(snippet.body);
        item.range = range;
        item.filterText = snippet.prefix;
        item.detail = snippet.title;
        item.documentation = new vscode.MarkdownString().appendText(snippet.description);
        return item;
      });
    },
  });
}

/** Hover over a recognised pattern: its explanation (without templates) and a link to the full entry. */
export function registerPatternHover(analyses: AnalysisSource): vscode.Disposable {
  return vscode.languages.registerHoverProvider(SELECTOR, {
    async provideHover(document, position) {
      const found = recognizePatternAt(await analyses.get(document), { line: position.line, character: position.character });
      if (!found) return undefined;
      const lang = catalogueLanguage();
      const args = encodeURIComponent(JSON.stringify([{ patternId: found.pattern.id }]));
      const markdown = new vscode.MarkdownString(
        `${explainPattern(found.pattern, lang, { templates: false, headingLevel: 3 })}\n[${vscode.l10n.t('Open in Prompt Patterns')}](command:${PATTERN_COMMANDS.explain}?${args})`,
      );
      // Only our own command may be run from this hover's links.
      markdown.isTrusted = { enabledCommands: [PATTERN_COMMANDS.explain] };
      return new vscode.Hover(markdown, toRange(found.range));
    },
  });
}

/** Quick fixes for pattern hints; the hints themselves are published with the file's diagnostics. */
export function registerPatternQuickFixes(analyses: AnalysisSource): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    SELECTOR,
    {
      async provideCodeActions(document, _range, context) {
        const shown = context.diagnostics.filter((d) => typeof d.code === 'string' && HINT_CODE_SET.has(d.code));
        if (shown.length === 0) return [];
        const hints = patternHints(await analyses.get(document));
        const actions: vscode.CodeAction[] = [];
        for (const diagnostic of shown) {
          const hint = hints.find((h) => h.code === diagnostic.code && toRange(h.range).isEqual(diagnostic.range));
          for (const fix of hint?.fixes ?? []) {
            const action = new vscode.CodeAction(fixTitle(fix), vscode.CodeActionKind.QuickFix);
            const edit = new vscode.WorkspaceEdit();
            for (const e of fix.edits) edit.replace(document.uri, toRange(e.range), e.newText);
            action.edit = edit;
            action.diagnostics = [diagnostic];
            action.isPreferred = hint?.fixes[0] === fix;
            actions.push(action);
          }
        }
        return actions;
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}

/** The fix title in the display language, chosen by the fix's id. */
function fixTitle(fix: PatternFix): string {
  switch (fix.id) {
    case 'add-answer-line':
      return vscode.l10n.t('Add an answer-format line');
    case 'add-labels-to-options':
      return vscode.l10n.t('Add {0} to the options', fix.args[0] ?? '');
    case 'move-options-to-end':
      return vscode.l10n.t('Move the options to the end');
    case 'render-input':
      return vscode.l10n.t('Render {0} at the end of the template', `{{${fix.args[0] ?? ''}}}`);
    case 'remove-default':
      return vscode.l10n.t('Remove the default for "{0}"', fix.args[0] ?? '');
    case 'raise-temperature':
      return vscode.l10n.t('Set the temperature to {0}', fix.args[0] ?? '');
  }
}
