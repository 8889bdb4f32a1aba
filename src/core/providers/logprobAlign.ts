/**
 * Aligns logprob entries to visible text.
 *
 * Servers send two streams that do not line up one-to-one: visible text (content/thinking
 * deltas) and logprob entries. One chunk may carry several entries or none; a multi-byte
 * character split across tokens arrives as entries whose text is '', raw partial bytes,
 * U+FFFD placeholders, or byte-level BPE glyphs, while the delta withholds the character until it
 * is complete; some servers put entries on an earlier chunk than their text.
 *
 * The aligner cuts the visible text into token pieces and hangs each entry on the piece it
 * produced. Guarantees, whatever the server sends:
 * - the concatenated `text` of the output equals the concatenated input text, per channel;
 * - every entry appears exactly once in the output, in order.
 */
import type { Channel, TokenEvent, TopLogprob } from './events';
import { TextQueue, type TextPiece } from './textQueue';
import { REPLACEMENT_CHAR, byteLevelGlyphsToBytes, bytesBeyondText, decodeWithTail, hasRealBytes, utf8Length } from './tokenBytes';

/** A logprob entry as servers send it, before alignment. */
export interface LogprobEntry {
  token: string;
  logprob: number;
  bytes?: number[] | null;
  topLogprobs?: TopLogprob[];
}

/**
 * A token event without its time: `msSinceStart` is 0 until the provider stamps it (built as the
 * final event object so the hot path allocates once per token).
 */
export type AlignedToken = TokenEvent;

interface PendingEntry {
  entry: LogprobEntry;
  /** Channel of the chunk the entry came with; used when it attributes no text. */
  channelHint: Channel;
}

type UnknownBytesResult = { kind: 'fits'; chars: number; byteCursor: number } | { kind: 'no-fit' } | { kind: 'need-more' };

export class LogprobAligner {
  private readonly text = new TextQueue();
  private pending: PendingEntry[] = [];
  /** Bytes of the front character already accounted for by U+FFFD placeholder entries. */
  private byteCursor = 0;
  /** Trailing bytes of an incomplete UTF-8 character from earlier raw-byte entries. */
  private utf8Tail: number[] = [];

  /**
   * Adds one chunk: its text per channel (in the order the server produced them, thinking before
   * content) and its logprob entries. Returns the tokens that can be attributed now.
   */
  push(segments: readonly TextPiece[], entries: readonly LogprobEntry[]): AlignedToken[] {
    // Fast path, the common case: one whole token whose string is exactly the delta.
    if (
      entries.length === 1 &&
      segments.length === 1 &&
      this.pending.length === 0 &&
      this.text.isEmpty() &&
      this.byteCursor === 0 &&
      this.utf8Tail.length === 0
    ) {
      const segment = segments[0] as TextPiece;
      const entry = entries[0] as LogprobEntry;
      if (segment.text !== '' && entry.token === segment.text) return [this.annotate(segment, entry)];
    }
    let hint: Channel = 'content';
    for (const segment of segments) {
      this.text.append(segment.channel, segment.text);
      if (segment.text !== '') hint = segment.channel;
    }
    if (segments.length > 0 && segments.every((s) => s.text === '')) {
      hint = (segments[segments.length - 1] as TextPiece).channel;
    }
    for (const entry of entries) this.pending.push({ entry, channelHint: hint });

    const out: AlignedToken[] = [];
    this.drain(out);
    // Text nobody is waiting for is streamed now (servers without logprobs, role chunks, ...).
    if (this.pending.length === 0 && !this.text.isEmpty()) {
      this.byteCursor = 0;
      this.emitPlain(this.text.takeAll(), out);
    }
    return out;
  }

  /** End of stream: everything left is emitted (entries with '' text, text without logprobs). */
  flush(): AlignedToken[] {
    const out: AlignedToken[] = [];
    this.drain(out, true);
    this.byteCursor = 0;
    this.emitPlain(this.text.takeAll(), out);
    this.utf8Tail = [];
    return out;
  }

  /** `final`: no more text will come, so nothing may wait for it. */
  private drain(out: AlignedToken[], final = false): void {
    while (this.pending.length > 0) {
      const { entry, channelHint } = this.pending[0] as PendingEntry;
      const consumed = this.attribute(entry, channelHint, out, final);
      if (!consumed) return;
      this.pending.shift();
    }
  }

  /** Tries to attribute one entry; false means it must wait for more text. */
  private attribute(entry: LogprobEntry, channelHint: Channel, out: AlignedToken[], final: boolean): boolean {
    const token = entry.token;
    const realBytes = hasRealBytes(entry.bytes) ? entry.bytes : undefined;

    if (token === '' && realBytes === undefined) {
      this.emitEmpty(entry, channelHint, out);
      return true;
    }
    if (this.text.isEmpty()) {
      if (final) {
        this.emitEmpty(entry, channelHint, out);
        return true;
      }
      // Raw bytes of an unfinished character show no text, so they need not wait for any.
      if (realBytes !== undefined) {
        const decoded = decodeWithTail(this.utf8Tail, realBytes);
        if (decoded.text === '') {
          this.utf8Tail = decoded.tail;
          this.emitEmpty(entry, channelHint, out);
          return true;
        }
      }
      return false;
    }

    if (token !== '' && this.text.startsWith(token)) {
      this.resetBytes();
      this.emitTaken(this.text.take(token.length), entry, out);
      return true;
    }

    if (realBytes !== undefined && this.tryDecodedBytes(realBytes, entry, channelHint, out)) return true;

    if (token.includes(REPLACEMENT_CHAR)) {
      const result = this.fitUnknownBytes(token);
      if (result.kind === 'need-more' && !final) return false;
      if (result.kind === 'fits') {
        this.utf8Tail = [];
        const pieces = this.text.take(this.utf16Length(result.chars));
        this.byteCursor = result.byteCursor;
        if (pieces.length === 0) this.emitEmpty(entry, channelHint, out);
        else this.emitTaken(pieces, entry, out);
        return true;
      }
    }

    if (realBytes === undefined && this.tryByteLevelGlyphs(token, entry, out)) return true;

    this.resetBytes();
    const all = this.text.peekAll();
    // The token's text may be arriving in pieces.
    if (!final && token.length > all.length && token.startsWith(all)) return false;
    const at = token === '' ? -1 : all.indexOf(token);
    if (at > 0) {
      // Text the server showed without an entry for it (suppressed partial tokens, skipped chunks).
      this.emitPlain(this.text.take(at), out);
      this.emitTaken(this.text.take(token.length), entry, out);
      return true;
    }
    if (this.pending.length === 1) {
      // One entry for this stretch of text: the server's token string differs from its text
      // (normalization, a decode quirk), but they are the same token.
      this.emitTaken(this.text.takeAll(), entry, out);
      return true;
    }
    this.emitEmpty(entry, channelHint, out);
    return true;
  }

  /** Decodes raw bytes after any carried tail; attributes the decoded text if it is next. */
  private tryDecodedBytes(bytes: number[], entry: LogprobEntry, channelHint: Channel, out: AlignedToken[]): boolean {
    const decoded = decodeWithTail(this.utf8Tail, bytes);
    if (decoded.text === '') {
      this.utf8Tail = decoded.tail;
      this.emitEmpty(entry, channelHint, out);
      return true;
    }
    if (this.text.startsWith(decoded.text)) {
      this.utf8Tail = decoded.tail;
      this.byteCursor = 0;
      this.emitTaken(this.text.take(decoded.text.length), entry, out);
      return true;
    }
    this.utf8Tail = [];
    return false;
  }

  /** Whole characters spelled in byte-level BPE glyphs; partial glyph tokens are too ambiguous. */
  private tryByteLevelGlyphs(token: string, entry: LogprobEntry, out: AlignedToken[]): boolean {
    const bytes = byteLevelGlyphsToBytes(token);
    if (bytes === undefined) return false;
    const decoded = decodeWithTail([], bytes);
    if (decoded.text === '' || decoded.tail.length > 0 || !this.text.startsWith(decoded.text)) return false;
    this.resetBytes();
    this.emitTaken(this.text.take(decoded.text.length), entry, out);
    return true;
  }

  /**
   * A token string with U+FFFD placeholders: each U+FFFD stands for one raw byte of a non-ASCII
   * character (Ollama's Go runner). Walks the token against the text, counting bytes.
   */
  private fitUnknownBytes(token: string): UnknownBytesResult {
    let chars = 0;
    let cursor = this.byteCursor;
    for (const ch of token) {
      const front = this.text.codePointAt(chars);
      if (front === undefined) return { kind: 'need-more' };
      if (ch === REPLACEMENT_CHAR) {
        const width = utf8Length(front);
        if (width < 2) return { kind: 'no-fit' };
        cursor += 1;
        if (cursor === width) {
          chars += 1;
          cursor = 0;
        }
      } else {
        if (cursor !== 0 || ch !== front) return { kind: 'no-fit' };
        chars += 1;
      }
    }
    return { kind: 'fits', chars, byteCursor: cursor };
  }

  private utf16Length(codePoints: number): number {
    let units = 0;
    for (let i = 0; i < codePoints; i += 1) units += (this.text.codePointAt(i) as string).length;
    return units;
  }

  private resetBytes(): void {
    this.byteCursor = 0;
    this.utf8Tail = [];
  }

  private emitTaken(pieces: TextPiece[], entry: LogprobEntry, out: AlignedToken[]): void {
    const [first, ...rest] = pieces;
    if (first === undefined) return;
    out.push(this.annotate(first, entry));
    this.emitPlain(rest, out);
  }

  private emitEmpty(entry: LogprobEntry, channelHint: Channel, out: AlignedToken[]): void {
    out.push(this.annotate({ channel: this.text.frontChannel() ?? channelHint, text: '' }, entry));
  }

  private emitPlain(pieces: TextPiece[], out: AlignedToken[]): void {
    for (const piece of pieces) out.push({ type: 'token', text: piece.text, channel: piece.channel, msSinceStart: 0 });
  }

  private annotate(piece: TextPiece, entry: LogprobEntry): AlignedToken {
    const token: AlignedToken = { type: 'token', text: piece.text, channel: piece.channel, msSinceStart: 0, logprob: entry.logprob };
    if (entry.topLogprobs !== undefined) token.topLogprobs = entry.topLogprobs;
    const bytes = bytesBeyondText(entry.token, entry.bytes);
    if (bytes !== undefined) token.bytes = bytes;
    return token;
  }
}
