/**
 * When a template does not parse, the rest of it can still be checked: blank out the mustache the
 * parser stopped at (spaces, newlines kept, so every offset and line stays where it was) and parse
 * again, a few times over. The findings then come from the mustaches that do parse.
 */
import Handlebars from 'handlebars';
import type { Range } from '../text/positions';
import type { PromptLayout } from './source';

const MAX_ATTEMPTS = 5;

interface LocatedError {
  range: Range;
}

/** The parsed template with its broken mustaches blanked, or undefined when it still fails. */
export function parseAfterBlanking(
  body: string,
  first: LocatedError,
  describe: (blankedBody: string, err: unknown) => LocatedError,
  layout: PromptLayout,
): hbs.AST.Program | undefined {
  let text = body;
  let error = first;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const at = layout.lines.offsetAt(error.range.start) - layout.bodyStart;
    const blanked = blankMustacheAt(text, at);
    if (blanked === text) return undefined;
    text = blanked;
    try {
      return Handlebars.parseWithoutProcessing(text);
    } catch (err) {
      error = describe(text, err);
    }
  }
  return undefined;
}

/** Blanks the `{{ … }}` that contains or starts at `at` (to the end of its line when it is not closed). */
function blankMustacheAt(text: string, at: number): string {
  const open = text.lastIndexOf('{{', Math.max(at, 0) + 1);
  if (open < 0) return text;
  const lineEnd = text.indexOf('\n', open);
  const close = text.indexOf('}}', open + 2);
  const end = close >= 0 && (lineEnd < 0 || close < lineEnd) ? close + 2 : lineEnd < 0 ? text.length : lineEnd;
  return text.slice(0, open) + text.slice(open, end).replace(/[^\n]/g, ' ') + text.slice(end);
}
