import { redactSecrets, redactUrlCredentials } from '../core/text/redact';
import { terminalSafe } from '../core/text/terminal';

/** Our own emphasis; the only escape sequences the CLI ever writes (see `safeIo`). */
export type Style = 'bold' | 'red' | 'magenta' | 'yellow';
const SGR: Record<Style, string> = { bold: '\u001b[1m', red: '\u001b[31m', magenta: '\u001b[35m', yellow: '\u001b[33m' };
const RESET = '\u001b[0m';

/**
 * Where a command writes; tests pass their own to capture output. `main` wraps whatever it is
 * given in `safeIo`, so commands may pass any text (tokens, server messages, file names) to
 * `out`/`err`: it is made terminal-safe and free of known credentials on its way out.
 */
export interface CliIo {
  out(text: string, style?: Style): void;
  err(text: string, style?: Style): void;
  cwd: string;
  /** Whether colours may be used on stdout. */
  color: boolean;
  /** Values never to print (passwords in endpoint URLs, API keys); set by the endpoint parser. */
  conceal?(values: readonly string[]): void;
}

const SAFE = Symbol('promptscope.safeIo');

/**
 * The one way out: every character a command prints passes `terminalSafe` (control characters,
 * escape sequences and bidi controls shown visibly), then our own colours are added around it.
 * Known secrets are hidden on both streams; URL credentials in any message on stderr too.
 */
export function safeIo(raw: CliIo): CliIo {
  if ((raw as { [SAFE]?: true })[SAFE]) return raw;
  const secrets = new Set<string>();
  const clean = (text: string): string => terminalSafe(redactSecrets(text, secrets));
  const paint = (text: string, style: Style | undefined): string =>
    style !== undefined && raw.color && text !== '' ? `${SGR[style]}${text}${RESET}` : text;
  const io: CliIo & { [SAFE]: true } = {
    [SAFE]: true,
    out: (text, style) => raw.out(paint(clean(text), style)),
    err: (text, style) => raw.err(paint(redactUrlCredentials(clean(text)), style)),
    cwd: raw.cwd,
    color: raw.color,
    conceal: (values) => {
      for (const value of values) secrets.add(value);
      raw.conceal?.(values);
    },
  };
  return io;
}

export interface ProcessStreams {
  io: CliIo;
  /**
   * Aborted when stdout's reader went away (`promptscope run … | head -1`): further output is
   * dropped, and commands stop their runs through this signal, saving what arrived.
   */
  stdoutClosed: AbortSignal;
}

/** The real stdout/stderr, for the CLI's entry point only (installs error listeners on them). */
export function processStreams(): ProcessStreams {
  const stdoutGone = new AbortController();
  let stderrGone = false;
  watchStream(process.stdout, () => stdoutGone.abort());
  watchStream(process.stderr, () => {
    stderrGone = true;
  });
  const io: CliIo = {
    out: (text) => {
      if (!stdoutGone.signal.aborted) process.stdout.write(text);
    },
    err: (text) => {
      if (!stderrGone) process.stderr.write(text);
    },
    cwd: process.cwd(),
    // NO_COLOR wins; FORCE_COLOR asks for colours on a pipe (a pager such as `less -R`).
    color:
      !process.env['NO_COLOR'] &&
      (Boolean(process.stdout.isTTY) || (process.env['FORCE_COLOR'] !== undefined && process.env['FORCE_COLOR'] !== '0')),
  };
  return { io, stdoutClosed: stdoutGone.signal };
}

/** Without a listener, EPIPE on a closed pipe would throw from the event loop with a stack trace. */
function watchStream(stream: NodeJS.WriteStream, onGone: () => void): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // Any failure other than a reader that left (a full disk behind a redirect) is reported where it can be.
    if (error.code !== 'EPIPE' && stream !== process.stderr)
      process.stderr.write(`promptscope: cannot write output: ${terminalSafe(error.message)}\n`);
    onGone();
  });
}

/** Exit codes shared by every command; 141 is what a shell reports for a process ended by SIGPIPE. */
export const EXIT = { ok: 0, findings: 1, usage: 2, assertions: 3, interrupted: 130, brokenPipe: 141 } as const;
