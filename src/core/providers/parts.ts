/**
 * Reading Dotprompt message parts, shared by the request builders of both providers.
 */
import type { Part } from 'dotprompt';

export class UnsupportedInputError extends Error {
  override name = 'UnsupportedInputError';
}

/** Text of a message: text parts as-is, data parts as JSON; media and pending parts are skipped. */
export function textOfParts(parts: readonly Part[]): string {
  let text = '';
  for (const part of parts) {
    if (part.text !== undefined) text += part.text;
    else if (part.data !== undefined) text += JSON.stringify(part.data);
  }
  return text;
}

export interface InlineMedia {
  contentType: string;
  base64: string;
}

/** Parses a `data:<type>;base64,<payload>` URL; undefined for any other URL. */
export function parseDataUrl(url: string): InlineMedia | undefined {
  const match = /^data:([^;,]*)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (match === null) return undefined;
  return { contentType: match[1] || 'application/octet-stream', base64: (match[2] as string).replace(/\s+/g, '') };
}

/** Base64 payloads of the message's media parts; non-data URLs cannot be sent to Ollama. */
export function inlineImages(parts: readonly Part[]): string[] {
  const images: string[] = [];
  for (const part of parts) {
    if (part.media === undefined) continue;
    const inline = parseDataUrl(part.media.url);
    if (inline === undefined) {
      throw new UnsupportedInputError(
        `Ollama needs images inline (data: URLs); "${part.media.url.slice(0, 80)}" is a link. Pass the image as a data URL or a local file the host inlines.`,
      );
    }
    images.push(inline.base64);
  }
  return images;
}
