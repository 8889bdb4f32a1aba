/**
 * Text that came from elsewhere (a model, a server, a file, a user's argument) must never drive
 * the terminal it is printed on: no window titles, cleared screens, clipboard writes (OSC 52),
 * planted hyperlinks (OSC 8), cursor moves that hide what was printed, or bidi reordering
 * ("Trojan Source"). `terminalSafe` turns every such character into a visible stand-in, so the
 * user sees that it was there and nothing acts on it.
 *
 * Stand-ins: C0 controls become their Unicode control pictures (ESC → ␛, BEL → ␇, CR → ␍);
 * DEL, C1 controls (U+0080–U+009F, where 8-bit terminals find CSI and OSC), bidi embeddings,
 * overrides, isolates and marks, and the line/paragraph separators become the six characters
 * `\uXXXX`. That last form is also a JSON escape, so JSON text that went through here still
 * parses to exactly the same value (JSON.stringify already escapes every C0 control).
 */

export interface TerminalSafeOptions {
  /**
   * 'multiline' (the default) keeps line feeds and tabs: they are content (a token's newline
   * is part of the answer) and only move the cursor forward. A CR directly before a LF is kept
   * as the line break it is; a lone CR, which returns to the start of the line and lets later
   * text overwrite what was shown, becomes ␍.
   * 'line' is for one field on one line (a file name, a model name, a table cell): line feeds
   * and tabs become ␊ and ␉ too, so a value cannot forge extra output lines.
   */
  mode?: 'multiline' | 'line';
}

// Bidi controls: ALM, LRM/RLM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI; line and paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

export function terminalSafe(text: string, options: TerminalSafeOptions = {}): string {
  const line = options.mode === 'line';
  // The common case (plain text) costs one scan and no allocation.
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (ch, offset: number, whole: string) => {
    const code = ch.charCodeAt(0);
    if (!line) {
      if (ch === '\n' || ch === '\t') return ch;
      if (ch === '\r' && whole[offset + 1] === '\n') return '';
    }
    // U+2400 + code is the control picture of a C0 control.
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Shows a value that should have been a string but was not, as the JSON that arrived. */
export function asDisplayText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A cycle or a BigInt cannot come from JSON, but the caller still gets something readable.
    return String(value);
  }
}
