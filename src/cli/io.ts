/** Where a command writes; tests pass their own to capture output. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  /** Whether colours may be used on stdout. */
  color: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  color: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'],
};

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, findings: 1, usage: 2, assertions: 3, interrupted: 130 } as const;
