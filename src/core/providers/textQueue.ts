/**
 * Visible text that has arrived from the server but is not yet attributed to a token, kept as
 * ordered per-channel segments. Used by the logprob aligner; knows nothing about logprobs.
 */
import type { Channel } from './events';

export interface TextPiece {
  channel: Channel;
  text: string;
}

export class TextQueue {
  private segments: TextPiece[] = [];
  /** Index of the first unconsumed segment. */
  private head = 0;
  /** UTF-16 offset inside `segments[head].text`. */
  private offset = 0;

  append(channel: Channel, text: string): void {
    if (text === '') return;
    const last = this.segments[this.segments.length - 1];
    if (last !== undefined && this.segments.length > this.head && last.channel === channel) {
      last.text += text;
    } else {
      this.segments.push({ channel, text });
    }
  }

  isEmpty(): boolean {
    return this.head >= this.segments.length;
  }

  /** Channel of the first unconsumed character, if any. */
  frontChannel(): Channel | undefined {
    return this.segments[this.head]?.channel;
  }

  /** True when the unconsumed text begins with `s` (possibly spanning segments). */
  startsWith(s: string): boolean {
    let seg = this.head;
    let off = this.offset;
    let matched = 0;
    while (matched < s.length) {
      const segment = this.segments[seg];
      if (segment === undefined) return false;
      const n = Math.min(segment.text.length - off, s.length - matched);
      if (!segment.text.startsWith(s.slice(matched, matched + n), off)) return false;
      matched += n;
      seg += 1;
      off = 0;
    }
    return true;
  }

  /** Total UTF-16 length of the unconsumed text. */
  length(): number {
    let total = 0;
    for (let i = this.head; i < this.segments.length; i += 1) {
      total += (this.segments[i] as TextPiece).text.length;
    }
    return total - this.offset;
  }

  /** The unconsumed text as one string, ignoring channels (for searching). */
  peekAll(): string {
    let text = '';
    for (let i = this.head; i < this.segments.length; i += 1) {
      const segment = this.segments[i] as TextPiece;
      text += i === this.head ? segment.text.slice(this.offset) : segment.text;
    }
    return text;
  }

  /** The code point `index` code points after the front, or undefined when not arrived yet. */
  codePointAt(index: number): string | undefined {
    let seg = this.head;
    let off = this.offset;
    let remaining = index;
    for (;;) {
      const segment = this.segments[seg];
      if (segment === undefined) return undefined;
      if (off >= segment.text.length) {
        seg += 1;
        off = 0;
        continue;
      }
      const cp = segment.text.codePointAt(off) as number;
      const width = cp > 0xffff ? 2 : 1;
      if (remaining === 0) return segment.text.slice(off, off + width);
      remaining -= 1;
      off += width;
    }
  }

  /** Removes `count` UTF-16 units from the front, returned as one piece per channel segment. */
  take(count: number): TextPiece[] {
    const pieces: TextPiece[] = [];
    let remaining = count;
    while (remaining > 0 && this.head < this.segments.length) {
      const segment = this.segments[this.head] as TextPiece;
      const available = segment.text.length - this.offset;
      const n = Math.min(available, remaining);
      pieces.push({ channel: segment.channel, text: segment.text.slice(this.offset, this.offset + n) });
      remaining -= n;
      if (n === available) {
        this.head += 1;
        this.offset = 0;
      } else {
        this.offset += n;
      }
    }
    this.compact();
    return pieces;
  }

  takeAll(): TextPiece[] {
    return this.take(this.length());
  }

  private compact(): void {
    if (this.head === this.segments.length) {
      this.segments = [];
      this.head = 0;
      this.offset = 0;
    } else if (this.head > 32) {
      this.segments = this.segments.slice(this.head);
      this.head = 0;
    }
  }
}
