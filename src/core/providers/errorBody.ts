/**
 * Error bodies are read with a bound: a proxy's 20 MB HTML page must not end up whole in
 * stderr, a notification or history. The first few KB are kept (HTML reduced to its text), the
 * rest is only counted up to a limit, and the message says how big the body was.
 */
import { ERROR_BODY_KEEP_BYTES, ERROR_BODY_MEASURE_BYTES, formatBytes } from './limits';

export interface BodySummary {
  /** What the body says, at most a few KB: the text of an HTML page, else the text itself. */
  text: string;
  /** The kept bytes are the whole body (so `raw` can be parsed as JSON). */
  complete: boolean;
  /** The kept text before HTML was stripped (what JSON parsing needs). */
  raw: string;
  /** Body size in bytes: exact when `sizeKnown`, else a lower bound. */
  bytes: number;
  sizeKnown: boolean;
  contentType: string;
}

export async function summariseBody(response: Response): Promise<BodySummary> {
  const contentType = response.headers.get('content-type') ?? '';
  const declared = Number.parseInt(response.headers.get('content-length') ?? '', 10);
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  let seen = 0;
  let ended = response.body === null;
  if (response.body !== null) {
    const reader = response.body.getReader();
    try {
      while (seen < ERROR_BODY_MEASURE_BYTES) {
        const { done, value } = await reader.read();
        if (done) {
          ended = true;
          break;
        }
        seen += value.length;
        if (keptBytes < ERROR_BODY_KEEP_BYTES) {
          const piece = value.subarray(0, ERROR_BODY_KEEP_BYTES - keptBytes);
          kept.push(piece);
          keptBytes += piece.length;
        }
      }
    } finally {
      // Nothing more is wanted from this body; a failing cancel only means it is already closed.
      if (!ended) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  const raw = new TextDecoder('utf-8').decode(concat(kept, keptBytes)).trim();
  const sizeKnown = ended || Number.isFinite(declared);
  // Unended and undeclared: we stopped at the measuring limit, which is what we can vouch for.
  const bytes = ended ? seen : Number.isFinite(declared) ? declared : Math.min(seen, ERROR_BODY_MEASURE_BYTES);
  const complete = ended && keptBytes === seen;
  const text = isHtml(contentType, raw) ? htmlToText(raw) : raw;
  return { text: complete ? text : `${text}…`, complete, raw, bytes, sizeKnown, contentType };
}

/** "20 MiB of text/html, first 4 KiB kept" — said next to a summarised body. */
export function describeSize(summary: BodySummary): string {
  const size = `${summary.sizeKnown ? '' : 'over '}${formatBytes(summary.bytes)}`;
  const type = summary.contentType === '' ? 'no content type' : (summary.contentType.split(';')[0]?.trim() ?? summary.contentType);
  return summary.complete ? `${size} of ${type}` : `${size} of ${type}, first ${formatBytes(ERROR_BODY_KEEP_BYTES)} kept`;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function isHtml(contentType: string, text: string): boolean {
  return /html/i.test(contentType) || /^<(!doctype|html|head|body)\b/i.test(text);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The readable text of an HTML page (or its first KB): tags, scripts and styles removed. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?(<\/\1\s*>|$)/gi, ' ')
    .replace(/<!--[\s\S]*?(-->|$)/g, ' ')
    .replace(/<[^>]*(>|$)/g, ' ')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith('#')) {
        const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/\s+/g, ' ')
    .trim();
}
