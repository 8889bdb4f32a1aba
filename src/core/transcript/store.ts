/**
 * The tokens of one run, kept column-wise: a few growing arrays instead of one object per token,
 * so a 100,000-token reply costs a few arrays, not 100,000 objects. Alternatives and raw bytes are
 * rare and large, so they are kept only where the server sent them. The comparison panel sends
 * tokens in this same column shape (TokenColumns) and asks for one token's alternatives when the
 * user looks at it.
 */
import type { TopLogprob } from '../providers/events';
import type { TranscriptToken } from './transcript';

/**
 * Tokens on the wire, column-wise: a handful of arrays per batch instead of objects per token,
 * so long replies stay cheap to send, clone and keep. A token's alternatives are not sent with
 * it; the panel asks for them when the user looks at a token.
 */
export interface TokenColumns {
  text: string[];
  /** Milliseconds since the cell's run started. */
  ms: number[];
  /** null where the server sent no probability. */
  logprob: (number | null)[];
  /** Positions (in these columns) of reasoning tokens; absent when there are none. */
  thinking?: number[];
}

export class TokenStore {
  private readonly text: string[] = [];
  private readonly ms: number[] = [];
  /** NaN where the server sent no probability. */
  private readonly logprob: number[] = [];
  private readonly thinking = new Set<number>();
  private readonly top = new Map<number, TopLogprob[]>();
  private readonly bytes = new Map<number, number[]>();

  static from(tokens: readonly TranscriptToken[]): TokenStore {
    const store = new TokenStore();
    for (const t of tokens) store.push(t);
    return store;
  }

  get length(): number {
    return this.text.length;
  }

  /** Appends a token; returns its index. */
  push(token: TranscriptToken): number {
    const i = this.text.length;
    this.text.push(token.text);
    this.ms.push(token.ms);
    this.logprob.push(token.logprob ?? Number.NaN);
    if (token.channel === 'thinking') this.thinking.add(i);
    if (token.top !== undefined) this.top.set(i, token.top);
    if (token.bytes !== undefined) this.bytes.set(i, token.bytes);
    return i;
  }

  /** One token with its alternatives; undefined outside the store. */
  at(index: number): TranscriptToken | undefined {
    const text = this.text[index];
    if (text === undefined || !Number.isInteger(index) || index < 0) return undefined;
    const token: TranscriptToken = { text, channel: this.thinking.has(index) ? 'thinking' : 'content', ms: this.ms[index]! };
    const logprob = this.logprob[index]!;
    if (!Number.isNaN(logprob)) token.logprob = logprob;
    const top = this.top.get(index);
    if (top !== undefined) token.top = top;
    const bytes = this.bytes.get(index);
    if (bytes !== undefined) token.bytes = bytes;
    return token;
  }

  /** Tokens `from` up to (not including) `to`, as objects. */
  slice(from = 0, to = this.length): TranscriptToken[] {
    const out: TranscriptToken[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.length); i++) out.push(this.at(i)!);
    return out;
  }

  /** Tokens `from` up to (not including) `to`, column-wise; positions in `thinking` count from `from`. */
  columns(from = 0, to = this.length): TokenColumns {
    const start = Math.max(0, from);
    const end = Math.min(to, this.length);
    const columns: TokenColumns = {
      text: this.text.slice(start, end),
      ms: this.ms.slice(start, end),
      // Infinite logprobs are not JSON; they travel as "no probability", as before.
      logprob: this.logprob.slice(start, end).map((p) => (Number.isFinite(p) ? p : null)),
    };
    const thinking: number[] = [];
    for (let i = start; i < end; i++) if (this.thinking.has(i)) thinking.push(i - start);
    if (thinking.length > 0) columns.thinking = thinking;
    return columns;
  }
}

/** Tokens as columns, for tokens not kept in a store (test pages build messages with it). */
export function toColumns(tokens: readonly TranscriptToken[]): TokenColumns {
  return TokenStore.from(tokens).columns();
}
