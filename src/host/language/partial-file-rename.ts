import * as path from 'node:path';
import * as vscode from 'vscode';
import { partialFileRenameEdits } from '../../core/language/navigation';
import type { FileFacts } from '../../core/language/navigation-index';
import { toRange } from '../convert';
import { folderIndex } from './navigation';

const PARTIAL_FILE = /^_.+\.prompt$/i;

/**
 * File moves that a Rename request (F2 on `{{> name}}`) makes together with its own call edits:
 * the participant must not add the same edits again (the editor's documents do not show the
 * request's edits yet when it runs, so it cannot tell by their text).
 */
const madeByRenameRequest = new Set<string>();
const moveKey = (from: string, to: string): string => `${path.resolve(from)}\0${path.resolve(to)}`;

/** Tells the participant that a Rename request's edit renames `from` to `to` with its calls. */
export function renameRequestMoves(from: string, to: string): void {
  madeByRenameRequest.add(moveKey(from, to));
}

/**
 * Renaming `_name.prompt` in the Explorer (or through any workspace edit) updates every
 * `{{> name}}` that includes it, in the same undoable operation, with the Rename provider's
 * reference finding. Calls the new name cannot reach are left alone and reported.
 */
export function registerPartialFileRename(parseCache: Map<string, FileFacts>): vscode.Disposable {
  return vscode.workspace.onWillRenameFiles((event) => {
    const partials = event.files.filter(
      (f) =>
        f.oldUri.scheme === 'file' &&
        f.newUri.scheme === 'file' &&
        PARTIAL_FILE.test(path.basename(f.oldUri.fsPath)) &&
        !madeByRenameRequest.delete(moveKey(f.oldUri.fsPath, f.newUri.fsPath)),
    );
    if (partials.length > 0) event.waitUntil(callEdits(partials, parseCache));
  });
}

async function callEdits(
  files: readonly { oldUri: vscode.Uri; newUri: vscode.Uri }[],
  parseCache: Map<string, FileFacts>,
): Promise<vscode.WorkspaceEdit> {
  const edit = new vscode.WorkspaceEdit();
  for (const { oldUri, newUri } of files) {
    const folder = vscode.workspace.getWorkspaceFolder(oldUri);
    if (!folder) continue;
    const result = partialFileRenameEdits(await folderIndex(folder, parseCache), oldUri.fsPath, newUri.fsPath);
    for (const e of result.edits) edit.replace(vscode.Uri.file(e.path), toRange(e.range), e.newText);
    const first = result.stale[0];
    if (first) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          '{0} was renamed, but {1} {{> …}} reference(s) to it cannot follow it and no longer find it (first: {2}, line {3}).',
          path.basename(oldUri.fsPath),
          result.stale.length,
          vscode.workspace.asRelativePath(first.path),
          first.range.start.line + 1,
        ),
      );
    }
  }
  return edit;
}
