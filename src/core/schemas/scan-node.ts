import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { SchemaCatalog } from './catalog';
import { DEFINITION_EXTENSIONS, findSchemaDefinitions, mayDefineSchemas } from './definitions';
import { findPromptFolders, mayConfigurePromptFolder, PromptFolderCatalog } from './prompt-folders';
import { findRegistrations, mayRegister, RegistrationCatalog } from './registrations';

/** How much of a workspace the scan reads at most; beyond that, names are simply not found. */
export const SCAN_LIMITS = { files: 5_000, fileBytes: 512_000, totalBytes: 32_000_000, depth: 12, entries: 200_000 } as const;
const SKIPPED = new Set(['node_modules', '.git']);

export interface ScanReport {
  filesRead: number;
  /** Why the scan stopped early, when it did. */
  truncated?: string;
}

export interface ScanResult {
  catalog: SchemaCatalog;
  /** Genkit prompt folders the code sets (`promptDir`, `WithPromptDir`, `prompt_dir`). */
  promptFolders: PromptFolderCatalog;
  /** Helpers and partials the code registers (`defineHelper`, `definePartial`). */
  registrations: RegistrationCatalog;
  report: ScanReport;
}

/**
 * Finds schema definitions, registered helpers and partials, and prompt-folder settings in a folder's source files (for the CLI;
 * the editor uses VS Code's file search, which also honours `files.exclude`). Symbolic links
 * are not followed.
 */
export function scanFolderForSchemas(root: string, catalog: SchemaCatalog = new SchemaCatalog()): ScanResult {
  const promptFolders = new PromptFolderCatalog();
  const registrations = new RegistrationCatalog();
  const report: ScanReport = { filesRead: 0 };
  let bytes = 0;
  // Folder entries seen: a huge tree without source files (a home folder) must end the scan too.
  let entriesSeen = 0;
  let level = [root];
  for (let depth = 0; depth <= SCAN_LIMITS.depth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        // An unreadable folder is skipped like one outside the scan; the rest still counts.
        report.truncated = `could not read ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
        continue;
      }
      entriesSeen += entries.length;
      if (entriesSeen > SCAN_LIMITS.entries)
        return {
          catalog,
          promptFolders,
          registrations,
          report: { ...report, truncated: `more than ${SCAN_LIMITS.entries} folder entries` },
        };
      for (const e of entries) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIPPED.has(e.name)) next.push(full);
          continue;
        }
        if (!e.isFile() || !DEFINITION_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) continue;
        if (report.filesRead >= SCAN_LIMITS.files)
          return { catalog, promptFolders, registrations, report: { ...report, truncated: `more than ${SCAN_LIMITS.files} source files` } };
        const size = statSync(full).size;
        if (size > SCAN_LIMITS.fileBytes) continue;
        if (bytes + size > SCAN_LIMITS.totalBytes)
          return {
            catalog,
            promptFolders,
            registrations,
            report: { ...report, truncated: `more than ${SCAN_LIMITS.totalBytes / 1e6} MB of source` },
          };
        bytes += size;
        report.filesRead++;
        const text = readFileSync(full, 'utf8');
        if (mayDefineSchemas(text)) catalog.setFile(full, findSchemaDefinitions(text, full));
        if (mayRegister(text)) registrations.setFile(full, findRegistrations(text, full));
        if (mayConfigurePromptFolder(text)) promptFolders.setFile(full, findPromptFolders(text, full, root, existsSync));
      }
    }
    level = next;
  }
  return { catalog, promptFolders, registrations, report };
}
