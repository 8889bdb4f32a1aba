import { terminalSafe } from '../core/text/terminal';
import { UsageError } from './args';
import { field } from './json';
import { checkCommand, checkUsage } from './commands/check';
import { compareCommand, compareUsage } from './commands/compare';
import { exportDatasetCommand, exportDatasetUsage } from './commands/export-dataset';
import { patternsCommand, patternsUsage } from './commands/patterns';
import { renderCommand, renderUsage } from './commands/render';
import { runCommand, runUsage } from './commands/run';
import { ENDPOINT_HELP } from './endpoints';
import { EXIT, processStreams, safeIo, type CliIo } from './io';

type Command = (argv: readonly string[], io: CliIo, signal?: AbortSignal) => Promise<number>;

/** `interruptible` commands stop on Ctrl+C and keep what arrived; the others end at once. */
const COMMANDS: Record<string, { run: Command; usage: string; summary: string; interruptible?: true; details?: string }> = {
  check: { run: checkCommand, usage: checkUsage, summary: "report the editor's diagnostics for .prompt files" },
  render: { run: renderCommand, usage: renderUsage, summary: 'render a prompt to messages with the dotprompt library' },
  patterns: {
    run: patternsCommand,
    usage: patternsUsage,
    summary: 'list the prompt-pattern catalogue, explain a pattern, print its template',
  },
  run: {
    run: runCommand,
    interruptible: true,
    details: ENDPOINT_HELP,
    usage: runUsage,
    summary: 'run a prompt on a model (Ollama or an OpenAI-compatible server), streaming the output',
  },
  compare: {
    run: compareCommand,
    interruptible: true,
    details: ENDPOINT_HELP,
    usage: compareUsage,
    summary: 'compare models and prompt variants over test cases, with assertions and sample votes (exit 3 when an assertion fails)',
  },
  'export-dataset': {
    run: exportDatasetCommand,
    interruptible: true,
    usage: exportDatasetUsage,
    summary:
      'render a prompt for every row of a JSONL/CSV file into fine-tuning records (instruction/input/output or chat); exit 1 when a row was bad',
  },
};

function help(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}\n      ${c.usage}`);
  return `Promptscope — check, render and run Dotprompt .prompt files.\n\nUsage: promptscope <command> [options]\n\n${rows.join('\n')}\n\nOptions for every command: --verbose (stack traces on internal errors), --help.\n${ENDPOINT_HELP}\n\nWith --json, stdout is JSON only (camelCase keys, null for absent values; one JSON Schema per output in docs/cli/schemas/).\nText from models, servers and files is shown with visible stand-ins for control characters and escape sequences (␛, \\u202e).\nExit codes: 0 fine, 1 errors found, 2 usage or file problems, 3 a run or a comparison assertion failed, 130 interrupted, 141 stdout closed (e.g. | head).\n`;
}

/**
 * Runs one command. Everything it prints goes through `safeIo` (terminal-safe, no credentials).
 * `stdoutClosed` (from the real process streams) stops a run whose reader went away; the exit
 * code is then 141, as for a process a shell saw end by SIGPIPE.
 */
export async function main(argv: readonly string[], rawIo: CliIo, stdoutClosed?: AbortSignal): Promise<number> {
  const io = safeIo(rawIo);
  const verbose = argv.includes('--verbose');
  const rest = argv.filter((a) => a !== '--verbose');
  const [name, ...args] = rest;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    io.out(`${typeof PROMPTSCOPE_VERSION === 'string' ? PROMPTSCOPE_VERSION : 'development'}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`promptscope: unknown command "${field(name)}" (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return EXIT.usage;
  }
  if (args.includes('--help')) {
    io.out(`Usage: ${command.usage}\n${command.details ? `\n${command.details}\n` : ''}`);
    return EXIT.ok;
  }
  const interrupt = command.interruptible ? interruptSignal() : undefined;
  const signals = [...(interrupt ? [interrupt.signal] : []), ...(stdoutClosed ? [stdoutClosed] : [])];
  const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
  try {
    const code = await command.run(args, io, signal);
    return stdoutClosed?.aborted ? EXIT.brokenPipe : code;
  } catch (err) {
    if (stdoutClosed?.aborted) return EXIT.brokenPipe;
    if (err instanceof UsageError) {
      io.err(`promptscope ${name}: ${err.message}\n`);
      return EXIT.usage;
    }
    io.err(
      `promptscope ${name}: internal error: ${err instanceof Error ? err.message : String(err)}${verbose ? '' : ' (run with --verbose for details)'}\n`,
    );
    if (verbose && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
    return EXIT.usage;
  } finally {
    interrupt?.dispose();
  }
}

declare const PROMPTSCOPE_VERSION: string;

/** Ctrl+C stops a run and keeps what arrived; a second Ctrl+C exits at once. */
function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);
  return { signal: controller.signal, dispose: () => process.removeListener('SIGINT', onInterrupt) };
}

/** The executable's entry (bin.ts): the real streams, the exit code on the process. */
export function runCli(): void {
  const { io, stdoutClosed } = processStreams();
  main(process.argv.slice(2), io, stdoutClosed).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      io.err(`promptscope: ${terminalSafe(String(err))}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
