// Architecture rules, read from the source with the TypeScript parser (no type checking):
// src/core never reaches `vscode` or the DOM; src/webview never reaches `vscode` or Node's
// modules, directly or through what it imports; no source file grows past 400 lines.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';

const SRC = path.resolve(__dirname, '..', '..', 'src');
// Files stay readable in one sitting; a file that grows past this is split by responsibility.
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory()
      ? sourceFiles(full)
      : /\.(ts|tsx|mts|cts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')
        ? [full]
        : [];
  });
}
const rel = (file: string): string => path.relative(path.dirname(SRC), file);

interface ModuleRef {
  specifier: string;
  line: number;
  typeOnly: boolean;
}
const parsed = new Map<string, ts.SourceFile>();
function parse(file: string): ts.SourceFile {
  let sf = parsed.get(file);
  if (!sf) {
    sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    parsed.set(file, sf);
  }
  return sf;
}

/** Every module a file refers to: import/export declarations, `require()` and `import()`. */
function moduleRefs(file: string): ModuleRef[] {
  const sf = parse(file);
  const refs: ModuleRef[] = [];
  const add = (lit: ts.Node, typeOnly: boolean): void => {
    if (ts.isStringLiteralLike(lit))
      refs.push({ specifier: lit.text, line: sf.getLineAndCharacterOfPosition(lit.getStart()).line + 1, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.arguments[0] &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return refs;
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [
    base,
    ...['.ts', '.tsx', '.mts', '.js', '.mjs'].map((e) => base + e),
    base.replace(/\.js$/, '.ts'),
    path.join(base, 'index.ts'),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Runtime imports of `roots` and of every local file they reach (type-only imports are erased). */
function runtimeClosure(roots: string[], reached = new Set<string>()): { file: string; ref: ModuleRef }[] {
  const seen = reached;
  const out: { file: string; ref: ModuleRef }[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const ref of moduleRefs(file)) {
      if (ref.typeOnly) continue;
      out.push({ file, ref });
      if (ref.specifier.startsWith('.')) {
        const target = resolveRelative(file, ref.specifier);
        if (target) queue.push(target);
      }
    }
  }
  return out;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isNodeModule = (s: string): boolean => s.startsWith('node:') || NODE_BUILTINS.has(s) || NODE_BUILTINS.has(s.split('/')[0]!);
const isVscode = (s: string): boolean => s === 'vscode' || s.startsWith('vscode/');

const DOM_GLOBALS = new Set([
  'document',
  'window',
  'navigator',
  'localStorage',
  'sessionStorage',
  'DOMParser',
  'requestAnimationFrame',
  'getComputedStyle',
  'customElements',
  'MutationObserver',
  'ResizeObserver',
  'IntersectionObserver',
  'acquireVsCodeApi',
]);
const isDomName = (name: string): boolean => DOM_GLOBALS.has(name) || /^(HTML|SVG)\w*Element$/.test(name);

/** Identifiers naming DOM globals that the file does not declare itself. */
function domUses(file: string): string[] {
  const sf = parse(file);
  const declared = new Set<string>();
  const uses: string[] = [];
  const collect = (node: ts.Node): void => {
    const name = (node as { name?: ts.Node }).name;
    if (
      name &&
      ts.isIdentifier(name) &&
      (ts.isVariableDeclaration(node) ||
        ts.isParameter(node) ||
        ts.isFunctionDeclaration(node) ||
        ts.isClassDeclaration(node) ||
        ts.isBindingElement(node) ||
        ts.isImportSpecifier(node) ||
        ts.isImportClause(node) ||
        ts.isInterfaceDeclaration(node) ||
        ts.isTypeAliasDeclaration(node))
    ) {
      declared.add(name.text);
    }
    ts.forEachChild(node, collect);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && isDomName(node.text) && !declared.has(node.text)) {
      const parent = node.parent;
      const isMemberName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        ((ts.isPropertyAssignment(parent) ||
          ts.isPropertySignature(parent) ||
          ts.isPropertyDeclaration(parent) ||
          ts.isMethodDeclaration(parent) ||
          ts.isMethodSignature(parent)) &&
          parent.name === node);
      if (!isMemberName) uses.push(`${rel(file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  collect(sf);
  visit(sf);
  return uses;
}

describe('src/core', () => {
  const core = sourceFiles(path.join(SRC, 'core'));

  test('exists and is scanned', () => assert.ok(core.length >= 20, `found ${core.length} files under src/core`));

  test('never imports vscode, directly or through a local import', () => {
    const offenders = runtimeClosure(core)
      .filter(({ ref }) => isVscode(ref.specifier))
      .map(({ file, ref }) => `${rel(file)}:${ref.line} imports ${ref.specifier}`);
    const typeOnly = core.flatMap((f) =>
      moduleRefs(f)
        .filter((r) => isVscode(r.specifier))
        .map((r) => `${rel(f)}:${r.line} imports ${r.specifier} (types)`),
    );
    assert.deepEqual([...offenders, ...typeOnly], []);
  });

  test('imports no local code outside src/core and src/shared', () => {
    const offenders = core.flatMap((f) =>
      moduleRefs(f)
        .filter((r) => r.specifier.startsWith('.'))
        .map((r) => ({ r, target: path.resolve(path.dirname(f), r.specifier) }))
        .filter(({ target }) => !target.startsWith(path.join(SRC, 'core')) && !target.startsWith(path.join(SRC, 'shared')))
        .map(({ r }) => `${rel(f)}:${r.line} imports ${r.specifier}`),
    );
    assert.deepEqual(offenders, []);
  });

  test('never uses DOM globals', () => {
    assert.deepEqual(core.flatMap(domUses), []);
  });
});

describe('src/webview', () => {
  const webview = sourceFiles(path.join(SRC, 'webview'));

  test('never imports vscode or Node modules, directly or through what it imports', () => {
    const offenders = runtimeClosure(webview)
      .filter(({ ref }) => isVscode(ref.specifier) || isNodeModule(ref.specifier))
      .map(({ file, ref }) => `${rel(file)}:${ref.line} imports ${ref.specifier}`);
    assert.deepEqual(offenders, []);
  });
});

describe('the rules catch what they are meant to', () => {
  test('the scanners see imports, requires, dynamic imports and DOM uses', () => {
    const probe = path.join(SRC, 'core', '__probe__.ts');
    const text =
      "import * as vs from 'vscode';\nimport type { X } from 'node:fs';\nconst fs = require('fs');\nvoid import('node:path');\nconst el: HTMLElement = document.body;\nconst ok = { document: 1 };\nok.document;\n";
    parsed.set(probe, ts.createSourceFile(probe, text, ts.ScriptTarget.Latest, true));
    try {
      assert.deepEqual(
        moduleRefs(probe).map((r) => [r.specifier, r.typeOnly]),
        [
          ['vscode', false],
          ['node:fs', true],
          ['fs', false],
          ['node:path', false],
        ],
      );
      assert.deepEqual(
        domUses(probe).map((u) => u.split(' ')[1]),
        ['HTMLElement', 'document'],
      );
      assert.ok(isNodeModule('node:fs') && isNodeModule('fs/promises') && isNodeModule('path') && !isNodeModule('marked'));
      // On the real tree: the webview does use the DOM, and its closure reaches src/shared.
      const webview = sourceFiles(path.join(SRC, 'webview'));
      if (webview.length > 0) {
        assert.ok(webview.flatMap(domUses).length > 0, 'the DOM scan finds nothing in the webview');
        const reached = new Set<string>();
        runtimeClosure(webview, reached);
        const importsShared = webview.some((f) => moduleRefs(f).some((r) => !r.typeOnly && r.specifier.includes('/shared/')));
        assert.ok(
          !importsShared || [...reached].some((f) => f.startsWith(path.join(SRC, 'shared'))),
          'the closure does not follow local imports',
        );
      }
    } finally {
      parsed.delete(probe);
    }
  });
});

describe('file size', () => {
  test(`no file under src/ is longer than ${MAX_LINES} lines`, () => {
    const offenders = sourceFiles(SRC)
      .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n').length - (readFileSync(f, 'utf8').endsWith('\n') ? 1 : 0) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${rel(f)}: ${lines} lines`);
    assert.deepEqual(offenders, []);
  });
});
