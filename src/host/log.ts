import * as vscode from 'vscode';

/** The extension's log: one leveled output channel ("Promptscope" in the Output view). */
export class Log {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Promptscope', { log: true });
  }

  info(message: string): void {
    this.channel.info(message);
  }

  debug(message: string): void {
    this.channel.debug(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(context: string, err: unknown): void {
    this.channel.error(`${context}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }

  /** Shows an error with a "Show Logs" action (and any other actions given). */
  async showError(message: string, ...actions: { title: string; run: () => unknown }[]): Promise<void> {
    const showLogs = vscode.l10n.t('Show Logs');
    const titles = [...actions.map((a) => a.title), showLogs];
    const picked = await vscode.window.showErrorMessage(message, ...titles);
    if (picked === showLogs) this.channel.show(true);
    else await actions.find((a) => a.title === picked)?.run();
  }

  dispose(): void {
    this.channel.dispose();
  }
}
