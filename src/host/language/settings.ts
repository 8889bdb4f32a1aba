import * as path from 'node:path';
import * as vscode from 'vscode';
import { nodeFileReader } from '../../core/io/node-reader';
import { promptRootFor, type FileReader, type PartialContext } from '../../core/prompt/partials';

export const LANGUAGE_ID = 'dotprompt';

export function customHelpers(): string[] {
  return vscode.workspace.getConfiguration('promptscope').get<string[]>('customHelpers', []);
}

/** Reads partials from open editors first (unsaved edits count), then from disk. */
export const editorAwareReader: FileReader = {
  readFile(absolutePath: string): string | undefined {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && path.resolve(d.uri.fsPath) === absolutePath);
    return open ? open.getText() : nodeFileReader.readFile(absolutePath);
  },
  realPath: (absolutePath: string) => nodeFileReader.realPath?.(absolutePath),
  listDir: (absolutePath: string) => nodeFileReader.listDir?.(absolutePath),
};

/** Where the app's code puts its prompts, as the code index knows it so far (none until it runs). */
let codePromptFolders: () => readonly string[] = () => [];

/** Lets the code index tell every partial context where the app's prompt folders are. */
export function usePromptFolders(source: () => readonly string[]): vscode.Disposable {
  codePromptFolders = source;
  return new vscode.Disposable(() => {
    if (codePromptFolders === source) codePromptFolders = () => [];
  });
}

/** Genkit's prompt folder for a prompt in `promptDir`: the app's setting, else `prompts/`. */
export function promptRootOf(promptDir: string, workspaceRoot: string): string | undefined {
  return promptRootFor(promptDir, workspaceRoot, codePromptFolders());
}

/**
 * Partials resolve inside the document's workspace folder; a file outside any workspace folder
 * is its own workspace (its folder), so nothing above it is ever read.
 */
export function partialContextFor(document: vscode.TextDocument): PartialContext | undefined {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return undefined;
  if (document.uri.scheme === 'untitled') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  const promptDir = path.dirname(document.uri.fsPath);
  const workspaceRoot = folder ? folder.uri.fsPath : promptDir;
  const configured = vscode.workspace.getConfiguration('promptscope', document.uri).get<string>('partialsFolder', '');
  const promptRoot = promptRootOf(promptDir, workspaceRoot);
  return {
    workspaceRoot,
    promptDir,
    partialsDirs: configured ? [path.resolve(workspaceRoot, configured)] : [],
    ...(promptRoot ? { promptRoot } : {}),
    reader: editorAwareReader,
  };
}
