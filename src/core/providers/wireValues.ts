/**
 * Reading single values from server JSON that may not have the type the protocol promises.
 * Our events always carry numbers for logprobs and strings for text.
 */

/** A finite logprob: a number, or a string holding a finite number ("-0.25"); else undefined. */
export function logprobNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** "an object ({"a":1})", "a number (5)": what arrived, for protocol errors. */
export function describeJsonValue(value: unknown): string {
  const kind =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'an array'
        : typeof value === 'object'
          ? 'an object'
          : typeof value === 'number'
            ? 'a number'
            : typeof value === 'boolean'
              ? 'a boolean'
              : typeof value;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return kind === 'null' ? 'null' : `${kind} (${text.length > 80 ? `${text.slice(0, 80)}…` : text})`;
}

/** Text fields: a string, or absent/null (nothing); anything else is reported by the caller. */
export function optionalText(value: unknown): { ok: true; text: string | undefined } | { ok: false } {
  if (value === undefined || value === null) return { ok: true, text: undefined };
  return typeof value === 'string' ? { ok: true, text: value } : { ok: false };
}
