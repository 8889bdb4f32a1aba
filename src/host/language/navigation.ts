import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  definitionsAt,
  mediaLinks,
  NavigationIndex,
  prepareRenameAt,
  referencesAt,
  renameAt,
  workspaceSymbols,
  type FileLocation,
  type RenameRefusal,
} from '../../core/language/navigation';
import type { FileFacts } from '../../core/language/navigation-index';
import { toRange } from '../convert';
import { registerPartialFileRename, renameRequestMoves } from './partial-file-rename';
import { customHelpers, editorAwareReader, LANGUAGE_ID, partialContextFor, promptRootOf } from './settings';

const SELECTOR: vscode.DocumentSelector = [{ language: LANGUAGE_ID, scheme: 'file' }];

/** More prompt files than this in one folder are not searched (the editor stays responsive). */
const MAX_FILES = 20_000;

/**
 * Go to Definition, Find All References and Rename for partials and inputs, workspace symbols
 * for prompts, and links for local media paths. Every request reads the workspace afresh
 * (open editors first, so unsaved edits count); `files.exclude` applies to the file search.
 */
export function registerNavigationProviders(): vscode.Disposable[] {
  // Parsed files, reused while their text is unchanged (a workspace of a thousand prompts is
  // otherwise parsed again on every request).
  const parseCache = new Map<string, FileFacts>();
  const indexFor = (document: vscode.TextDocument): Promise<NavigationIndex | undefined> => documentIndex(document, parseCache);
  return [
    vscode.languages.registerDefinitionProvider(SELECTOR, {
      async provideDefinition(document, position) {
        const index = await indexFor(document);
        return index ? definitionsAt(index, document.uri.fsPath, position).map(toLocation) : undefined;
      },
    }),
    vscode.languages.registerReferenceProvider(SELECTOR, {
      async provideReferences(document, position, context) {
        const index = await indexFor(document);
        return index ? referencesAt(index, document.uri.fsPath, position, context.includeDeclaration).map(toLocation) : undefined;
      },
    }),
    vscode.languages.registerRenameProvider(SELECTOR, {
      async prepareRename(document, position) {
        const index = await indexFor(document);
        if (!index) throw new Error(vscode.l10n.t('Rename works on saved .prompt files inside a workspace folder.'));
        const result = prepareRenameAt(index, document.uri.fsPath, position);
        if ('error' in result) throw new Error(refusalMessage(result));
        return { range: toRange(result.range), placeholder: result.placeholder };
      },
      async provideRenameEdits(document, position, newName) {
        const index = await indexFor(document);
        if (!index) throw new Error(vscode.l10n.t('Rename works on saved .prompt files inside a workspace folder.'));
        const result = renameAt(index, document.uri.fsPath, position, newName.trim(), customHelpers());
        if ('error' in result) throw new Error(refusalMessage(result));
        const edit = new vscode.WorkspaceEdit();
        for (const e of result.edits) edit.replace(vscode.Uri.file(e.path), toRange(e.range), e.newText);
        // Text edits first, then the file move, so an edit inside the partial itself still finds it.
        if (result.renameFile) {
          edit.renameFile(vscode.Uri.file(result.renameFile.from), vscode.Uri.file(result.renameFile.to), { overwrite: false });
          renameRequestMoves(result.renameFile.from, result.renameFile.to);
        }
        return edit;
      },
    }),
    vscode.languages.registerWorkspaceSymbolProvider({
      async provideWorkspaceSymbols(query) {
        const out: vscode.SymbolInformation[] = [];
        for (const folder of vscode.workspace.workspaceFolders ?? []) {
          if (folder.uri.scheme !== 'file') continue;
          for (const s of workspaceSymbols(await folderIndex(folder, parseCache), query)) {
            const name = s.variant ? `${s.name}.${s.variant}` : s.name;
            const kind = s.kind === 'partial' ? vscode.SymbolKind.Module : vscode.SymbolKind.Function;
            const container = s.detail || path.relative(folder.uri.fsPath, s.location.path);
            out.push(new vscode.SymbolInformation(name, kind, container, toLocation(s.location)));
          }
        }
        return out;
      },
    }),
    registerPartialFileRename(parseCache),
    vscode.languages.registerDocumentLinkProvider(SELECTOR, {
      provideDocumentLinks(document) {
        const ctx = partialContextFor(document);
        if (!ctx) return [];
        const index = new NavigationIndex({
          root: ctx.workspaceRoot,
          partialsDirs: ctx.partialsDirs,
          reader: ctx.reader,
          files: [document.uri.fsPath],
        });
        return mediaLinks(index, document.uri.fsPath).map((l) => {
          const link = new vscode.DocumentLink(toRange(l.range), vscode.Uri.file(l.target));
          link.tooltip = vscode.l10n.t('Open {0}', path.relative(ctx.workspaceRoot, l.target));
          return link;
        });
      },
    }),
  ];
}

/** The document's workspace folder (or its own folder when it is in none), with its prompt files. */
async function documentIndex(document: vscode.TextDocument, parseCache: Map<string, FileFacts>): Promise<NavigationIndex | undefined> {
  const ctx = partialContextFor(document);
  if (!ctx) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  const files = folder ? await promptFiles(folder) : [];
  return new NavigationIndex(
    {
      root: ctx.workspaceRoot,
      partialsDirs: ctx.partialsDirs,
      reader: ctx.reader,
      files: [...files, document.uri.fsPath],
      promptRootOf: (dir) => promptRootOf(dir, ctx.workspaceRoot),
    },
    parseCache,
  );
}

/** The index of one workspace folder's prompt files (also used when a partial file is renamed). */
export async function folderIndex(folder: vscode.WorkspaceFolder, parseCache: Map<string, FileFacts>): Promise<NavigationIndex> {
  const configured = vscode.workspace.getConfiguration('promptscope', folder.uri).get<string>('partialsFolder', '');
  return new NavigationIndex(
    {
      root: folder.uri.fsPath,
      partialsDirs: configured ? [path.resolve(folder.uri.fsPath, configured)] : [],
      reader: editorAwareReader,
      files: await promptFiles(folder),
      promptRootOf: (dir) => promptRootOf(dir, folder.uri.fsPath),
    },
    parseCache,
  );
}

/** `.prompt` files of a folder; leaving the exclude argument undefined applies `files.exclude`. */
async function promptFiles(folder: vscode.WorkspaceFolder): Promise<string[]> {
  const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.prompt'), undefined, MAX_FILES);
  return uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
}

function toLocation(l: FileLocation): vscode.Location {
  return new vscode.Location(vscode.Uri.file(l.path), toRange(l.range));
}

function refusalMessage(r: RenameRefusal): string {
  const [a = '', b = '', c = ''] = r.args;
  switch (r.code) {
    case 'outside-workspace':
      return vscode.l10n.t('This file is outside the workspace (or in node_modules): Promptscope does not rename there.');
    case 'unresolved-partial':
      return vscode.l10n.t('Partial "{0}" does not resolve to a file in this workspace, so there is nothing to rename.', a);
    case 'builtin-helper':
      return vscode.l10n.t('"{0}" is a helper defined by {1}; its name cannot be renamed.', a, b);
    case 'application-helper':
      return vscode.l10n.t('"{0}" is a helper registered by the application; its name cannot be renamed here.', a);
    case 'dynamic-partial':
      return vscode.l10n.t('This partial name is computed when the prompt renders, so it cannot be renamed.');
    case 'data-variable':
      return vscode.l10n.t('"{0}" is a data variable set by Handlebars (such as @index, @key or @root); it cannot be renamed.', a);
    case 'scoped-variable':
      return vscode.l10n.t(
        '"{0}" is a field of the current each/with context, not an input; rename the field where the data is defined.',
        a,
      );
    case 'whole-context':
      return vscode.l10n.t('"{0}" is the current context itself; there is no name to rename.', a);
    case 'literal':
      return vscode.l10n.t('{0} is a literal value, not a name; only partials and input variables can be renamed.', a);
    case 'nothing-to-rename':
      return vscode.l10n.t('Only partial names ({{> name}}) and input variables (input.schema keys and their uses) can be renamed.');
    case 'bad-partial-name':
      return vscode.l10n.t('"{0}" is not a usable partial name: use letters, digits, "_", "-" or "." (the folder stays the same).', a);
    case 'partial-outside':
      return vscode.l10n.t('The new file {0} would be outside the workspace.', a);
    case 'partial-exists':
      return vscode.l10n.t('A partial file already exists at {0}; renaming would overwrite it.', a);
    case 'partial-uneditable':
      return vscode.l10n.t('The partial name at {0}:{1} is written in a form Promptscope cannot edit safely; nothing was renamed.', a, b);
    case 'partial-shadowed':
      return vscode.l10n.t(
        'After the rename, {{> {0}}} in {1} would resolve to {2} instead of the renamed partial; nothing was renamed.',
        a,
        b,
        c,
      );
    case 'bad-input-name':
      return vscode.l10n.t('"{0}" is not a usable input name: start with a letter or "_", then letters, digits, "_" or "-".', a);
    case 'helper-name':
      return vscode.l10n.t('"{0}" is a helper name; {{{0}}} would call the helper instead of reading the input.', a);
    case 'input-declared':
      return vscode.l10n.t('{0} already declares an input "{1}"; renaming would merge two inputs, so nothing was renamed.', a, b);
    case 'input-used':
      return vscode.l10n.t('{0} already uses a variable "{1}"; renaming would merge two inputs, so nothing was renamed.', a, b);
  }
}
