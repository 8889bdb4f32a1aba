import * as path from 'node:path';
import Handlebars from 'handlebars';
import { analyzeFrontmatter, type FrontmatterFacts } from '../prompt/frontmatter';
import { isInside, resolvePartial, type FileReader } from '../prompt/partials';
import { layoutPrompt, templateTooLarge, type PromptLayout } from '../prompt/source';
import { analyzeTemplate, type PartialRef, type TemplateFacts } from '../prompt/template';
import { LineIndex, type Range } from '../text/positions';

/** What navigation may see: one workspace folder, its prompt files and a way to read them. */
export interface NavigationWorkspace {
  /** Absolute path of the workspace folder; nothing outside it is read or edited. */
  root: string;
  /** Extra partial folders (absolute), as in the analyzer's partial context. */
  partialsDirs: readonly string[];
  /** Reads texts: open editors first, then disk (the host decides). */
  reader: FileReader;
  /** Absolute paths of the workspace's `.prompt` files, already filtered by the editor's excludes. */
  files: readonly string[];
  /**
   * Genkit's prompt folder for a prompt's folder (the app's `promptDir`, else `prompts/`), as in
   * the analyzer's partial context: partials anywhere below it resolve, and prompts are named
   * by their path inside it.
   */
  promptRootOf?: (promptDir: string) => string | undefined;
}

/** One `{{> name}}` (or `{{#> name}}…{{/name}}`) of a file, with what navigation needs of it. */
export interface PartialCall {
  ref: PartialRef;
  /** The partial file it resolves to, when it resolves inside the workspace. */
  target?: string;
  /** Where the name is written: the opening tag, and the closing tag of a partial block. */
  nameRanges: Range[];
  /** Where the last path segment of the name is written (what a rename replaces). */
  baseRanges: Range[];
  /** `{{> name other}}` renders the partial with another context, so its variables are not the caller's. */
  hasContextArgument: boolean;
  /** Names set by the call's hash (`{{> name key=value}}`): inside the partial they come from the call. */
  hashKeys: ReadonlySet<string>;
  /** Where each hash key is written (`key` in `key=value`). */
  hashKeyRanges: ReadonlyMap<string, Range>;
  /** Inside an `each`/`with` (or another context-changing block): the partial sees that context. */
  scoped: boolean;
}

export interface FileFacts {
  path: string;
  text: string;
  layout: PromptLayout;
  template: TemplateFacts;
  frontmatter: FrontmatterFacts;
  calls: PartialCall[];
}

/** Parsed facts of every prompt file of one workspace, computed on demand and kept for one request. */
export class NavigationIndex {
  private readonly facts = new Map<string, FileFacts | null>();
  private readonly root: string;
  private fileList: string[] | undefined;
  private callers: Map<string, { file: FileFacts; call: PartialCall }[]> | undefined;

  /**
   * @param parseCache parsed files by path, shared between requests by the host; entries are
   *   reused only while the file's text is unchanged.
   */
  constructor(
    readonly workspace: NavigationWorkspace,
    private readonly parseCache?: Map<string, FileFacts>,
  ) {
    this.root = path.resolve(workspace.root);
  }

  /** Whether navigation may read or edit this path: inside the workspace and not in node_modules. */
  allowed(file: string): boolean {
    const resolved = path.resolve(file);
    if (!isInside(this.root, resolved)) return false;
    return !path.relative(this.root, resolved).split(path.sep).includes('node_modules');
  }

  /** The files navigation searches, without duplicates and without anything it may not touch. */
  files(): string[] {
    this.fileList ??= [...new Set(this.workspace.files.map((f) => path.resolve(f)))].filter((f) => this.allowed(f));
    return this.fileList;
  }

  get(file: string): FileFacts | undefined {
    const cached = this.facts.get(file);
    if (cached !== undefined) return cached ?? undefined;
    const key = path.resolve(file);
    if (this.facts.has(key)) return this.facts.get(key) ?? undefined;
    const text = this.allowed(key) ? this.workspace.reader.readFile(key) : undefined;
    const facts = text === undefined ? undefined : this.withTargets(this.parsed(key, text));
    this.facts.set(key, facts ?? null);
    return facts;
  }

  /** Every call in the workspace that resolves to `target`, with the file that makes it. */
  callsTo(target: string): { file: FileFacts; call: PartialCall }[] {
    if (!this.callers) {
      // Built once: every workspace file is parsed anyway to answer the first question.
      this.callers = new Map();
      for (const f of this.files()) {
        const facts = this.get(f);
        for (const call of facts?.calls ?? []) {
          if (!call.target) continue;
          const list = this.callers.get(call.target) ?? [];
          list.push({ file: facts!, call });
          this.callers.set(call.target, list);
        }
      }
    }
    return this.callers.get(path.resolve(target)) ?? [];
  }

  /** Resolves a partial name as the analyzer does, from the folder of `fromFile`. */
  resolve(name: string, fromFile: string, reader: FileReader = this.workspace.reader): string | undefined {
    const promptRoot = this.workspace.promptRootOf?.(path.dirname(fromFile));
    const res = resolvePartial(name, {
      workspaceRoot: this.root,
      promptDir: path.dirname(fromFile),
      partialsDirs: this.workspace.partialsDirs,
      ...(promptRoot ? { promptRoot } : {}),
      reader,
    });
    return res.kind === 'found' && this.allowed(res.path) ? path.resolve(res.path) : undefined;
  }

  /** Parsing depends on the text only, so it is reused across requests while the text is the same. */
  private parsed(file: string, text: string): FileFacts {
    const prior = this.parseCache?.get(file);
    if (prior && prior.text === text) return prior;
    const facts = this.parse(file, text);
    this.parseCache?.set(file, facts);
    return facts;
  }

  /** Where calls lead depends on which files exist now, so targets are resolved per index. */
  private withTargets(facts: FileFacts): FileFacts {
    const calls = facts.calls.map(({ target: _stale, ...call }) => {
      const target = this.resolve(call.ref.name, facts.path);
      return target ? { ...call, target } : call;
    });
    return { ...facts, calls };
  }

  private parse(file: string, text: string): FileFacts {
    const layout = layoutPrompt(text);
    const template: TemplateFacts = templateTooLarge(layout)
      ? { variables: [], helpers: [], partials: [], blocks: [], markers: [], comments: [] }
      : analyzeTemplate(layout);
    const frontmatter = analyzeFrontmatter(layout);
    const calls = template.partials.filter((ref) => !ref.dynamic).map((ref) => this.describeCall(layout, template, ref));
    return { path: file, text, layout, template, frontmatter, calls };
  }

  private describeCall(layout: PromptLayout, template: TemplateFacts, ref: PartialRef): PartialCall {
    const start = layout.lines.offsetAt(ref.range.start);
    const end = layout.lines.offsetAt(ref.range.end);
    const statement = layout.text.slice(start, end);
    const nameRanges: Range[] = [];
    const baseRanges: Range[] = [];
    const addName = (offset: number, written: string): void => {
      if (written !== ref.name) return;
      nameRanges.push(layout.lines.range(start + offset, start + offset + written.length));
      const base = written.lastIndexOf('/') + 1;
      baseRanges.push(layout.lines.range(start + offset + base, start + offset + written.length));
    };
    const open = /^\{\{~?\s*(#?)\s*>\s*(["']?)/.exec(statement);
    if (open) {
      const nameStart = open[0].length;
      const rest = statement.slice(nameStart);
      const written = open[2] ? rest.slice(0, Math.max(0, rest.indexOf(open[2]))) : (/^[^\s}~()"'=]+/.exec(rest)?.[0] ?? '');
      addName(nameStart, written);
      // A partial block names the partial again in its closing tag: `{{/name}}`.
      const close = open[1] ? /\{\{~?\s*\/\s*([^\s}~]+)\s*~?\}\}$/.exec(statement) : null;
      if (close) addName(close.index + close[0].lastIndexOf(close[1]!), close[1]!);
    }
    const { hasContextArgument, hashKeys } = callArguments(statement);
    const statementLines = new LineIndex(statement);
    const hashKeyRanges = new Map<string, Range>();
    for (const [key, loc] of hashKeys) {
      const at = start + statementLines.offsetAt({ line: loc.line - 1, character: loc.column });
      if (layout.text.startsWith(key, at)) hashKeyRanges.set(key, layout.lines.range(at, at + key.length));
    }
    return {
      ref,
      nameRanges,
      baseRanges,
      hasContextArgument,
      hashKeys: new Set(hashKeys.keys()),
      hashKeyRanges,
      scoped: isScoped(template, ref.range),
    };
  }
}

/** Reads the call's context argument and hash keys by parsing the statement on its own. */
function callArguments(statement: string): { hasContextArgument: boolean; hashKeys: Map<string, hbs.AST.Position> } {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parseWithoutProcessing(statement);
  } catch {
    // The statement parsed inside its file; alone it can only fail for exotic input. Treat the
    // call as one that changes the context, so nothing is linked through it.
    return { hasContextArgument: true, hashKeys: new Map() };
  }
  const node = program.body.find((s) => s.type === 'PartialStatement' || s.type === 'PartialBlockStatement') as
    hbs.AST.PartialStatement | undefined;
  if (!node) return { hasContextArgument: true, hashKeys: new Map() };
  return { hasContextArgument: node.params.length > 0, hashKeys: new Map((node.hash?.pairs ?? []).map((p) => [p.key, p.loc.start])) };
}

const NON_SCOPING_BLOCKS = new Set(['if', 'unless', 'ifEquals', 'unlessEquals']);

/** Mirrors the analyzer's rule for blocks that change the context, for a partial statement. */
function isScoped(template: TemplateFacts, range: Range): boolean {
  return template.blocks.some((b) => {
    if (!strictlyContains(b.range, range)) return false;
    if (b.name === 'each' || b.name === 'with' || b.name.startsWith('> ')) return true;
    return !NON_SCOPING_BLOCKS.has(b.name) && b.params.length === 0;
  });
}

function strictlyContains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']): number => a.line - b.line || a.character - b.character;
  return (
    before(outer.start, inner.start) <= 0 &&
    before(inner.end, outer.end) <= 0 &&
    (before(outer.start, inner.start) !== 0 || before(inner.end, outer.end) !== 0)
  );
}
