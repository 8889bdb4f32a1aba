import { chunks, MAX_BATCH_TOKENS } from '../../core/transcript/batcher';
import type { AppendMessage, PromptState, RunSent, RunTranscript, SnapshotMessage } from '../../shared/protocol';

/** A snapshot carries at most this many tokens per run; the rest follows as increments. */
const SNAPSHOT_TOKENS = MAX_BATCH_TOKENS;

/**
 * The messages that bring a webview up to date: one snapshot, then, for long runs, the tokens
 * past the first SNAPSHOT_TOKENS as `append` messages (the active run's first). A 100,000-token
 * run restored after a reload thus arrives as 100 small messages instead of one that would hold
 * the webview's main thread for a few hundred milliseconds while it is read.
 */
export function snapshotMessages(
  transcripts: readonly RunTranscript[],
  activeRunId: string,
  prompt?: PromptState,
  sent: readonly RunSent[] = [],
): (SnapshotMessage | AppendMessage)[] {
  const rest: AppendMessage[] = [];
  const runs = transcripts.map((t) => {
    if (t.tokens.length <= SNAPSHOT_TOKENS) return t;
    const later = chunks(t.tokens.length, SNAPSHOT_TOKENS, SNAPSHOT_TOKENS).map(({ from, to }): AppendMessage => ({
      type: 'append',
      runId: t.meta.id,
      from,
      tokens: t.tokens.slice(from, to),
    }));
    if (t.meta.id === activeRunId) rest.unshift(...later);
    else rest.push(...later);
    return { ...t, tokens: t.tokens.slice(0, SNAPSHOT_TOKENS) };
  });
  return [{ type: 'snapshot', runs, activeRunId, ...(prompt ? { prompt } : {}), ...(sent.length > 0 ? { sent: [...sent] } : {}) }, ...rest];
}
