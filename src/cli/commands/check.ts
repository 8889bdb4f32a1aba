import * as path from 'node:path';
import { analyzePrompt } from '../../core/prompt/analyze';
import { patternHints } from '../../core/patterns/hints';
import type { PromptDiagnostic } from '../../core/prompt/diagnostic';
import { readPromptFile } from '../../core/io/read-prompt';
import { parseArgs, stringFlag, UsageError } from '../args';
import { EXIT, type CliIo } from '../io';
import { field } from '../json';
import { describeReadError, partialContextFor, workspaceRootFor, workspaceScan } from '../workspace';
import { loadWorkspaceSchemas } from '../schemas';

export const checkUsage =
  'promptscope check <files…> [--json] [--workspace <dir>] [--partials <dir>] [--helpers a,b] [--schemas Name=file.json,…]';

export interface CheckFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: PromptDiagnostic['severity'];
  code: string;
  message: string;
}

export async function checkCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ['workspace', 'partials', 'helpers', 'schemas'], ['json']);
  if (args.positionals.length === 0) throw new UsageError(`no files given. Usage: ${checkUsage}`);
  const customHelpers = (stringFlag(args, 'helpers') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // One catalog for the run: named schemas come from the workspace's code and the mapped files.
  const workspaceRoot = workspaceRootFor(args, io);
  const scan = workspaceScan(workspaceRoot, io);
  const schemas = loadWorkspaceSchemas(workspaceRoot, stringFlag(args, 'schemas'), scan.catalog);
  const findings: CheckFinding[] = [];
  let unreadable = 0;
  for (const file of args.positionals) {
    const abs = path.resolve(io.cwd, file);
    let read;
    try {
      read = readPromptFile(abs);
    } catch (err) {
      io.err(`promptscope: ${describeReadError(file, err)}\n`);
      unreadable++;
      continue;
    }
    const analysis = await analyzePrompt(read.text, {
      partials: partialContextFor(file, args, io),
      filePath: abs,
      customHelpers,
      schemas: schemas.lookup,
      registered: scan.registrations,
    });
    for (const d of [...read.diagnostics, ...analysis.diagnostics, ...patternHints(analysis)]) {
      findings.push({
        file,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: d.severity,
        code: d.code,
        message: d.message,
      });
    }
  }
  if (args.flags.has('json')) {
    io.out(`${JSON.stringify(findings, null, 2)}\n`);
  } else {
    for (const f of findings) io.out(`${field(f.file)}:${f.line}:${f.column}: ${f.severity} ${field(f.message)} [${field(f.code)}]\n`);
    const count = (s: string): number => findings.filter((f) => f.severity === s).length;
    const checked = args.positionals.length - unreadable;
    io.out(
      `${checked} file${checked === 1 ? '' : 's'} checked: ${count('error')} errors, ${count('warning')} warnings, ${count('information') + count('hint')} notes\n`,
    );
  }
  if (unreadable > 0) return EXIT.usage;
  return findings.some((f) => f.severity === 'error') ? EXIT.findings : EXIT.ok;
}
