/**
 * The run panel (view type `promptscope.run`): one webview panel per prompt file (its form,
 * preview and runs) or per run opened from History.
 *
 * API, as wired by src/host/runs and src/host/run-panel/prompts:
 * - `RunPanel.create(deps, title)` opens a panel; `new RunPanel(panel, deps)` adopts one the
 *   serializer restored (`registerRunPanelSerializer` in ./index.ts, registered by registerRuns).
 * - `bind(binding)` shows a prompt's variables form and live preview; `runPrompt(values)` checks
 *   the values against the form and starts a run; `focusForm(field)` brings the form forward.
 * - `attach(session, prefix?)` shows a run that is streaming now (a RunController session:
 *   its events, `finished`, `stop()`); `add(transcript)` shows a finished one (History);
 *   `select(runId)` makes a run the one shown.
 * - Requests from the webview (stop, retry, branch, pull model, show logs, select, preview,
 *   run, and the model picker's use/write/refresh) are validated with `isWebviewMessage` and
 *   always answered with a `reply`.
 *
 * The host owns the transcripts: the webview says `ready`, gets a full snapshot (long runs
 * follow as bounded `append`s), then token increments batched every 32 ms (TokenBatcher) and a
 * `status` when a run finishes, so a hidden, moved or reloaded panel shows exactly what it
 * showed before. `retainContextWhenHidden` stays off.
 */
import * as vscode from 'vscode';
import type { RunKind } from '../../core/runs/record';
import { TokenBatcher } from '../../core/transcript/batcher';
import { applyEvent, branchPrefix, newTranscript, type RunTranscript, type TranscriptToken } from '../../core/transcript/transcript';
import { isWebviewMessage, type HostMessage, type JsonValue, type RequestMessage, type RunSent } from '../../shared/protocol';
import { DisposableOwner } from '../disposable';
import type { Log } from '../log';
import type { RunController, RunSession } from '../runs/controller';
import type { PromptBinding } from './binding';
import { runPanelHtml, webviewOptions } from './html';
import { snapshotMessages } from './snapshot';
import { errorMessage } from '../../core/errors';

export const RUN_PANEL_VIEW_TYPE = 'promptscope.run';

/** Runs that continue another one and so do not rename a prompt's panel. */
const CONTINUATIONS: ReadonlySet<RunKind> = new Set(['branch', 'retry']);

export interface RunPanelDeps {
  extensionUri: vscode.Uri;
  controller: RunController;
  log: Log;
  /** Offers to pull a model (Models view command). */
  pullModel: (endpointName: string, model: string) => Promise<void>;
  /** Called for every run the panel starts (the History view refreshes when it ends). */
  onSession?: (session: RunSession) => void;
}

/**
 * One panel per prompt run and its branches. The host owns the transcripts: the webview says
 * `ready`, gets a full snapshot, then batched increments, so a hidden, moved or reloaded panel
 * shows exactly what it showed before.
 */
export class RunPanel extends DisposableOwner {
  private readonly transcripts = new Map<string, RunTranscript>();
  private readonly sessions = new Map<string, RunSession>();
  /** What saved runs sent (inputs, messages), shown with a run reopened from history. */
  private readonly sent = new Map<string, RunSent>();
  private activeId = '';
  /** Fast GPU streams must not flood the channel: increments leave in batches (./snapshot.ts for the sizes). */
  private readonly batcher = new TokenBatcher((batches) => {
    for (const { stream, from, to } of batches) {
      const tokens = this.transcripts.get(stream)?.tokens.slice(from, to);
      if (tokens !== undefined && tokens.length > 0) this.post({ type: 'append', runId: stream, from, tokens });
    }
  });
  private binding: PromptBinding | undefined;
  private webviewReady = false;
  /** A focus request made before the webview had loaded; sent after its first snapshot. */
  private pendingFocus: { field?: string } | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: RunPanelDeps,
  ) {
    super();
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.webview.html = runPanelHtml(panel.webview, deps.extensionUri);
    this.register(panel);
    this.register(this.batcher);
    this.register(panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)));
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  static create(deps: RunPanelDeps, title: string): RunPanel {
    const panel = vscode.window.createWebviewPanel(
      RUN_PANEL_VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(deps.extensionUri),
    );
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'prompt-file.svg');
    return new RunPanel(panel, deps);
  }

  /** The prompt file whose form and preview this panel shows. */
  get prompt(): PromptBinding | undefined {
    return this.binding;
  }

  /** Shows a prompt's variables form and live preview (the binding posts its own updates). */
  bind(binding: PromptBinding): void {
    if (this.binding) this.unregister(this.binding);
    this.binding = this.register(binding);
    this.sendSnapshot();
  }

  /** Asks the webview to bring its form forward, at `field` if given. */
  focusForm(field?: string): void {
    if (this.webviewReady) this.post({ type: 'focus', ...(field ? { field } : {}) });
    else this.pendingFocus = field ? { field } : {};
  }

  /**
   * Starts a run of the bound prompt with `values`, checked against its form first: with a
   * required input missing or a value of the wrong type, the form is focused and nothing runs.
   */
  async runPrompt(values: Record<string, JsonValue>): Promise<RunSession | undefined> {
    const binding = this.binding;
    if (!binding) throw new Error('this panel shows saved runs only; run the prompt from its file');
    const problems = Object.entries(binding.problems(values));
    if (problems.length > 0) {
      this.focusForm(problems[0]![0]);
      throw new Error(problems.map(([name, why]) => `${name}: ${why}`).join(' '));
    }
    await binding.remember(values);
    const session = await this.deps.controller.start(await binding.document(), { input: values });
    if (session) this.attach(session);
    return session;
  }

  get runIds(): string[] {
    return [...this.transcripts.keys()];
  }

  transcript(id: string): RunTranscript | undefined {
    return this.transcripts.get(id);
  }

  /** Shows a run that is streaming now. */
  attach(session: RunSession, prefix: TranscriptToken[] = []): void {
    const transcript = newTranscript(
      {
        id: session.id,
        title: session.title,
        endpoint: session.endpoint.name,
        model: session.request.model,
        startedAt: new Date().toISOString(),
        wantedLogprobs: session.request.topLogprobs !== undefined,
        kind: session.kind,
        ...(session.branchOf
          ? {
              origin: {
                parentId: session.branchOf.runId,
                tokenIndex: session.branchOf.tokenIndex,
                alternative: session.branchOf.alternative,
              },
            }
          : {}),
      },
      prefix,
    );
    this.add(transcript);
    this.sessions.set(session.id, session);
    this.deps.onSession?.(session);
    const subscription = session.onEvent((event) => {
      const before = transcript.tokens.length;
      if (applyEvent(transcript, event)) this.batcher.push(session.id, before);
      else this.sendStatus(transcript);
    });
    this.register(subscription);
    void session.finished.then(() => {
      // The run has ended: its subscription goes now, not when the panel closes.
      this.unregister(subscription);
      this.sendStatus(transcript);
    });
  }

  /** Shows a finished run (from history), with the inputs and messages it sent when known. */
  add(transcript: RunTranscript, sent?: RunSent): void {
    this.transcripts.set(transcript.meta.id, transcript);
    if (sent) this.sent.set(transcript.meta.id, sent);
    this.activeId = transcript.meta.id;
    // A History panel is named after its run; a prompt's panel after its latest run of the prompt
    // (file · model), which branches and retries continue under the same name.
    if (!this.binding || !CONTINUATIONS.has(transcript.meta.kind ?? 'prompt')) this.panel.title = transcript.meta.title;
    this.sendSnapshot();
  }

  select(runId: string): void {
    if (!this.transcripts.has(runId)) return;
    this.activeId = runId;
    this.sendSnapshot();
  }

  private sendStatus(t: RunTranscript): void {
    this.batcher.flush();
    this.post({
      type: 'status',
      runId: t.meta.id,
      status: t.status,
      notices: t.notices,
      ...(t.stats ? { stats: t.stats } : {}),
      ...(t.error ? { error: t.error } : {}),
    });
  }

  private sendSnapshot(): void {
    // Anything still queued is part of the snapshot already.
    this.batcher.discard();
    const messages = snapshotMessages([...this.transcripts.values()], this.activeId, this.binding?.state(), [...this.sent.values()]);
    for (const message of messages) this.post(message);
  }

  post(message: HostMessage): void {
    if (this.isDisposed) return;
    void this.panel.webview.postMessage(message);
  }

  private async receive(message: unknown): Promise<void> {
    if (!isWebviewMessage(message)) {
      this.deps.log.warn('run panel: ignored a malformed message from the webview');
      return;
    }
    if (message.type === 'ready') {
      this.webviewReady = true;
      this.sendSnapshot();
      const focus = this.pendingFocus;
      this.pendingFocus = undefined;
      if (focus) this.post({ type: 'focus', ...focus });
      return;
    }
    try {
      await this.handle(message);
      this.post({ type: 'reply', requestId: message.requestId, ok: true });
    } catch (err) {
      this.deps.log.error(`run panel: ${message.action}`, err);
      this.post({ type: 'reply', requestId: message.requestId, ok: false, error: errorMessage(err) });
    }
  }

  private async handle(message: RequestMessage): Promise<void> {
    switch (message.action) {
      case 'showLogs':
        this.deps.log.channel.show(true);
        return;
      case 'select':
        if (!this.transcripts.has(message.runId)) throw new Error('that run is not in this panel');
        this.select(message.runId);
        return;
      case 'stop':
        this.sessions.get(message.runId)?.stop();
        return;
      case 'pullModel': {
        const t = this.transcripts.get(message.runId);
        if (!t) throw new Error('that run is not in this panel');
        await this.deps.pullModel(t.meta.endpoint, t.error?.model ?? t.meta.model);
        return;
      }
      case 'retry': {
        const previous = this.sessions.get(message.runId);
        if (!previous) throw new Error('this run was restored from history; run the prompt again from its file');
        this.attach(this.deps.controller.retry(previous), this.transcripts.get(message.runId)?.prefix ?? []);
        return;
      }
      case 'branch': {
        const parent = this.sessions.get(message.runId);
        const t = this.transcripts.get(message.runId);
        if (!parent || !t) throw new Error('this run was restored from history; branch from a new run');
        const { prefix, tokens } = branchPrefix(t, message.tokenIndex, message.alternative);
        this.attach(
          this.deps.controller.branch(parent, prefix, { tokenIndex: message.tokenIndex, alternative: message.alternative }),
          tokens,
        );
        return;
      }
      case 'preview':
        if (!this.binding || this.binding.file !== message.file) throw new Error('this panel no longer shows that prompt');
        await this.binding.update(message.values);
        return;
      case 'run':
        if (!this.binding || this.binding.file !== message.file) throw new Error('this panel no longer shows that prompt');
        if (!(await this.runPrompt(message.values))) throw new Error('the run did not start: see the message in the editor');
        return;
      case 'useModel':
      case 'writeModel':
      case 'refreshModels': {
        const binding = this.binding;
        if (!binding || binding.file !== message.file) throw new Error('this panel no longer shows that prompt');
        if (message.action === 'useModel') await binding.useModel(message.ref);
        else if (message.action === 'writeModel') await binding.writeModel();
        else await binding.refreshModels();
        return;
      }
    }
  }

  protected override disposing(): void {
    // Closing the panel stops its runs; what they received is saved as usual.
    for (const s of this.sessions.values()) s.stop();
  }
}
