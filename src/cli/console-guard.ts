/**
 * Imported first by the executable (bin.ts), before any library is loaded: whatever a library
 * prints through `console` (the ollama client logs "Getting text from response" when an error
 * body is not JSON, and warns with whole server lines) goes to stderr, marked as a library's,
 * made terminal-safe and cut to a readable length. Stdout carries only our output, so
 * `run --json` stays pure NDJSON.
 */
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { redactUrlCredentials } from '../core/text/redact';
import { terminalSafe } from '../core/text/terminal';

const MAX_CHARS = 2_000;

function shown(message: string): string {
  const text = message.replace(/\n$/, '');
  const cut = text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}… (${text.length - MAX_CHARS} more characters not shown)` : text;
  return terminalSafe(redactUrlCredentials(cut));
}

const toStderr = new Writable({
  write(chunk: Buffer | string, _encoding, done): void {
    const message = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    process.stderr.write(`promptscope: a library reported: ${shown(message)}\n`);
    done();
  },
});

// Replacing the methods of the one global console (rather than the global binding) also covers
// code that kept a reference to `console`. Console methods come bound to their instance.
const guarded = new Console({ stdout: toStderr, stderr: toStderr });
const target = console as unknown as Record<string, unknown>;
for (const [name, value] of Object.entries(guarded as unknown as Record<string, unknown>)) {
  if (typeof value === 'function' && typeof target[name] === 'function') target[name] = value;
}
