import { t } from './l10n';

/** What VS Code gives a webview script; `acquireVsCodeApi` may be called once per page. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

/** The page's one VS Code API object (a second `acquireVsCodeApi` call throws). */
export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

/** The part every host reply shares: the request it answers and whether it went well. */
export interface ReplyBase {
  type: 'reply';
  requestId: number;
  ok: boolean;
  error?: string | undefined;
}

export interface ChannelOptions<Message extends { type: string }> {
  /** The protocol's guard: only messages it accepts reach the panel. */
  accepts(data: unknown): data is Message;
  /** Every host message but replies (replies settle requests). */
  onMessage(message: Exclude<Message, { type: 'reply' }>): void;
  /** How long a request may wait for its reply. */
  timeoutMs: number;
  /** The error of a request the host did not answer in time; the strings table's by default. */
  timeoutMessage?: string;
  /** The error of a reply that failed without saying why; the strings table's by default. */
  failedMessage?: string;
  /** Where host messages arrive and where requests go; the page's window and API unless a test gives others. */
  target?: EventTarget;
  api?: VsCodeApi;
}

interface Pending<Reply> {
  resolve(reply: Reply): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The webview's side of the channel to the host: validated messages in, requests out with ids.
 * Every request is settled exactly once: by its reply, by the timeout, or by `dispose`.
 */
export class HostChannel<Message extends { type: string }, Reply extends ReplyBase = Extract<Message, ReplyBase>> {
  private readonly api: VsCodeApi;
  private nextId = 1;
  private readonly pending = new Map<number, Pending<Reply>>();
  private readonly listener = (event: Event): void => this.receive((event as MessageEvent<unknown>).data);
  private readonly target: EventTarget;

  constructor(private readonly options: ChannelOptions<Message>) {
    this.api = options.api ?? vscodeApi();
    this.target = options.target ?? window;
    this.target.addEventListener('message', this.listener);
  }

  private receive(data: unknown): void {
    if (!this.options.accepts(data)) {
      console.warn('promptscope: ignored a malformed message from the host');
      return;
    }
    if (data.type === 'reply') this.settle(data as unknown as Reply);
    else this.options.onMessage(data as Exclude<Message, { type: 'reply' }>);
  }

  /** Asks the host for a snapshot (at start, and after a lost increment). */
  ready(): void {
    this.api.postMessage({ type: 'ready' });
  }

  /** A message that needs no reply. */
  send<Sent extends { type: string }>(message: Sent): void {
    this.api.postMessage(message);
  }

  /** Resolves with the host's ok reply; rejects on an error reply, after the timeout, or on dispose. */
  request(action: object): Promise<Reply> {
    const requestId = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(requestId, this.options.timeoutMessage ?? t('requestTimedOut')), this.options.timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.api.postMessage({ type: 'request', requestId, ...action });
    });
  }

  /** Requests waiting for a reply. */
  get waiting(): number {
    return this.pending.size;
  }

  private take(requestId: number): Pending<Reply> | undefined {
    const entry = this.pending.get(requestId);
    if (!entry) return undefined;
    this.pending.delete(requestId);
    clearTimeout(entry.timer);
    return entry;
  }

  private settle(reply: Reply): void {
    const entry = this.take(reply.requestId);
    if (!entry) return;
    if (reply.ok) entry.resolve(reply);
    else entry.reject(new Error(reply.error ?? this.options.failedMessage ?? t('requestFailed')));
  }

  private fail(requestId: number, message: string): void {
    this.take(requestId)?.reject(new Error(message));
  }

  /** Stops listening and rejects what still waits, so no caller hangs. */
  dispose(message: string): void {
    this.target.removeEventListener('message', this.listener);
    for (const id of [...this.pending.keys()]) this.fail(id, message);
  }

  saveState(state: unknown): void {
    this.api.setState(state);
  }

  loadState(): unknown {
    return this.api.getState();
  }
}
