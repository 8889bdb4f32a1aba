import * as path from 'node:path';
import * as vscode from 'vscode';
import { branchRequest } from '../../core/execution/branch';
import { prepareRun, type PreparedRun } from '../../core/execution/prepare';
import { displayUrl, ModelRefError, PromptOptionsError, type Provider, type RunEvent, type RunRequest } from '../../core/providers';
import type { EndpointConfig } from '../../core/providers';
import { PromptRenderError } from '../../core/prompt/render';
import type { RunHistory } from '../../core/runs/history';
import { newRunId, type RunInfo, type RunKind } from '../../core/runs/record';
import { executeRun, type RunResult } from '../../core/runs/runner';
import { partialContextFor } from '../language/settings';
import type { Log } from '../log';
import type { ModelChooser } from '../models/chooser';
import type { Endpoints } from '../models/endpoints';
import { errorMessage } from '../../core/errors';
import { runDefaults, SETTINGS_SECTION } from '../settings';

/** One run in progress: its events as they arrive, and a way to stop it. */
export interface RunSession {
  readonly id: string;
  readonly kind: RunKind;
  readonly title: string;
  readonly modelRef: string;
  readonly endpoint: EndpointConfig;
  readonly request: RunRequest;
  /** The request before any branch prefill: branches of branches start from it. */
  readonly baseRequest: RunRequest;
  readonly onEvent: vscode.Event<RunEvent>;
  /** Settles when the run has ended and been saved (never rejects). */
  readonly finished: Promise<RunResult>;
  /** For a branch: where it came from. */
  readonly branchOf?: { runId: string; tokenIndex: number; alternative: string };
  stop(): void;
}

export interface StartOptions {
  input?: Record<string, unknown>;
  /** `endpoint/model` instead of the frontmatter's model. */
  model?: string;
}

/**
 * Starts runs from `.prompt` documents: render, resolve the model against configured endpoints,
 * run on the endpoint's provider, save to history as events arrive. Failures before the run
 * (bad template, unknown endpoint) are shown with an action and return undefined.
 */
export class RunController {
  constructor(
    private readonly endpoints: Endpoints,
    private readonly history: RunHistory,
    private readonly log: Log,
    private readonly chooser: ModelChooser,
  ) {}

  async prepare(document: vscode.TextDocument, options: StartOptions = {}): Promise<PreparedRun | undefined> {
    const partials = partialContextFor(document);
    // A prompt without `model:` runs with the model chosen for it, the default, or one picked now.
    const model = options.model ?? (await this.chooser.modelForRun(document));
    if (model === false) return undefined;
    try {
      return await prepareRun(document.getText(), {
        endpoints: this.endpoints.list,
        ...(partials ? { partials } : {}),
        ...(options.input ? { input: options.input } : {}),
        ...(model ? { model } : {}),
        defaults: runDefaults(vscode.workspace.getConfiguration(SETTINGS_SECTION, document.uri)),
      });
    } catch (err) {
      if (err instanceof PromptRenderError) {
        await this.log.showError(vscode.l10n.t('This prompt does not render: {0}', err.message), {
          title: vscode.l10n.t('Show Problems'),
          run: () => vscode.commands.executeCommand('workbench.actions.view.problems'),
        });
      } else if (err instanceof ModelRefError) {
        await this.log.showError(
          err.message,
          { title: vscode.l10n.t('Choose Model…'), run: () => vscode.commands.executeCommand('promptscope.chooseModel', document.uri) },
          {
            title: vscode.l10n.t('Open Settings'),
            run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'promptscope.endpoints'),
          },
        );
      } else if (err instanceof PromptOptionsError) {
        await this.log.showError(err.message);
      } else {
        this.log.error('preparing a run', err);
        await this.log.showError(vscode.l10n.t('Could not start the run: {0}', errorMessage(err)));
      }
      return undefined;
    }
  }

  async start(document: vscode.TextDocument, options: StartOptions = {}): Promise<RunSession | undefined> {
    const prepared = await this.prepare(document, options);
    if (!prepared) return undefined;
    const file = vscode.workspace.asRelativePath(document.uri, false);
    return this.launch(
      'prompt',
      prepared.request,
      prepared.ref.endpoint,
      prepared.modelRef,
      `${path.basename(document.uri.fsPath)} · ${prepared.modelRef}`,
      file,
      options.input,
    );
  }

  /** Continues a run from `prefix` (its output up to a token, with an alternative in place). */
  branch(
    parent: Pick<RunSession, 'id' | 'baseRequest' | 'endpoint' | 'modelRef' | 'title'>,
    prefix: string,
    origin: { tokenIndex: number; alternative: string },
  ): RunSession {
    const request = branchRequest(parent.baseRequest, prefix, parent.endpoint.kind);
    return this.launch(
      'branch',
      request,
      parent.endpoint,
      parent.modelRef,
      parent.title,
      undefined,
      undefined,
      { runId: parent.id, ...origin },
      parent.baseRequest,
    );
  }

  /** Runs the same request again. */
  retry(previous: Pick<RunSession, 'request' | 'baseRequest' | 'endpoint' | 'modelRef' | 'title' | 'branchOf'>): RunSession {
    return this.launch(
      'retry',
      previous.request,
      previous.endpoint,
      previous.modelRef,
      previous.title,
      undefined,
      undefined,
      previous.branchOf,
      previous.baseRequest,
    );
  }

  private launch(
    kind: RunKind,
    request: RunRequest,
    endpoint: EndpointConfig,
    modelRef: string,
    title: string,
    file: string | undefined,
    inputs: Record<string, unknown> | undefined,
    branchOf?: { runId: string; tokenIndex: number; alternative: string },
    baseRequest: RunRequest = request,
  ): RunSession {
    const emitter = new vscode.EventEmitter<RunEvent>();
    const controller = new AbortController();
    const buffered: RunEvent[] = [];
    let listening = false;
    const id = newRunId();
    // Events that arrive before anyone subscribes are replayed to the first subscriber.
    const onEvent: vscode.Event<RunEvent> = (listener, thisArg, disposables) => {
      const subscription = emitter.event(listener, thisArg, disposables);
      if (!listening) {
        listening = true;
        for (const e of buffered.splice(0)) listener.call(thisArg, e);
      }
      return subscription;
    };
    const finished = (async (): Promise<RunResult> => {
      // Creating a provider reads secrets; if that fails the run ends with that error, saved like any other.
      const provider = await this.endpoints.provider(endpoint).catch((err: unknown): Provider => ({
        async *run() {
          yield {
            type: 'error',
            kind: 'bad-request',
            message: `Could not prepare endpoint "${endpoint.name}": ${errorMessage(err)}`,
            stats: { wallMs: 0 },
          };
        },
      }));
      const info: RunInfo = {
        id,
        kind,
        ...(file ? { file } : {}),
        ...(inputs ? { inputs } : {}),
        ...(branchOf ? { branchOf } : {}),
        endpoint: { name: endpoint.name, kind: endpoint.kind, url: displayUrl(endpoint.url) },
      };
      const result = await executeRun(provider, request, info, {
        history: this.history,
        signal: controller.signal,
        onEvent: (event) => (listening ? emitter.fire(event) : buffered.push(event)),
      });
      if (result.historyError) this.log.warn(`the run could not be saved: ${result.historyError.message}`);
      if (result.record.error)
        this.log.info(`run ${result.summary.id} ended with ${result.record.error.kind}: ${result.record.error.message}`);
      emitter.dispose();
      return result;
    })();
    return {
      id,
      kind,
      title,
      modelRef,
      endpoint,
      request,
      baseRequest,
      onEvent,
      finished,
      ...(branchOf ? { branchOf } : {}),
      stop: () => controller.abort(),
    };
  }
}
