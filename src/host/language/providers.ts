import * as path from 'node:path';
import * as vscode from 'vscode';
import { completeAt, type CompletionKind } from '../../core/language/completion';
import { foldingRanges } from '../../core/language/folding';
import { formatPrompt } from '../../core/language/format';
import { hoverAt } from '../../core/language/hover';
import { documentSymbols, type PromptSymbol, type SymbolKind } from '../../core/language/symbols';
import { toRange } from '../convert';
import type { AnalysisCache } from './analysis-cache';
import { registerSchemaFeatures } from './schema-features';
import { customHelpers, LANGUAGE_ID } from './settings';

const SELECTOR: vscode.DocumentSelector = [{ language: LANGUAGE_ID }];

const COMPLETION_KINDS: Record<CompletionKind, vscode.CompletionItemKind> = {
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  function: vscode.CompletionItemKind.Function,
  variable: vscode.CompletionItemKind.Variable,
  keyword: vscode.CompletionItemKind.Keyword,
  module: vscode.CompletionItemKind.Module,
  snippet: vscode.CompletionItemKind.Snippet,
};

const SYMBOL_KINDS: Record<SymbolKind, vscode.SymbolKind> = {
  namespace: vscode.SymbolKind.Namespace,
  property: vscode.SymbolKind.Property,
  event: vscode.SymbolKind.Event,
  struct: vscode.SymbolKind.Struct,
  module: vscode.SymbolKind.Module,
  field: vscode.SymbolKind.Field,
};

/** Supplies model references for `model:` completion; the runs feature plugs in here. */
export type ModelSource = () => Promise<string[]>;

export function registerLanguageProviders(cache: AnalysisCache, models: ModelSource): vscode.Disposable[] {
  return [
    vscode.languages.registerCompletionItemProvider(
      SELECTOR,
      {
        async provideCompletionItems(document, position) {
          const analysis = await cache.get(document);
          const offset = document.offsetAt(position);
          const inModelValue = /^\s*model:\s*\S*$/.test(document.lineAt(position.line).text.slice(0, position.character));
          const entries = completeAt(analysis, offset, {
            customHelpers: [...new Set([...customHelpers(), ...cache.schemas.registrations.names('helper')])],
            partialNames: [...new Set([...(await partialNames(document)), ...cache.schemas.registrations.names('partial')])],
            schemaNames: cache.schemas.catalog.names(),
            ...(inModelValue ? { models: await models() } : {}),
          });
          return entries.map((e) => {
            const item = new vscode.CompletionItem(e.label, COMPLETION_KINDS[e.kind]);
            if (e.detail) item.detail = e.detail;
            if (e.documentation) item.documentation = new vscode.MarkdownString(e.documentation);
            if (e.sortText) item.sortText = e.sortText;
            if (e.insertText) item.insertText = e.snippet ? new vscode.SnippetString(e.insertText) : e.insertText;
            return item;
          });
        },
      },
      ...['{', ' ', '#', '>', '"', '/', '@', ':'],
    ),
    ...registerSchemaFeatures(cache),
    vscode.languages.registerHoverProvider(SELECTOR, {
      async provideHover(document, position) {
        const info = hoverAt(await cache.get(document), { line: position.line, character: position.character }, (file) =>
          vscode.workspace.asRelativePath(file, false),
        );
        return info ? new vscode.Hover(new vscode.MarkdownString(info.markdown), toRange(info.range)) : undefined;
      },
    }),
    vscode.languages.registerDocumentSymbolProvider(
      SELECTOR,
      {
        async provideDocumentSymbols(document) {
          return documentSymbols(await cache.get(document)).map(toSymbol);
        },
      },
      { label: 'Promptscope' },
    ),
    vscode.languages.registerFoldingRangeProvider(SELECTOR, {
      async provideFoldingRanges(document) {
        return foldingRanges(await cache.get(document)).map(
          (f) =>
            new vscode.FoldingRange(
              f.startLine,
              f.endLine,
              f.kind === 'comment' ? vscode.FoldingRangeKind.Comment : vscode.FoldingRangeKind.Region,
            ),
        );
      },
    }),
    vscode.languages.registerDocumentFormattingEditProvider(SELECTOR, {
      provideDocumentFormattingEdits(document) {
        return formatPrompt(document.getText()).map((e) =>
          vscode.TextEdit.replace(new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText),
        );
      },
    }),
  ];
}

function toSymbol(s: PromptSymbol): vscode.DocumentSymbol {
  const symbol = new vscode.DocumentSymbol(
    s.name || '(unnamed)',
    s.detail,
    SYMBOL_KINDS[s.kind],
    toRange(s.range),
    toRange(s.selectionRange),
  );
  symbol.children = s.children.map(toSymbol);
  return symbol;
}

/** Names of `_name.prompt` partials in the document's folder, as `{{> name}}` would use them. */
async function partialNames(document: vscode.TextDocument): Promise<string[]> {
  if (document.uri.scheme !== 'file') return [];
  const folder = vscode.Uri.file(path.dirname(document.uri.fsPath));
  const entries = await vscode.workspace.fs.readDirectory(folder);
  return entries
    .filter(([name, type]) => type === vscode.FileType.File && name.startsWith('_') && name.endsWith('.prompt'))
    .map(([name]) => name.slice(1, -'.prompt'.length));
}
