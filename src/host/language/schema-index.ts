import * as path from 'node:path';
import * as vscode from 'vscode';
import { nodeFileReader } from '../../core/io/node-reader';
import { isInside } from '../../core/prompt/partials';
import { MAX_SCHEMA_FILE_BYTES, parseSchemaFile, SchemaCatalog } from '../../core/schemas/catalog';
import { DEFINITION_EXTENSIONS, findSchemaDefinitions, mayDefineSchemas } from '../../core/schemas/definitions';
import type { NamedSchema } from '../../core/schemas/named';
import { findPromptFolders, mayConfigurePromptFolder, PromptFolderCatalog } from '../../core/schemas/prompt-folders';
import { findRegistrations, mayRegister, RegistrationCatalog } from '../../core/schemas/registrations';
import { SCAN_LIMITS } from '../../core/schemas/scan-node';
import type { Log } from '../log';

const SOURCE_GLOB = `**/*.{${DEFINITION_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;

/**
 * Named schemas, registered helpers and partials, and Genkit prompt folders of the workspace's
 * code, indexed in the background:
 * analysis reads whatever is indexed so far and never waits, and `onDidChange` fires when the
 * index learns something, so open prompts are checked again. Bounded in files and bytes;
 * `files.exclude`, `node_modules` and `.git` are skipped; source files are re-read when they
 * change on disk.
 */
export class SchemaIndex implements vscode.Disposable {
  readonly catalog = new SchemaCatalog();
  /** Where the app's code puts its prompts (`promptDir`, `WithPromptDir`, `prompt_dir`). */
  readonly promptFolders = new PromptFolderCatalog();
  /** Helpers and partials the code registers (`defineHelper`, `definePartial`). */
  readonly registrations = new RegistrationCatalog();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Resolves when the first full scan is done (tests and the status of the index use it). */
  readonly ready: Promise<void>;

  constructor(private readonly log: Log) {
    const watcher = vscode.workspace.createFileSystemWatcher(SOURCE_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidChange((uri) => void this.reindex(uri)),
      watcher.onDidCreate((uri) => void this.reindex(uri)),
      watcher.onDidDelete((uri) => {
        this.forget(uri);
        this.changed.fire();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('promptscope.schemas')) void this.loadMapped().then(() => this.changed.fire());
        if (e.affectsConfiguration('files.exclude')) void this.scan().then(() => this.changed.fire());
      }),
    );
    // After activation finishes: the scan must never hold up the editor.
    this.ready = new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(() => Promise.all([this.scan(), this.loadMapped()]))
      .then(() => this.changed.fire())
      .catch((err: unknown) => this.log.error('indexing named schemas', err));
  }

  private async scan(): Promise<void> {
    const files = await vscode.workspace.findFiles(SOURCE_GLOB, excludeGlob(), SCAN_LIMITS.files);
    let bytes = 0;
    for (const uri of files) {
      if (isSkipped(uri)) continue;
      const size = (await vscode.workspace.fs.stat(uri)).size;
      if (size > SCAN_LIMITS.fileBytes) continue;
      bytes += size;
      if (bytes > SCAN_LIMITS.totalBytes) {
        this.log.info(`Named schemas: stopped indexing after ${SCAN_LIMITS.totalBytes / 1e6} MB of source files.`);
        break;
      }
      await this.read(uri);
    }
  }

  private async reindex(uri: vscode.Uri): Promise<void> {
    if (isSkipped(uri)) return;
    try {
      const size = (await vscode.workspace.fs.stat(uri)).size;
      if (size > SCAN_LIMITS.fileBytes) this.forget(uri);
      else await this.read(uri);
      this.changed.fire();
    } catch (err) {
      this.log.error(`indexing named schemas in ${uri.fsPath}`, err);
    }
  }

  private async read(uri: vscode.Uri): Promise<void> {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    this.catalog.setFile(uri.fsPath, mayDefineSchemas(text) ? findSchemaDefinitions(text, uri.fsPath) : []);
    this.registrations.setFile(uri.fsPath, mayRegister(text) ? findRegistrations(text, uri.fsPath) : []);
    const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
    const exists = (file: string): boolean => nodeFileReader.realPath?.(file) !== undefined;
    this.promptFolders.setFile(uri.fsPath, mayConfigurePromptFolder(text) ? findPromptFolders(text, uri.fsPath, root, exists) : []);
  }

  private forget(uri: vscode.Uri): void {
    this.catalog.deleteFile(uri.fsPath);
    this.registrations.deleteFile(uri.fsPath);
    this.promptFolders.deleteFile(uri.fsPath);
  }

  /** JSON Schema files mapped in `promptscope.schemas`, read only from inside their workspace folder. */
  private async loadMapped(): Promise<void> {
    const mapped: NamedSchema[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const setting = vscode.workspace.getConfiguration('promptscope', folder.uri).get<Record<string, unknown>>('schemas', {});
      for (const [name, rel] of Object.entries(setting)) {
        if (typeof rel !== 'string') continue;
        const file = path.resolve(folder.uri.fsPath, rel);
        const real = nodeFileReader.realPath?.(file);
        const root = nodeFileReader.realPath?.(folder.uri.fsPath) ?? folder.uri.fsPath;
        if (!real || !isInside(root, real)) {
          this.log.info(
            `promptscope.schemas: "${name}" → ${file} ${real ? 'is outside the workspace folder' : 'does not exist'}; not read.`,
          );
          continue;
        }
        const text = nodeFileReader.readFile(real);
        if (text === undefined || text.length > MAX_SCHEMA_FILE_BYTES) continue;
        const parsed = parseSchemaFile(name, file, text);
        if ('error' in parsed) this.log.info(`promptscope.schemas: ${parsed.error}`);
        else mapped.push(parsed);
      }
    }
    this.catalog.setMapped(mapped);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function isSkipped(uri: vscode.Uri): boolean {
  return uri.scheme !== 'file' || /[\\/](?:node_modules|\.git)[\\/]/.test(uri.fsPath);
}

/** `files.exclude` (the patterns set to true) plus `node_modules` and `.git`, as one glob. */
function excludeGlob(): string {
  const excluded = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude', {});
  const patterns = ['**/node_modules/**', '**/.git/**'];
  for (const [glob, on] of Object.entries(excluded)) {
    // A pattern naming a folder excludes what is inside it; braces cannot nest inside our group.
    if (on === true && !/[{}]/.test(glob)) patterns.push(glob, `${glob.replace(/\/+$/, '')}/**`);
  }
  return `{${patterns.join(',')}}`;
}
