/**
 * Just enough of a tokenizer to read the arguments of a call or the keys of an object literal in
 * JS/TS, Go, Python or Dart source: brackets are matched and string literals skipped, so a comma
 * or brace inside a string or a nested call does not end anything. It is not a parser; what it
 * cannot read (a spread, a variable holding the object) is simply not found.
 */

/** How far past the opening bracket the scan reads at most, so a stray bracket cannot cost much. */
const MAX_SPAN = 20_000;

const CLOSERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** A piece of source text and where it starts in the file. */
export interface SourceSpan {
  text: string;
  start: number;
}

/**
 * The top-level comma-separated parts between the bracket at `open` and its match, trimmed,
 * each with its offset; undefined when the bracket is not closed within the bound.
 */
export function bracketParts(text: string, open: number): SourceSpan[] | undefined {
  const stack: string[] = [];
  const parts: SourceSpan[] = [];
  let partStart = open + 1;
  const end = Math.min(text.length, open + MAX_SPAN);
  for (let i = open; i < end; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'" || ch === '`') {
      i = stringEnd(text, i, end);
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      // A line comment (JS, Go, Dart); Python's `#` comments rarely hold brackets.
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? end : newline;
      continue;
    }
    const closer = CLOSERS[ch];
    if (closer) {
      stack.push(closer);
      continue;
    }
    if (ch === ')' || ch === ']' || ch === '}') {
      if (stack.pop() !== ch) return undefined;
      if (stack.length === 0) {
        parts.push(trimmed(text, partStart, i));
        return parts.filter((p) => p.text !== '');
      }
      continue;
    }
    if (ch === ',' && stack.length === 1) {
      parts.push(trimmed(text, partStart, i));
      partStart = i + 1;
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opening at `start` (or `end` when it never does). */
function stringEnd(text: string, start: number, end: number): number {
  const quote = text[start];
  // Python's and Dart's triple-quoted strings.
  const triple = quote !== '`' && text.startsWith(quote!.repeat(3), start);
  for (let i = start + (triple ? 3 : 1); i < end; i++) {
    if (text[i] === '\\') i++;
    else if (triple ? text.startsWith(quote!.repeat(3), i) : text[i] === quote) return triple ? i + 2 : i;
    else if (text[i] === '\n' && quote !== '`' && !triple) return i;
  }
  return end;
}

/** The part between two commas, without the spaces and line comments (`//`, `#`) before it. */
function trimmed(text: string, from: number, to: number): SourceSpan {
  const raw = text.slice(from, to);
  const lead = /^(?:\s+|(?:\/\/|#)[^\n]*)*/.exec(raw)![0].length;
  return { text: raw.slice(lead).trimEnd(), start: from + lead };
}

/**
 * The keys of the object or map literal whose `{` is at `open`: identifiers (JS shorthand and
 * methods included) unless `quotedOnly`, and quoted strings; each with the offset of the name.
 */
export function literalKeys(text: string, open: number, quotedOnly: boolean): SourceSpan[] {
  const keys: SourceSpan[] = [];
  for (const part of bracketParts(text, open) ?? []) {
    const m = /^(?:"([^"\\\n]+)"|'([^'\\\n]+)'|(?:async\s+)?([A-Za-z_$][\w$]*))\s*(:|\(|$)/.exec(part.text);
    if (!m) continue;
    const quoted = m[1] ?? m[2];
    const name = quoted ?? m[3];
    if (!name || (quotedOnly && quoted === undefined)) continue;
    // `key` alone is JS shorthand; a quoted string alone is a set or list item, not a key.
    if (m[4] === '' && quoted !== undefined) continue;
    keys.push({ text: name, start: part.start + m[0].indexOf(name) });
  }
  return keys;
}
