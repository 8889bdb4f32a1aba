import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import type { Log } from './log';

/**
 * A workspace that holds a copy of the extension's samples (what `npm start` serves) says so with
 * this file; it may name files to open the first time the workspace is opened.
 */
export const SAMPLES_MARKER = '.promptscope-samples.json';
const WELCOMED_KEY = 'promptscope.samplesWelcomed';
const WALKTHROUGH = 'promptscope.promptscope#learnPromptPatterns';

interface SamplesMarker {
  /** Workspace-relative files to open on the first visit. */
  open?: unknown;
  /** Open the "Learn prompt patterns" walkthrough on the first visit. */
  walkthrough?: unknown;
}

/** The first workspace folder that is a samples copy, with what its marker asks for. */
export async function samplesFolder(): Promise<{ folder: vscode.WorkspaceFolder; marker: SamplesMarker } | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const file = vscode.Uri.joinPath(folder.uri, SAMPLES_MARKER);
    const bytes = await vscode.workspace.fs.readFile(file).then(
      (b) => b,
      () => undefined,
    );
    if (!bytes) continue;
    try {
      const marker: unknown = JSON.parse(new TextDecoder().decode(bytes));
      return { folder, marker: marker && typeof marker === 'object' ? (marker as SamplesMarker) : {} };
    } catch {
      // A marker that is not JSON still marks the folder; it just asks for nothing.
      return { folder, marker: {} };
    }
  }
  return undefined;
}

/** Files the marker names, kept to plain relative paths inside the folder. */
function filesToOpen(folder: vscode.WorkspaceFolder, marker: SamplesMarker): vscode.Uri[] {
  const names = Array.isArray(marker.open) ? marker.open.filter((n): n is string => typeof n === 'string') : [];
  return names
    .map((name) => path.posix.normalize(name.replace(/\\/g, '/')))
    .filter((name) => !path.posix.isAbsolute(name) && !name.startsWith('..'))
    .map((name) => vscode.Uri.joinPath(folder.uri, name));
}

/** First visit of a samples workspace: the walkthrough, with the first sample open beside it. */
async function welcome(context: vscode.ExtensionContext, log: Log): Promise<void> {
  const samples = await samplesFolder();
  await vscode.commands.executeCommand('setContext', 'promptscope.samplesWorkspace', samples !== undefined);
  if (!samples || context.workspaceState.get<boolean>(WELCOMED_KEY)) return;
  await context.workspaceState.update(WELCOMED_KEY, true);
  // The walkthrough takes the first group (its command settles late, so it is not awaited) and the
  // samples the second, where the walkthrough's "Open the sample" links put theirs too.
  if (samples.marker.walkthrough === true) {
    void Promise.resolve(vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false)).catch((err: unknown) =>
      log.error('opening the walkthrough', err),
    );
  }
  for (const uri of filesToOpen(samples.folder, samples.marker)) {
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
        viewColumn: vscode.ViewColumn.Two,
        preview: false,
        preserveFocus: true,
      });
    } catch (err) {
      log.warn(`could not open the sample ${uri.fsPath}: ${errorMessage(err)}`);
    }
  }
}

async function filesUnder(root: vscode.Uri, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const [name, type] of await vscode.workspace.fs.readDirectory(root)) {
    const relative = prefix ? `${prefix}/${name}` : name;
    if (type === vscode.FileType.Directory) out.push(...(await filesUnder(vscode.Uri.joinPath(root, name), relative)));
    else if (type === vscode.FileType.File) out.push(relative);
  }
  return out.sort();
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Puts every sample back as the extension ships it (changed or deleted ones), after asking; unsaved
 * edits in open samples are replaced and saved so editor and disk agree. Other files are left alone.
 */
export async function resetSamples(extensionUri: vscode.Uri, log: Log): Promise<string[]> {
  const samples = await samplesFolder();
  if (!samples) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('This workspace is not a copy of the Promptscope samples (it has no {0}).', SAMPLES_MARKER),
    );
    return [];
  }
  const shipped = vscode.Uri.joinPath(extensionUri, 'samples');
  const changed: { name: string; bytes: Uint8Array; target: vscode.Uri }[] = [];
  for (const name of await filesUnder(shipped)) {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(shipped, name));
    const target = vscode.Uri.joinPath(samples.folder.uri, name);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    const current = await vscode.workspace.fs.readFile(target).then(
      (b) => b,
      () => undefined,
    );
    if (!sameBytes(current, bytes) || open?.isDirty) changed.push({ name, bytes, target });
  }
  if (changed.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The samples are as they shipped; nothing to reset.'));
    return [];
  }
  const reset = vscode.l10n.t('Reset');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'Reset {0} sample(s) to how they shipped? Your changes to them are lost: {1}',
      changed.length,
      changed.map((c) => c.name).join(', '),
    ),
    { modal: true },
    reset,
  );
  if (answer !== reset) return [];
  for (const { name, bytes, target } of changed) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    if (open?.isDirty) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(target, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), new TextDecoder().decode(bytes));
      await vscode.workspace.applyEdit(edit);
      await open.save();
    } else {
      await vscode.workspace.fs.writeFile(target, bytes);
    }
    log.info(`reset sample ${name}`);
  }
  return changed.map((c) => c.name);
}

export function registerSamples(context: vscode.ExtensionContext, log: Log): vscode.Disposable[] {
  void welcome(context, log).catch((err: unknown) => log.error('opening the samples', err));
  return [vscode.commands.registerCommand('promptscope.resetSamples', () => resetSamples(context.extensionUri, log))];
}
