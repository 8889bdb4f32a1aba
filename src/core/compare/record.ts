/**
 * Saved comparisons. A record is the grid's result as JSON (`<id>.comparison.json`), beside the
 * run history whose runs its cells name by `runId`, so reopening shows the same grid and each
 * cell's tokens and probabilities can be read back from the run history.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComparisonResult } from './grid';

export const COMPARISON_RECORD_VERSION = 1;
const SUFFIX = '.comparison.json';

export interface ComparisonRecord extends ComparisonResult {
  type: 'comparison';
  version: number;
}

export interface ComparisonListing {
  id: string;
  startedAt: string;
  file: string;
  models: string[];
  variants: string[];
  cases: number;
  samples: number;
  status: ComparisonResult['status'];
}

export class ComparisonRecordError extends Error {
  override name = 'ComparisonRecordError';
}

export function toRecord(result: ComparisonResult): ComparisonRecord {
  return { type: 'comparison', version: COMPARISON_RECORD_VERSION, ...result };
}

/** Reads a record from JSON text, checking the shape it needs to be shown again. */
export function parseRecord(text: string, where = 'comparison record'): ComparisonRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ComparisonRecordError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const r = value as Partial<ComparisonRecord> | null;
  if (r === null || typeof r !== 'object' || r.type !== 'comparison')
    throw new ComparisonRecordError(`${where} is not a comparison record`);
  if (typeof r.version !== 'number' || r.version > COMPARISON_RECORD_VERSION) {
    throw new ComparisonRecordError(`${where} was written by a newer Promptscope (record version ${String(r.version)})`);
  }
  for (const key of ['columns', 'cases', 'cells', 'models', 'variants'] as const) {
    if (!Array.isArray(r[key])) throw new ComparisonRecordError(`${where} has no ${key} list`);
  }
  if (typeof r.id !== 'string' || typeof r.file !== 'string') throw new ComparisonRecordError(`${where} has no id or file`);
  return r as ComparisonRecord;
}

export class ComparisonStore {
  constructor(readonly folder: string) {}

  async save(result: ComparisonResult): Promise<string> {
    assertId(result.id);
    await mkdir(this.folder, { recursive: true });
    const target = this.path(result.id);
    const temp = `${target}.tmp`;
    await writeFile(temp, JSON.stringify(toRecord(result)));
    await rename(temp, target);
    return target;
  }

  async load(id: string): Promise<ComparisonRecord> {
    assertId(id);
    let text: string;
    try {
      text = await readFile(this.path(id), 'utf8');
    } catch (error) {
      throw new ComparisonRecordError(`Comparison ${id} is not in ${this.folder}: ${(error as Error).message}`);
    }
    return parseRecord(text, `Comparison ${id}`);
  }

  /** Newest first; unreadable records are skipped and named to `onUnreadable`. */
  async list(onUnreadable?: (id: string, error: unknown) => void): Promise<ComparisonListing[]> {
    let names: string[];
    try {
      names = (await readdir(this.folder))
        .filter((n) => n.endsWith(SUFFIX))
        .sort()
        .reverse();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: ComparisonListing[] = [];
    for (const name of names) {
      try {
        const r = await this.load(name.slice(0, -SUFFIX.length));
        out.push({
          id: r.id,
          startedAt: r.startedAt,
          file: r.file,
          models: r.models,
          variants: r.variants.map((v) => v.id),
          cases: r.cases.length,
          samples: r.samples,
          status: r.status,
        });
      } catch (err) {
        // A record cut short by a crash or written by a newer version: not listed, but reported.
        onUnreadable?.(name.slice(0, -SUFFIX.length), err);
      }
    }
    return out;
  }

  async delete(id: string): Promise<void> {
    assertId(id);
    await rm(this.path(id), { force: true });
  }

  private path(id: string): string {
    return join(this.folder, `${id}${SUFFIX}`);
  }
}

function assertId(id: string): void {
  if (!/^[0-9A-Za-z-]+$/.test(id)) throw new ComparisonRecordError(`"${id}" is not a comparison id`);
}
