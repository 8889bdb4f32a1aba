/**
 * Is this line exactly one JSON object, as `JSON.parse` would accept it? Answered on the raw
 * bytes without building anything.
 *
 * Why not JSON.parse: every NDJSON line must be vetted before the `ollama` client sees it (the
 * client drops a bad line with a console warning), and the client then parses the line itself.
 * Parsing twice halved the provider's speed (bench/stream.ts); this scan allocates nothing and
 * costs a fraction of a parse. A differential test holds it to JSON.parse's verdict.
 *
 * Returns -1 when the line is a valid object, else the byte offset where it stops being one.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const isDigit = (b: number): boolean => b >= ZERO && b <= NINE;
const isHex = (b: number): boolean => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

/** What the scanner expects next inside a container. */
const enum Expect {
  /** A value (array element, object member value, or the top level). */
  Value,
  /** A key or `}` right after `{`. */
  FirstKey,
  /** A key after `,` in an object. */
  Key,
  /** `:` after a key. */
  Colon,
  /** `,` or the closing bracket after a value. */
  AfterValue,
  /** An element or `]` right after `[`. */
  FirstElement,
}

export function firstJsonObjectError(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n && isSpace(bytes[i] as number)) i += 1;
  if (i >= n || bytes[i] !== OPEN_OBJECT) return i;
  // Open containers, innermost last: 1 = object, 2 = array.
  const stack: number[] = [];
  let expect: Expect = Expect.Value;
  for (;;) {
    while (i < n && isSpace(bytes[i] as number)) i += 1;
    if (i >= n) return stack.length === 0 && expect === Expect.AfterValue ? -1 : i;
    const b = bytes[i] as number;
    if (stack.length === 0 && expect === Expect.AfterValue) return i; // text after the object
    switch (expect) {
      case Expect.Colon:
        if (b !== COLON) return i;
        i += 1;
        expect = Expect.Value;
        continue;
      case Expect.AfterValue: {
        const inObject = stack[stack.length - 1] === 1;
        if (b === COMMA) {
          i += 1;
          expect = inObject ? Expect.Key : Expect.Value;
        } else if (b === (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
          i += 1;
          stack.pop();
          expect = Expect.AfterValue;
        } else {
          return i;
        }
        continue;
      }
      case Expect.FirstKey:
      case Expect.Key:
        if (b === CLOSE_OBJECT && expect === Expect.FirstKey) {
          i += 1;
          stack.pop();
          expect = Expect.AfterValue;
          continue;
        }
        if (b !== QUOTE) return i;
        i = scanString(bytes, i);
        if (i < 0) return -i - 1;
        expect = Expect.Colon;
        continue;
      case Expect.FirstElement:
        if (b === CLOSE_ARRAY) {
          i += 1;
          stack.pop();
          expect = Expect.AfterValue;
          continue;
        }
        break;
      case Expect.Value:
        break;
    }
    // A value.
    if (b === OPEN_OBJECT) {
      stack.push(1);
      i += 1;
      expect = Expect.FirstKey;
    } else if (b === OPEN_ARRAY) {
      stack.push(2);
      i += 1;
      expect = Expect.FirstElement;
    } else {
      const end = b === QUOTE ? scanString(bytes, i) : b === MINUS || isDigit(b) ? scanNumber(bytes, i) : scanLiteral(bytes, i);
      if (end < 0) return -end - 1;
      i = end;
      expect = Expect.AfterValue;
    }
  }
}

/** Index after the closing quote, or -(error offset) - 1. */
function scanString(bytes: Uint8Array, start: number): number {
  let i = start + 1;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b === QUOTE) return i + 1;
    if (b < 0x20) return -i - 1;
    if (b !== BACKSLASH) {
      i += 1;
      continue;
    }
    const e = bytes[i + 1];
    if (e === 0x75) {
      // \uXXXX
      for (let k = 2; k < 6; k += 1) {
        if (!isHex(bytes[i + k] ?? -1)) return -(i + k) - 1;
      }
      i += 6;
    } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
      i += 2;
    } else {
      return -(i + 1) - 1;
    }
  }
  return -n - 1;
}

/** -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function scanNumber(bytes: Uint8Array, start: number): number {
  let i = start;
  if (bytes[i] === MINUS) i += 1;
  const first = bytes[i] ?? -1;
  if (first === ZERO) i += 1;
  else if (isDigit(first)) while (isDigit(bytes[i] ?? -1)) i += 1;
  else return -i - 1;
  if (bytes[i] === DOT) {
    i += 1;
    if (!isDigit(bytes[i] ?? -1)) return -i - 1;
    while (isDigit(bytes[i] ?? -1)) i += 1;
  }
  if (bytes[i] === 0x65 || bytes[i] === 0x45) {
    i += 1;
    if (bytes[i] === PLUS || bytes[i] === MINUS) i += 1;
    if (!isDigit(bytes[i] ?? -1)) return -i - 1;
    while (isDigit(bytes[i] ?? -1)) i += 1;
  }
  return i;
}

const LITERALS = [
  [0x74, 0x72, 0x75, 0x65], // true
  [0x66, 0x61, 0x6c, 0x73, 0x65], // false
  [0x6e, 0x75, 0x6c, 0x6c], // null
];

function scanLiteral(bytes: Uint8Array, start: number): number {
  for (const literal of LITERALS) {
    if (bytes[start] !== literal[0]) continue;
    for (let k = 1; k < literal.length; k += 1) {
      if (bytes[start + k] !== literal[k]) return -(start + k) - 1;
    }
    return start + literal.length;
  }
  return -start - 1;
}
