import { readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../core/prompt/partials';
import { MAX_SCHEMA_FILE_BYTES, parseSchemaFile, SchemaCatalog } from '../core/schemas/catalog';
import type { NamedSchema } from '../core/schemas/named';
import { scanFolderForSchemas } from '../core/schemas/scan-node';
import { UsageError } from './args';

/**
 * The named schemas of a workspace for the CLI: definitions found in its source files, plus
 * `--schemas Name=file.json,…` (files inside the workspace only, symbolic links resolved).
 */
export function loadWorkspaceSchemas(
  workspaceRoot: string,
  mapping: string | undefined,
  catalog: SchemaCatalog = scanFolderForSchemas(workspaceRoot).catalog,
): SchemaCatalog {
  const mapped: NamedSchema[] = [];
  for (const entry of (mapping ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`--schemas takes Name=file.json pairs, got "${entry}"`);
    const name = entry.slice(0, eq);
    const file = path.resolve(workspaceRoot, entry.slice(eq + 1));
    let real: string;
    try {
      real = realpathSync(file);
    } catch (err) {
      throw new UsageError(`--schemas ${name}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    if (!isInside(realpathSync(workspaceRoot), real))
      throw new UsageError(`--schemas ${name}: ${file} is outside the workspace ${workspaceRoot}`);
    const text = readFileSync(real, 'utf8');
    if (text.length > MAX_SCHEMA_FILE_BYTES)
      throw new UsageError(`--schemas ${name}: ${file} is larger than ${MAX_SCHEMA_FILE_BYTES / 1e6} MB`);
    const parsed = parseSchemaFile(name, file, text);
    if ('error' in parsed) throw new UsageError(`--schemas ${name}: ${parsed.error}`);
    mapped.push(parsed);
  }
  catalog.setMapped(mapped);
  return catalog;
}
