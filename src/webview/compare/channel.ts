import { COMPARE_REQUEST_TIMEOUT_MS, isCompareHostMessage, type CompareAction, type CompareHostMessage, type CompareReplyMessage, type RenderedReport } from '../../shared/compare-protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The webview's side of the channel: validated host messages in, requests out with ids and timeouts. */
export class CompareChannel {
  private readonly api = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: CompareReplyMessage) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly onMessage: (message: Exclude<CompareHostMessage, { type: 'reply' }>) => void) {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const data = event.data;
      if (!isCompareHostMessage(data)) {
        console.warn('promptscope: ignored a malformed message from the host');
        return;
      }
      if (data.type === 'reply') this.settle(data.requestId, data);
      else this.onMessage(data);
    });
  }

  ready(): void {
    this.api.postMessage({ type: 'ready' });
  }

  rendered(report: Omit<RenderedReport, 'type'>): void {
    this.api.postMessage({ type: 'rendered', ...report });
  }

  /** Resolves with the host's ok reply; rejects on an error reply or after the timeout. */
  request(action: CompareAction): Promise<CompareReplyMessage> {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.settle(requestId, { type: 'reply', requestId, ok: false, error: 'the editor did not answer in time' }), COMPARE_REQUEST_TIMEOUT_MS);
      this.pending.set(requestId, { resolve, reject, timer });
      this.api.postMessage({ type: 'request', requestId, ...action });
    });
  }

  private settle(requestId: number, reply: CompareReplyMessage): void {
    const entry = this.pending.get(requestId);
    if (!entry) return;
    this.pending.delete(requestId);
    clearTimeout(entry.timer);
    if (reply.ok) entry.resolve(reply);
    else entry.reject(new Error(reply.error ?? 'failed'));
  }

  saveState(state: unknown): void {
    this.api.setState(state);
  }

  loadState(): unknown {
    return this.api.getState();
  }
}
