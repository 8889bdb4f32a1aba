/**
 * Checks one reply against a test case's expectations. Every expectation gives one result with
 * pass/fail and a reason a person can act on. A run that failed or was stopped still has its
 * partial reply checked, and a `run` result says the reply may be incomplete.
 */
import { normalizeAnswer } from './answers';
import { parseJsonReply, validateJson } from './jsonSchema';
import { compileRegex } from './testCases';
import type { AssertionResult, Expectations } from './types';

export interface AssertionContext {
  /** The prompt's `output.schema` as JSON Schema (the library expands Picoschema). */
  outputSchema?: unknown;
  /** The answer the prompt's rule extracted from the reply; undefined when it found none. */
  answer?: string;
  /** Set when the run did not complete: its reply is partial. */
  runError?: string;
}

export function hasExpectations(expect: Expectations): boolean {
  return (
    expect.equals !== undefined ||
    (expect.contains?.length ?? 0) > 0 ||
    (expect.regex?.length ?? 0) > 0 ||
    expect.schema === true ||
    expect.answer !== undefined
  );
}

export function checkExpectations(reply: string, expect: Expectations, context: AssertionContext = {}): AssertionResult[] {
  const results: AssertionResult[] = [];
  if (!hasExpectations(expect)) return results;
  if (context.runError !== undefined)
    results.push({ kind: 'run', pass: false, reason: `the run did not complete (${context.runError}); checked the partial reply` });

  if (expect.equals !== undefined) {
    const pass = reply.trim() === expect.equals.trim();
    results.push({
      kind: 'equals',
      pass,
      reason: pass ? 'the reply equals the expected text' : `expected ${quote(expect.equals.trim())}, got ${quote(reply.trim())}`,
    });
  }
  for (const needle of expect.contains ?? []) {
    const pass = reply.includes(needle);
    results.push({ kind: 'contains', pass, reason: pass ? `contains ${quote(needle)}` : `does not contain ${quote(needle)}` });
  }
  for (const source of expect.regex ?? []) {
    let pass: boolean;
    let reason: string;
    try {
      const match = compileRegex(source).exec(reply);
      pass = match !== null;
      reason = match ? `matches ${source} at ${quote(match[0])}` : `does not match ${source}`;
    } catch (error) {
      pass = false;
      reason = `${source} is not a valid regular expression: ${(error as Error).message}`;
    }
    results.push({ kind: 'regex', pass, reason });
  }
  if (expect.schema === true) results.push(schemaResult(reply, context.outputSchema));
  if (expect.answer !== undefined) {
    const answer = context.answer;
    const pass = answer !== undefined && normalizeAnswer(answer) === normalizeAnswer(expect.answer);
    results.push({
      kind: 'answer',
      pass,
      reason:
        answer === undefined
          ? `no answer found in the reply (expected ${quote(expect.answer)})`
          : pass
            ? `answer ${quote(answer)}`
            : `expected answer ${quote(expect.answer)}, got ${quote(answer)}`,
    });
  }
  return results;
}

function schemaResult(reply: string, schema: unknown): AssertionResult {
  const parsed = parseJsonReply(reply);
  if (!parsed.ok) return { kind: 'schema', pass: false, reason: `the reply is ${parsed.message}` };
  if (schema === undefined || schema === null)
    return { kind: 'schema', pass: true, reason: 'valid JSON (the prompt declares no output.schema)' };
  const errors = validateJson(parsed.value, schema);
  if (errors.length === 0) return { kind: 'schema', pass: true, reason: 'valid JSON matching output.schema' };
  const shown = errors
    .slice(0, 3)
    .map((e) => `${e.path}: ${e.message}`)
    .join('; ');
  return {
    kind: 'schema',
    pass: false,
    reason: `JSON does not match output.schema: ${shown}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`,
  };
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 77)}…` : flat);
}
