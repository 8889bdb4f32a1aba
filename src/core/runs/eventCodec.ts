/**
 * One line per event in a run's `.jsonl` file.
 *
 * Token events are the bulk of a run (one per token, each with up to 20 alternatives), so they
 * are written as a JSON array instead of an object — about a third of the bytes and cheaper to
 * produce on the streaming hot path:
 *   [text, channel, msSinceStart, logprob|null, [[altText, altLogprob(, altBytes)], …]|null(, bytes)]
 * with channel 0 = content, 1 = thinking. Every other event is its JSON object, so lines starting
 * with `[` are tokens and lines starting with `{` are everything else (header included).
 */
import type { RunEvent, TokenEvent, TopLogprob } from '../providers/events';

const CONTENT = 0;
const THINKING = 1;

export function encodeEvent(event: RunEvent): string {
  if (event.type !== 'token') return JSON.stringify(event);
  let line = `[${JSON.stringify(event.text)},${event.channel === 'content' ? CONTENT : THINKING},${event.msSinceStart},${numberOrNull(event.logprob)},`;
  const top = event.topLogprobs;
  if (top === undefined) {
    line += 'null';
  } else {
    line += '[';
    for (let i = 0; i < top.length; i += 1) {
      const alternative = top[i] as TopLogprob;
      if (i > 0) line += ',';
      line += `[${JSON.stringify(alternative.text)},${numberOrNull(alternative.logprob)}`;
      if (alternative.bytes !== undefined) line += `,${JSON.stringify(alternative.bytes)}`;
      line += ']';
    }
    line += ']';
  }
  if (event.bytes !== undefined) line += `,${JSON.stringify(event.bytes)}`;
  return `${line}]`;
}

/** JSON has no -Infinity/NaN; JSON.stringify would write null for them too. */
function numberOrNull(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? 'null' : String(value);
}

export class EventDecodeError extends Error {
  override name = 'EventDecodeError';
}

/** Parses one line back into an event; throws EventDecodeError for lines that are not events. */
export function decodeEvent(line: string): RunEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new EventDecodeError(`not JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(value)) return decodeToken(value);
  if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') return value as RunEvent;
  throw new EventDecodeError('not an event');
}

function decodeToken(fields: unknown[]): TokenEvent {
  const [text, channel, ms, logprob, top, bytes] = fields;
  if (typeof text !== 'string' || (channel !== CONTENT && channel !== THINKING) || typeof ms !== 'number') {
    throw new EventDecodeError('malformed token line');
  }
  const event: TokenEvent = { type: 'token', text, channel: channel === CONTENT ? 'content' : 'thinking', msSinceStart: ms };
  if (typeof logprob === 'number') event.logprob = logprob;
  if (Array.isArray(top)) {
    event.topLogprobs = top.map((entry: unknown): TopLogprob => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') throw new EventDecodeError('malformed alternative');
      const alternative: TopLogprob = { text: entry[0], logprob: typeof entry[1] === 'number' ? entry[1] : -Infinity };
      if (Array.isArray(entry[2])) alternative.bytes = entry[2] as number[];
      return alternative;
    });
  }
  if (Array.isArray(bytes)) event.bytes = bytes as number[];
  return event;
}
