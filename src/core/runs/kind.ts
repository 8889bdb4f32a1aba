/**
 * How a run came about: a run of a prompt file (from the editor or the CLI), the same request
 * again, a continuation from a chosen token, or one cell of a comparison. Kept apart from
 * record.ts (which needs Node) so the webview can check the kinds it is sent.
 */
export const RUN_KINDS = ['prompt', 'retry', 'branch', 'comparison'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** A run's kind; for records saved before runs had one, inferred from what they hold. */
export function runKind(info: { kind?: string | undefined; branchOf?: unknown }): RunKind {
  const known = RUN_KINDS.find((k) => k === info.kind);
  if (known !== undefined) return known;
  return info.branchOf !== undefined ? 'branch' : 'prompt';
}
