import type { PromptAnalysis } from '../prompt/analyze';
import type { Range } from '../text/positions';

export type SymbolKind = 'namespace' | 'property' | 'event' | 'struct' | 'module' | 'field';

/** One entry of the outline. */
export interface PromptSymbol {
  name: string;
  detail: string;
  kind: SymbolKind;
  range: Range;
  selectionRange: Range;
  children: PromptSymbol[];
}

/** The outline: frontmatter keys, then messages by role, with block helpers nested inside. */
export function documentSymbols(analysis: PromptAnalysis): PromptSymbol[] {
  const { layout, template } = analysis;
  const out: PromptSymbol[] = [];
  const fm = layout.frontmatter;
  if (fm) {
    const range = layout.lines.range(fm.openStart, Math.max(fm.openStart, fm.closeEnd - 1));
    const children = [...analysis.frontmatter.keys]
      .filter(([path]) => !path.includes('.') || !analysis.frontmatter.keys.has(path.slice(0, path.lastIndexOf('.'))))
      .map(([path, where]) =>
        leaf(
          path,
          summarizeValue(analysis, path),
          'property',
          where.value ? { start: where.key.start, end: where.value.end } : where.key,
          where.key,
        ),
      );
    out.push({
      name: 'Frontmatter',
      detail: analysis.frontmatter.data?.['model'] ? String(analysis.frontmatter.data['model']) : '',
      kind: 'namespace',
      range,
      selectionRange: layout.lines.range(fm.openStart, fm.openStart + 3),
      children,
    });
  }
  const bodyEnd = layout.lines.positionAt(layout.text.length);
  // Each role or history marker starts a message that runs until the next one.
  const markers = template.markers.filter((m) => m.kind === 'role' || m.kind === 'history');
  const messages = markers.map((m, i) => {
    const end = markers[i + 1]?.range.start ?? bodyEnd;
    const name = m.kind === 'history' ? 'history' : m.label || 'role';
    return leaf(name, m.kind === 'history' ? 'conversation history' : 'message', 'event', { start: m.range.start, end }, m.range);
  });
  const containers: PromptSymbol[] = [...messages];
  const blocks = template.blocks.map((b) => leaf(`#${b.name}`, b.params.join(' '), 'struct', b.range, b.openRange));
  const others = [
    ...template.markers.filter((m) => m.kind === 'section').map((m) => leaf(`section ${m.label}`, 'section', 'field', m.range, m.range)),
    ...template.partials.map((p) => leaf(`> ${p.name}`, 'partial', 'module', p.range, p.range)),
  ];
  for (const item of [...blocks, ...others].sort((a, b) => compare(a.range, b.range))) place(item, containers);
  return [...out, ...containers.sort((a, b) => compare(a.range, b.range))];
}

function leaf(name: string, detail: string, kind: SymbolKind, range: Range, selectionRange: Range): PromptSymbol {
  return { name, detail, kind, range, selectionRange, children: [] };
}

function summarizeValue(analysis: PromptAnalysis, path: string): string {
  const value = path
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), analysis.frontmatter.data);
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return Array.isArray(value) ? `${value.length} items` : '';
  return String(value).slice(0, 60);
}

/** Puts a symbol inside the innermost container that holds it, or at the top level. */
function place(item: PromptSymbol, list: PromptSymbol[]): void {
  const parent = list.find((c) => contains(c.range, item.range) && c !== item);
  if (parent) place(item, parent.children);
  else list.push(item);
}

function contains(outer: Range, inner: Range): boolean {
  return (
    compare(outer, inner) <= 0 &&
    (outer.end.line > inner.end.line || (outer.end.line === inner.end.line && outer.end.character >= inner.end.character))
  );
}

function compare(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character;
}
