/**
 * Genkit's prompt folder as the app configures it in code: JS/TS `genkit({ promptDir: './llm' })`,
 * Go `genkit.WithPromptDir("prompts")` / `genkit.LoadPromptDir(g, "dir", ns)`, Python
 * `Genkit(prompt_dir=…)`. Genkit loads every `.prompt` below that folder, names prompts by their
 * path inside it and registers every `_name.prompt` below it as the partial `name`; without a
 * setting the folder is `prompts` in the working folder.
 */
import * as path from 'node:path';
import { LineIndex } from '../text/positions';
import { languageOf } from './definitions';

/** One prompt-folder setting found in a source file. */
export interface PromptFolderSetting {
  /** The expression as written, e.g. `'./llm'` or `Path(__file__).parent / 'prompts'`. */
  written: string;
  /**
   * What the path is relative to: `cwd` is the process's working folder (taken to be the
   * project root), `file` the source file's own folder (`__dirname`, `Path(__file__).parent`,
   * an embedded Go file system).
   */
  base: 'cwd' | 'file';
  /** Path segments joined to the base. */
  segments: string[];
  /** Zero-based position of the setting in the file. */
  line: number;
  character: number;
  /** The call or key that sets it, e.g. `promptDir`, `genkit.WithPromptDir`, `prompt_dir`. */
  form: string;
}

/** A prompt folder resolved to an absolute path, with where the app sets it. */
export interface PromptFolder {
  folder: string;
  file: string;
  line: number;
  character: number;
  form: string;
}

/** A quick test before the full scan: files without any of these cannot set a prompt folder. */
export function mayConfigurePromptFolder(text: string): boolean {
  return text.includes('romptDir') || text.includes('prompt_dir');
}

const STRING = String.raw`(?:"([^"\\\n]*)"|'([^'\\\n]*)'|\x60([^\x60\\$\n]*)\x60)`;
const STRINGS = String.raw`((?:\s*,\s*${STRING})*)`;
const GO_STRING = String.raw`(?:"([^"\\\n]*)"|\x60([^\x60\n]*)\x60)`;

/** The string literals of a comma-separated list, in order. */
function literals(list: string): string[] {
  return [...list.matchAll(new RegExp(STRING, 'g'))].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

interface Pattern {
  regex: RegExp;
  read(m: RegExpMatchArray, text: string): { base: 'cwd' | 'file'; segments: string[]; form: string } | undefined;
}

const first = (m: RegExpMatchArray, from: number): string | undefined => m.slice(from).find((g) => g !== undefined);

const PATTERNS: Readonly<Record<'js' | 'go' | 'python', readonly Pattern[]>> = {
  js: [
    {
      regex: new RegExp(String.raw`\bpromptDir\s*:\s*${STRING}`, 'g'),
      read: (m) => ({ base: 'cwd', segments: [first(m, 1) ?? ''], form: 'promptDir' }),
    },
    {
      // `path.join(__dirname, 'prompts')`, `resolve(import.meta.dirname, '..', 'prompts')`
      regex: new RegExp(
        String.raw`\bpromptDir\s*:\s*(?:\w+\s*\.\s*)?(?:join|resolve)\s*\(\s*(?:__dirname|import\.meta\.dirname)${STRINGS}\s*,?\s*\)`,
        'g',
      ),
      read: (m) => ({ base: 'file', segments: literals(m[1] ?? ''), form: 'promptDir' }),
    },
  ],
  go: [
    {
      // With `WithPromptFS`, the folder is a path inside the embedded file system, which Go
      // roots at the package's folder.
      regex: new RegExp(String.raw`\b(\w+)\.(WithPromptDir)\s*\(\s*${GO_STRING}\s*\)`, 'g'),
      read: (m, text) => ({
        base: /\bWithPromptFS\s*\(/.test(text) ? 'file' : 'cwd',
        segments: [first(m, 3) ?? ''],
        form: `${m[1]}.${m[2]}`,
      }),
    },
    {
      regex: new RegExp(String.raw`\b(\w+)\.(LoadPromptDir)\s*\(\s*[\w.&]+\s*,\s*${GO_STRING}`, 'g'),
      read: (m) => ({ base: 'cwd', segments: [first(m, 3) ?? ''], form: `${m[1]}.${m[2]}` }),
    },
    {
      regex: new RegExp(String.raw`\b(\w+)\.(LoadPromptDirFromFS)\s*\(\s*[\w.&]+\s*,\s*[\w.&]+\s*,\s*${GO_STRING}`, 'g'),
      read: (m) => ({ base: 'file', segments: [first(m, 3) ?? ''], form: `${m[1]}.${m[2]}` }),
    },
  ],
  python: [
    {
      regex: new RegExp(String.raw`\bprompt_dir\s*=\s*(?:Path\s*\(\s*)?${STRING}`, 'g'),
      read: (m) => ({ base: 'cwd', segments: [first(m, 1) ?? ''], form: 'prompt_dir' }),
    },
    {
      // `Path(__file__).resolve().parent.parent / 'prompts'`: each `.parent` climbs one folder.
      regex: new RegExp(
        String.raw`\bprompt_dir\s*=\s*Path\s*\(\s*__file__\s*\)((?:\s*\.\s*(?:resolve|absolute)\s*\(\s*\)|\s*\.\s*parent\b)*)((?:\s*/\s*${STRING})*)`,
        'g',
      ),
      read: (m) => {
        const parents = (m[1] ?? '').match(/\bparent\b/g)?.length ?? 0;
        if (parents === 0) return undefined;
        return { base: 'file', segments: [...Array<string>(parents - 1).fill('..'), ...literals(m[2] ?? '')], form: 'prompt_dir' };
      },
    },
    {
      // `os.path.join(os.path.dirname(os.path.abspath(__file__)), 'prompts')`
      regex: new RegExp(
        String.raw`\bprompt_dir\s*=\s*os\.path\.join\s*\(\s*os\.path\.dirname\s*\(\s*(?:os\.path\.(?:abspath|realpath)\s*\(\s*__file__\s*\)|__file__)\s*\)${STRINGS}\s*\)`,
        'g',
      ),
      read: (m) => ({ base: 'file', segments: literals(m[1] ?? ''), form: 'prompt_dir' }),
    },
  ],
};

/** Finds the prompt-folder settings of a source file, with where each is written. */
export function findPromptFolderSettings(text: string, fileName: string): PromptFolderSetting[] {
  const language = languageOf(fileName);
  if (!language || !mayConfigurePromptFolder(text)) return [];
  const lines = new LineIndex(text);
  const found: PromptFolderSetting[] = [];
  for (const pattern of PATTERNS[language]) {
    for (const m of text.matchAll(pattern.regex)) {
      const read = pattern.read(m, text);
      // An empty folder means "the default" in every SDK.
      if (!read || read.segments.length === 0 || read.segments.every((s) => s === '')) continue;
      const pos = lines.positionAt(m.index);
      found.push({ written: m[0], ...read, line: pos.line, character: pos.character });
    }
  }
  return found.sort((a, b) => a.line - b.line || a.character - b.character);
}

/** Files that mark a project's root, where its app is started from. */
const PROJECT_MARKERS = ['package.json', 'deno.json', 'go.mod', 'pyproject.toml', 'setup.py', 'requirements.txt', 'pubspec.yaml'];

/**
 * The folder an app is started from, for paths relative to the working folder: the nearest
 * folder above the source file with a project file (`package.json`, `go.mod`, `pyproject.toml`, …),
 * else the workspace folder.
 */
export function projectRootFor(sourceFile: string, workspaceRoot: string, exists: (file: string) => boolean): string {
  const root = path.resolve(workspaceRoot);
  for (let dir = path.dirname(path.resolve(sourceFile)); ; dir = path.dirname(dir)) {
    const rel = path.relative(root, dir);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return root;
    if (PROJECT_MARKERS.some((m) => exists(path.join(dir, m)))) return dir;
    if (rel === '') return root;
  }
}

/** The prompt folders a source file sets, as absolute paths. */
export function findPromptFolders(
  text: string,
  sourceFile: string,
  workspaceRoot: string,
  exists: (file: string) => boolean,
): PromptFolder[] {
  const settings = findPromptFolderSettings(text, sourceFile);
  if (settings.length === 0) return [];
  const projectRoot = settings.some((s) => s.base === 'cwd') ? projectRootFor(sourceFile, workspaceRoot, exists) : '';
  return settings.map((s) => ({
    folder: path.resolve(s.base === 'file' ? path.dirname(path.resolve(sourceFile)) : projectRoot, ...s.segments),
    file: sourceFile,
    line: s.line,
    character: s.character,
    form: s.form,
  }));
}

/** The prompt folders of a workspace, by the source file that sets them (a changed file replaces its own). */
export class PromptFolderCatalog {
  private readonly byFile = new Map<string, PromptFolder[]>();

  setFile(file: string, folders: PromptFolder[]): void {
    if (folders.length > 0) this.byFile.set(file, folders);
    else this.byFile.delete(file);
  }

  deleteFile(file: string): void {
    this.byFile.delete(file);
  }

  /** Every folder, without duplicates, in a stable order. */
  folders(): string[] {
    return [...new Set([...this.byFile.values()].flat().map((f) => f.folder))].sort();
  }

  /** Where each folder is set, for hover and logs. */
  settings(): PromptFolder[] {
    return [...this.byFile.values()].flat();
  }
}
