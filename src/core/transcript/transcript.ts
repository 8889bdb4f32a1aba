import type { ErrorEvent, NoticeEvent, RunEvent, RunStats, TokenEvent, ToolCallEvent, TopLogprob } from '../providers/events';
import { runKind, type RunKind } from '../runs/kind';

/** A token as the run panel shows it (plain data, sent to the webview as is). */
export interface TranscriptToken {
  text: string;
  channel: 'content' | 'thinking';
  ms: number;
  logprob?: number;
  top?: TopLogprob[];
  bytes?: number[];
}

export type TranscriptStatus = 'running' | 'completed' | 'stopped' | 'error';

/** Where a branch came from: the parent run, the token replaced and the alternative chosen. */
export interface BranchOrigin {
  parentId: string;
  tokenIndex: number;
  alternative: string;
}

export interface RunMeta {
  id: string;
  title: string;
  endpoint: string;
  model: string;
  startedAt: string;
  /** Whether the request asked for probabilities. */
  wantedLogprobs: boolean;
  /** How the run came about (the host decides with it, e.g. whether a panel takes the run's title). */
  kind?: RunKind;
  origin?: BranchOrigin;
}

/** Everything the panel shows about one run; the host owns it, the webview renders it. */
export interface RunTranscript {
  meta: RunMeta;
  /** Tokens copied from the parent up to the branch point (a branch's fixed prefix). */
  prefix: TranscriptToken[];
  tokens: TranscriptToken[];
  status: TranscriptStatus;
  stats?: RunStats;
  error?: { kind: ErrorEvent['kind']; message: string; serverMessage?: string; model?: string };
  notices: { code: NoticeEvent['code']; message: string }[];
}

export function newTranscript(meta: RunMeta, prefix: TranscriptToken[] = []): RunTranscript {
  return { meta, prefix, tokens: [], status: 'running', notices: [] };
}

function toTranscriptToken(event: TokenEvent): TranscriptToken {
  const token: TranscriptToken = { text: event.text, channel: event.channel, ms: event.msSinceStart };
  if (event.logprob !== undefined) token.logprob = event.logprob;
  if (event.topLogprobs !== undefined) token.top = event.topLogprobs;
  if (event.bytes !== undefined) token.bytes = event.bytes;
  return token;
}

/** A tool call as the panels show it: a line of text in the content channel. */
function toolCallToken(event: ToolCallEvent): TranscriptToken {
  return { text: `\n[tool call ${event.name} ${JSON.stringify(event.arguments)}]\n`, channel: 'content', ms: event.msSinceStart };
}

/** The token an event shows as, if it shows as one (tokens and tool calls). */
export function tokenOf(event: RunEvent): TranscriptToken | undefined {
  if (event.type === 'token') return toTranscriptToken(event);
  if (event.type === 'tool-call') return toolCallToken(event);
  return undefined;
}

/**
 * Applies one event. Returns the token appended, if any, so a caller can forward just that
 * increment. Tool calls are shown as text in the content channel.
 */
export function applyEvent(t: RunTranscript, event: RunEvent): TranscriptToken | undefined {
  // A run ends once; anything after its terminal event (a provider bug) is not part of it.
  if (t.status !== 'running') return undefined;
  switch (event.type) {
    case 'token':
    case 'tool-call': {
      const token = tokenOf(event)!;
      t.tokens.push(token);
      return token;
    }
    case 'notice':
      if (!t.notices.some((n) => n.code === event.code)) t.notices.push({ code: event.code, message: event.message });
      return undefined;
    case 'done':
      t.status = 'completed';
      t.stats = event.stats;
      return undefined;
    case 'error':
      t.status = event.kind === 'aborted' ? 'stopped' : 'error';
      t.stats = event.stats;
      t.error = {
        kind: event.kind,
        message: event.message,
        ...(event.serverMessage ? { serverMessage: event.serverMessage } : {}),
        ...(event.model ? { model: event.model } : {}),
      };
      return undefined;
  }
}

export interface DerivedStats {
  tokenCount: number;
  meanLogprob?: number;
  perplexity?: number;
  /** Output tokens per second over the generation (after the first token), measured by us. */
  tokensPerSecond?: number;
  /** Mean entropy (nats) of the alternatives over content tokens that have them. */
  meanEntropy?: number;
}

/** Statistics computed from the tokens themselves. */
export function deriveStats(tokens: readonly TranscriptToken[]): DerivedStats {
  const content = tokens.filter((t) => t.channel === 'content');
  const withLogprob = content.filter((t) => t.logprob !== undefined);
  const out: DerivedStats = { tokenCount: tokens.length };
  if (withLogprob.length > 0) {
    const mean = withLogprob.reduce((s, t) => s + t.logprob!, 0) / withLogprob.length;
    out.meanLogprob = mean;
    out.perplexity = Math.exp(-mean);
  }
  let entropySum = 0;
  let entropyCount = 0;
  for (const t of content) {
    const h = entropy(t.top);
    if (h === undefined) continue;
    entropySum += h;
    entropyCount++;
  }
  if (entropyCount > 0) out.meanEntropy = entropySum / entropyCount;
  if (tokens.length > 1) {
    const span = tokens[tokens.length - 1]!.ms - tokens[0]!.ms;
    if (span > 0) out.tokensPerSecond = ((tokens.length - 1) * 1000) / span;
  }
  return out;
}

/** Shannon entropy (nats) of a token's alternatives, renormalised over what the server sent. */
export function entropy(top: readonly TopLogprob[] | undefined): number | undefined {
  if (!top || top.length === 0) return undefined;
  const probs = top.map((a) => Math.exp(a.logprob));
  const total = probs.reduce((s, p) => s + p, 0);
  if (total <= 0) return undefined;
  // Clamped: one sure alternative gives -0, rounding can give a hair below zero.
  return Math.max(0, -probs.reduce((s, p) => (p > 0 ? s + (p / total) * Math.log(p / total) : s), 0));
}

/** Entropy per token (undefined where the server sent no alternatives), in order. */
export function tokenEntropies(tokens: readonly TranscriptToken[]): (number | undefined)[] {
  return tokens.map((t) => entropy(t.top));
}

/** A run's place in the tree of runs and branches of one panel. */
export interface BranchNode {
  id: string;
  /** 0 for a run, 1 for a branch of it, 2 for a branch of that branch… */
  depth: number;
  /** The run this one branched from, when that run is known. */
  parentId?: string;
  children: string[];
}

/**
 * The runs as a tree, depth first: every run followed by its branches (in the order given).
 * A branch whose parent is not among `runs` (deleted from history) is shown as a root.
 */
export function branchTree(runs: readonly RunTranscript[]): BranchNode[] {
  const ids = new Set(runs.map((r) => r.meta.id));
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const r of runs) {
    const parent = r.meta.origin?.parentId;
    if (parent !== undefined && parent !== r.meta.id && ids.has(parent)) {
      const list = children.get(parent) ?? [];
      list.push(r.meta.id);
      children.set(parent, list);
    } else {
      roots.push(r.meta.id);
    }
  }
  const out: BranchNode[] = [];
  const seen = new Set<string>();
  const visit = (id: string, depth: number, parentId: string | undefined): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const kids = children.get(id) ?? [];
    out.push({ id, depth, ...(parentId !== undefined ? { parentId } : {}), children: kids });
    for (const kid of kids) visit(kid, depth + 1, id);
  };
  for (const id of roots) visit(id, 0, undefined);
  // Runs caught in a cycle of parents (damaged records) are reachable from no root: list them too.
  for (const r of runs) visit(r.meta.id, 0, undefined);
  return out;
}

/**
 * The text a branch continues from: the visible content up to the chosen token, with the
 * alternative in its place. Thinking tokens are not part of the continuation.
 */
export function branchPrefix(t: RunTranscript, tokenIndex: number, alternative: string): { prefix: string; tokens: TranscriptToken[] } {
  const all = [...t.prefix, ...t.tokens];
  if (tokenIndex < 0 || tokenIndex >= all.length) throw new RangeError(`token ${tokenIndex} is outside the run (${all.length} tokens)`);
  const kept = all.slice(0, tokenIndex).filter((tok) => tok.channel === 'content');
  const chosen: TranscriptToken = { text: alternative, channel: 'content', ms: all[tokenIndex]!.ms };
  const tokens = [...kept, chosen];
  return { prefix: tokens.map((tok) => tok.text).join(''), tokens };
}

/** Rebuilds a transcript from a saved run (its header and events), e.g. for the History view. */
export function transcriptFromRecord(
  header: {
    id: string;
    kind?: RunKind;
    startedAt: string;
    model: string;
    endpoint: { name: string };
    file?: string;
    request: { topLogprobs?: number };
    branchOf?: { runId: string; tokenIndex: number; alternative: string };
  },
  events: readonly RunEvent[],
  prefix: TranscriptToken[] = [],
): RunTranscript {
  const title = `${header.file ? `${header.file.split(/[\\/]/).pop()} · ` : ''}${header.endpoint.name}/${header.model}`;
  const t = newTranscript(
    {
      id: header.id,
      title,
      endpoint: header.endpoint.name,
      model: header.model,
      startedAt: header.startedAt,
      wantedLogprobs: header.request.topLogprobs !== undefined,
      kind: runKind(header),
      ...(header.branchOf
        ? { origin: { parentId: header.branchOf.runId, tokenIndex: header.branchOf.tokenIndex, alternative: header.branchOf.alternative } }
        : {}),
    },
    prefix,
  );
  for (const event of events) applyEvent(t, event);
  // A saved run that never ended was interrupted; it is not running any more.
  if (t.status === 'running') t.status = 'stopped';
  return t;
}
