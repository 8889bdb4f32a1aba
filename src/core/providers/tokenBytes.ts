/**
 * Byte-level facts about token strings that servers send in logprob entries.
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
  const printable = (b: number): boolean => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
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

/**
 * Decodes `bytes` after a carried incomplete UTF-8 tail without mutating anything: returns the
 * complete text and the new incomplete tail (at most 3 bytes). Invalid bytes become U+FFFD.
 */
export function decodeWithTail(tail: readonly number[], bytes: readonly number[]): { text: string; tail: number[] } {
  const all = tail.length === 0 ? bytes : [...tail, ...bytes];
  const cut = completeLength(all);
  const text = cut === 0 ? '' : utf8Decoder.decode(Uint8Array.from(all.slice(0, cut)));
  return { text, tail: all.slice(cut) };
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** Length of the longest prefix that does not end inside a (possibly valid) multi-byte sequence. */
function completeLength(bytes: readonly number[]): number {
  const end = bytes.length;
  for (let back = 1; back <= Math.min(3, end); back += 1) {
    const b = bytes[end - back] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = sequenceLength(b);
    return need > back ? end - back : end;
  }
  return end;
}

function sequenceLength(leadByte: number): number {
  if (leadByte >= 0xc2 && leadByte <= 0xdf) return 2;
  if (leadByte >= 0xe0 && leadByte <= 0xef) return 3;
  if (leadByte >= 0xf0 && leadByte <= 0xf4) return 4;
  return 1;
}

/** UTF-8 byte length of a string (lone surrogates count as the 3-byte U+FFFD they encode to). */
export function utf8ByteLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      length += 4;
      i += 1;
    } else length += 3;
  }
  return length;
}

/**
 * `bytes` only when they tell more than `token` does: raw bytes of a partial character. Bytes
 * that are just the UTF-8 of the token string (what servers send for whole tokens) or U+FFFD
 * placeholders are dropped, which keeps events and the run history small.
 */
export function bytesBeyondText(token: string, bytes: readonly number[] | null | undefined): number[] | undefined {
  if (!hasRealBytes(bytes)) return undefined;
  if (!token.includes(REPLACEMENT_CHAR) && utf8ByteLength(token) === bytes.length) return undefined;
  return bytes;
}
