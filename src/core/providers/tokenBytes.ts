/**
 * Byte-level facts about token strings that servers send in logprob entries (protocols.md §5).
 */

export const REPLACEMENT_CHAR = '\uFFFD';

/** UTF-8 length of one code point given as a string of 1 or 2 UTF-16 units. */
export function utf8Length(codePoint: string): number {
  const cp = codePoint.codePointAt(0) ?? 0;
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return 4;
}

/**
 * True when `bytes` carries real token bytes: non-empty and not only U+FFFD encodings
 * (239,191,189), which servers emit as placeholders after the raw bytes were lost.
 */
export function hasRealBytes(bytes: readonly number[] | null | undefined): bytes is number[] {
  if (bytes === null || bytes === undefined || bytes.length === 0) return false;
  if (bytes.length % 3 !== 0) return true;
  for (let i = 0; i < bytes.length; i += 3) {
    if (bytes[i] !== 239 || bytes[i + 1] !== 191 || bytes[i + 2] !== 189) return true;
  }
  return false;
}

/**
 * Inverse of the GPT-2 "bytes to unicode" table used by byte-level BPE tokenizers: some vLLM
 * builds leak these glyph strings (e.g. "æĺ¯" for 是, "Ġthe" for " the") as logprob tokens.
 * Returns the bytes, or undefined when `token` is not made only of such glyphs.
 */
export function byteLevelGlyphsToBytes(token: string): number[] | undefined {
  const table = glyphTable();
  const bytes: number[] = [];
  for (const ch of token) {
    const byte = table.get(ch.codePointAt(0) as number);
    if (byte === undefined) return undefined;
    bytes.push(byte);
  }
  return bytes;
}

let glyphToByte: Map<number, number> | undefined;

function glyphTable(): Map<number, number> {
  if (glyphToByte !== undefined) return glyphToByte;
  const table = new Map<number, number>();
  const printable = (b: number): boolean =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let shifted = 0;
  for (let b = 0; b < 256; b += 1) {
    if (printable(b)) {
      table.set(b, b);
    } else {
      table.set(256 + shifted, b);
      shifted += 1;
    }
  }
  glyphToByte = table;
  return table;
}
