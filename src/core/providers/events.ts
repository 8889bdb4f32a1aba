/**
 * The normalized run protocol shared by every provider (Ollama native, OpenAI-compatible).
 *
 * Contract of `Provider.run`: it never throws and never rejects; the stream always ends with
 * exactly one terminal event, `done` or `error`. Everything a caller needs to keep partial
 * output is in the events that came before the terminal one.
 */
import type { Message } from 'dotprompt';

export type Channel = 'content' | 'thinking';

/** One alternative the model could have produced at a token position. */
export interface TopLogprob {
  text: string;
  logprob: number;
  /** As for TokenEvent.bytes: only raw bytes of a partial character. */
  bytes?: number[];
}

/**
 * A piece of visible output. Concatenating `text` of the token events of one channel gives that
 * channel's visible text exactly (it is cut from the server's content deltas, not from token
 * strings). `text` is '' for a token that only carries bytes of a character completed by a later
 * token, or whose text the server never showed (special tokens, suppressed partial tokens).
 */
export interface TokenEvent {
  type: 'token';
  text: string;
  channel: Channel;
  msSinceStart: number;
  logprob?: number;
  topLogprobs?: TopLogprob[];
  /**
   * Raw bytes of the token, only when they say more than its text: a partial character split
   * across tokens. Absent for whole tokens (their bytes are the UTF-8 of the text) and for
   * U+FFFD placeholders.
   */
  bytes?: number[];
}

/** A whole tool call as the model requested it. */
export interface ToolCallEvent {
  type: 'tool-call';
  name: string;
  /** Parsed JSON arguments; the raw string when the server sent JSON that does not parse. */
  arguments: unknown;
  id?: string;
  msSinceStart: number;
}

export type NoticeCode = 'logprobs-unsupported-version' | 'thinking-unsupported' | 'malformed-line';

/** Something the user should know that does not stop the run. */
export interface NoticeEvent {
  type: 'notice';
  code: NoticeCode;
  message: string;
}

export interface RunStats {
  doneReason?: string;
  ttftMs?: number;
  promptTokens?: number;
  /** Prompt tokens per second, as the server measured it. */
  promptEvalRate?: number;
  outputTokens?: number;
  /** Output tokens per second, as the server measured it. */
  evalRate?: number;
  loadMs?: number;
  /** Total time the server reports for the request. */
  totalMs?: number;
  /** Wall-clock time from the start of `run()` to the terminal event, measured by us. */
  wallMs: number;
}

export interface DoneEvent {
  type: 'done';
  stats: RunStats;
}

export type RunErrorKind =
  | 'connection-refused'
  | 'host-not-found'
  | 'network'
  | 'model-not-found'
  | 'bad-request'
  | 'unauthorized'
  | 'server-error'
  | 'stream-cut'
  | 'malformed-response'
  | 'timeout'
  | 'aborted';

export interface ErrorEvent {
  type: 'error';
  kind: RunErrorKind;
  /** Specific, human message: what happened and what to do. */
  message: string;
  /** The server's (or the network stack's) own words, verbatim, when there were any. */
  serverMessage?: string;
  status?: number;
  /** The URL that was contacted. */
  url?: string;
  /** The model asked for; set for `model-not-found` so a UI can offer "Pull". */
  model?: string;
  stats: RunStats;
}

export type RunEvent = TokenEvent | ToolCallEvent | NoticeEvent | DoneEvent | ErrorEvent;
export type TerminalEvent = DoneEvent | ErrorEvent;

/**
 * Dotprompt model config plus pass-through options. Known keys are mapped to each server's names;
 * anything else is passed through (camelCase turned into the server's snake_case when it names a
 * known option).
 */
export interface RunConfig {
  temperature?: number;
  topK?: number;
  topP?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
  [option: string]: unknown;
}

export type ThinkSetting = boolean | 'low' | 'medium' | 'high' | 'max';

export interface RunRequest {
  /** Model name as the server knows it (without the endpoint prefix). */
  model: string;
  /** Rendered Dotprompt messages. */
  messages: Message[];
  config?: RunConfig;
  /**
   * Raw completion: the messages' text is sent as-is with no chat template
   * (Ollama `/api/generate` with `raw: true`). OpenAI-compatible endpoints reject raw runs.
   */
  raw?: boolean;
  /** 0–20 alternatives per token; undefined means no log-probabilities at all. */
  topLogprobs?: number;
  think?: ThinkSetting;
  /** Ollama `keep_alive`: Go duration string ("5m") or seconds; negative keeps the model loaded. */
  keepAlive?: string | number;
  /** Fail with `timeout` when no token has arrived after this long (includes model load time). */
  firstTokenTimeoutMs?: number;
  /** Fail with `timeout` when the stream has started and then stays silent this long (0: never). Default 60 s. */
  idleTimeoutMs?: number;
  /** Longest line (NDJSON) or SSE line accepted from the server. Default 16 MiB. */
  maxLineBytes?: number;
}

export interface Provider {
  run(request: RunRequest, signal?: AbortSignal): AsyncIterable<RunEvent>;
}

export function isTerminal(event: RunEvent): event is TerminalEvent {
  return event.type === 'done' || event.type === 'error';
}
