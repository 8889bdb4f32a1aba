import { isHostMessage, REQUEST_TIMEOUT_MS, type HostMessage, type RunAction } from '../../shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The webview's side of the channel: validated messages in, requests out with ids and timeouts. */
export class HostChannel {
  private readonly api = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly onMessage: (message: HostMessage) => void) {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const data = event.data;
      if (!isHostMessage(data)) {
        console.warn('promptscope: ignored a malformed message from the host');
        return;
      }
      if (data.type === 'reply') this.settle(data.requestId, data.ok ? undefined : (data.error ?? 'failed'));
      else this.onMessage(data);
    });
  }

  ready(): void {
    this.api.postMessage({ type: 'ready' });
  }

  /** Sends a request; resolves on an ok reply, rejects on an error reply or after the timeout. */
  request(action: RunAction): Promise<void> {
    const requestId = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(requestId, 'the editor did not answer in time'), REQUEST_TIMEOUT_MS);
      this.pending.set(requestId, { resolve, reject, timer });
      this.api.postMessage({ type: 'request', requestId, ...action });
    });
  }

  private settle(requestId: number, error: string | undefined): void {
    const entry = this.pending.get(requestId);
    if (!entry) return;
    this.pending.delete(requestId);
    clearTimeout(entry.timer);
    if (error === undefined) entry.resolve();
    else entry.reject(new Error(error));
  }

  saveState(state: unknown): void {
    this.api.setState(state);
  }

  loadState(): unknown {
    return this.api.getState();
  }
}
