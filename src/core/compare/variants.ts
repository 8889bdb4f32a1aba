/**
 * Prompt variants: Dotprompt's `name.variant.prompt` files beside `name.prompt`, plus any other
 * `.prompt` files a user picks. Each becomes a row or column of the comparison grid.
 */
import * as path from 'node:path';

export interface VariantFile {
  /** `name` for the base prompt, `name.variant` for a variant, the relative path for other files. */
  id: string;
  file: string;
}

/** The stem a variant belongs to: `greet.casual.prompt` → `greet`. */
export function baseStem(file: string): string {
  const stem = path.basename(file).replace(/\.prompt$/i, '');
  const dot = stem.indexOf('.');
  return dot > 0 ? stem.slice(0, dot) : stem;
}

/**
 * The base prompt and its variants, base first, variants by name. `entries` lists the prompt's
 * folder (file names only). Works from the base or from any of its variants.
 */
export function discoverVariants(promptPath: string, entries: readonly string[]): VariantFile[] {
  const dir = path.dirname(promptPath);
  const stem = baseStem(promptPath);
  const variantName = new RegExp(`^${escapeRegex(stem)}\\.([^.]+)\\.prompt$`);
  const found: VariantFile[] = [];
  const baseName = `${stem}.prompt`;
  if (entries.includes(baseName) || path.basename(promptPath) === baseName) found.push({ id: stem, file: path.join(dir, baseName) });
  const variants = entries.filter((name) => variantName.test(name)).sort();
  for (const name of variants) found.push({ id: name.replace(/\.prompt$/, ''), file: path.join(dir, name) });
  if (!found.some((v) => path.resolve(v.file) === path.resolve(promptPath))) {
    found.unshift({ id: path.basename(promptPath).replace(/\.prompt$/i, ''), file: promptPath });
  }
  return found;
}

/**
 * Adds explicitly chosen files to a list of variants, skipping ones already in it; ids are the
 * file's path relative to `relativeTo` (without `.prompt`), made unique.
 */
export function addVariantFiles(variants: readonly VariantFile[], files: readonly string[], relativeTo: string): VariantFile[] {
  const out = [...variants];
  for (const file of files) {
    if (out.some((v) => path.resolve(v.file) === path.resolve(file))) continue;
    const base =
      path
        .relative(relativeTo, path.resolve(file))
        .split(path.sep)
        .join('/')
        .replace(/\.prompt$/i, '') || path.basename(file);
    let id = base;
    for (let n = 2; out.some((v) => v.id === id); n += 1) id = `${base}-${n}`;
    out.push({ id, file });
  }
  return out;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
