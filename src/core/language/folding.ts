import type { PromptAnalysis } from '../prompt/analyze';

export interface FoldingSpan {
  startLine: number;
  endLine: number;
  kind: 'region' | 'comment';
}

/** Folding for the frontmatter, multi-line block helpers and multi-line comments. */
export function foldingRanges(analysis: PromptAnalysis): FoldingSpan[] {
  const { layout, template } = analysis;
  const spans: FoldingSpan[] = [];
  const fm = layout.frontmatter;
  if (fm)
    spans.push({
      startLine: layout.lines.positionAt(fm.openStart).line,
      endLine: layout.lines.positionAt(fm.closeStart).line,
      kind: 'region',
    });
  for (const block of template.blocks) {
    // Fold up to the line before the closing tag so that the closer stays visible.
    const endLine = block.range.end.line - 1;
    if (endLine > block.range.start.line) spans.push({ startLine: block.range.start.line, endLine, kind: 'region' });
  }
  for (const comment of template.comments) {
    if (comment.end.line > comment.start.line) spans.push({ startLine: comment.start.line, endLine: comment.end.line, kind: 'comment' });
  }
  return spans;
}
