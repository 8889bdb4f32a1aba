import { readFileSync } from 'node:fs';
import type { PromptDiagnostic } from '../prompt/diagnostic';
import { LineIndex } from '../text/positions';

export interface PromptFileText {
  text: string;
  /** Problems with the bytes themselves (invalid UTF-8), before any prompt analysis. */
  diagnostics: PromptDiagnostic[];
}

/**
 * Decodes a file's bytes as UTF-8. Invalid sequences do not stop the analysis: they become
 * U+FFFD and one diagnostic that names the first bad byte.
 */
export function decodePromptBytes(bytes: Uint8Array): PromptFileText {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3; // a UTF-8 byte order mark
  const body = bytes.subarray(start);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), diagnostics: [] };
  } catch {
    // The fatal decoder only says that the bytes are invalid; find where, for the message.
    const bad = firstInvalidUtf8(body);
    const text = new TextDecoder('utf-8').decode(body);
    const before = new TextDecoder('utf-8').decode(body.subarray(0, bad));
    const lines = new LineIndex(text);
    return {
      text,
      diagnostics: [
        {
          range: lines.range(before.length, before.length + 1),
          severity: 'error',
          code: 'invalid-utf8',
          message: `The file is not valid UTF-8: byte ${bad} (0x${(body[bad] ?? 0).toString(16).padStart(2, '0')}) starts no valid character. Save the file as UTF-8.`,
        },
      ],
    };
  }
}

/** Offset of the first byte that does not begin or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

export function readPromptFile(file: string): PromptFileText {
  return decodePromptBytes(readFileSync(file));
}
