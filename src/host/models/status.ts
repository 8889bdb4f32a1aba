import * as vscode from 'vscode';
import { DEFAULT_ENDPOINT_NAME, displayUrl } from '../../core/providers';
import type { Endpoints } from './endpoints';

const POLL_MS = 30_000;

/** Status bar item: the default endpoint's health and version, refreshed every 30 s while visible. */
export class EndpointStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('promptscope.endpoint', vscode.StatusBarAlignment.Right, 100);
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly endpoints: Endpoints) {
    this.item.name = vscode.l10n.t('Promptscope endpoint');
    this.item.command = 'promptscope.models.focus';
    this.subscriptions.push(endpoints.onDidChange(() => void this.update()));
    void this.update();
    this.timer = setInterval(() => void this.update(), POLL_MS);
  }

  async update(): Promise<void> {
    const endpoint = this.endpoints.list.find((e) => e.name === DEFAULT_ENDPOINT_NAME);
    const admin = endpoint ? this.endpoints.models(endpoint) : undefined;
    if (!endpoint || !admin) {
      this.item.hide();
      return;
    }
    const health = await admin.health(AbortSignal.timeout(3_000));
    if (health.reachable) {
      this.item.text = `$(pulse) Ollama ${health.version ?? ''}`.trim();
      this.item.tooltip = vscode.l10n.t('Ollama at {0} is running. Click to see its models.', displayUrl(endpoint.url));
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = '$(debug-disconnect) Ollama';
      this.item.tooltip = health.problem ?? vscode.l10n.t('Ollama is not reachable at {0}.', displayUrl(endpoint.url));
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
