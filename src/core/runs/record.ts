/**
 * A run record: what was asked (header) and everything that came back (events), folded into
 * text, stats and a status. Built live by the runner and rebuilt from disk by the history.
 */
import { randomBytes } from 'node:crypto';
import type { EndpointKind } from '../providers/endpoints';
import type { ErrorEvent, RunEvent, RunRequest, RunStats } from '../providers/events';
import { runKind, type RunKind } from './kind';

export { RUN_KINDS, runKind, type RunKind } from './kind';

export type RunStatus = 'running' | 'completed' | 'stopped' | 'error';

export interface RunEndpointInfo {
  name: string;
  kind: EndpointKind;
  url: string;
}

/** What the caller knows about a run before it starts. */
export interface RunInfo {
  /** Absent: a branch when `branchOf` is given, else a prompt run. */
  kind?: RunKind;
  /** The .prompt file, preferably workspace-relative. */
  file?: string;
  /** Input variables the prompt was rendered with. */
  inputs?: unknown;
  endpoint: RunEndpointInfo;
  /** A run id chosen by the caller (from `newRunId`), so a UI can refer to the run before it ends. */
  id?: string;
  /** For a branch: the run it continues, the token it replaced and the alternative chosen. */
  branchOf?: { runId: string; tokenIndex: number; alternative: string };
  /** The comparison the run belongs to: the history keeps or deletes a group's runs together. */
  group?: string;
}

export interface RunHeader extends Omit<RunInfo, 'id'> {
  type: 'header';
  id: string;
  /** Written for every new run; records saved before it existed have none (see `runKind`). */
  kind?: RunKind;
  /** ISO timestamp. */
  startedAt: string;
  model: string;
  /** The rendered request exactly as given to the provider (messages, config, options). */
  request: RunRequest;
}

/** Small per-run facts for listing runs without reading their events. */
export interface RunSummary {
  id: string;
  startedAt: string;
  finishedAt?: string;
  file?: string;
  endpoint: string;
  model: string;
  status: RunStatus;
  /** The start of the visible output. */
  preview: string;
  tokenCount: number;
  stats?: RunStats;
  errorKind?: ErrorEvent['kind'];
  errorMessage?: string;
  /** The comparison the run belongs to (RunInfo.group). */
  group?: string;
}

export interface RunRecord {
  header: RunHeader;
  events: RunEvent[];
  status: RunStatus;
  finishedAt?: string;
  content: string;
  thinking: string;
  stats?: RunStats;
  error?: ErrorEvent;
}

const PREVIEW_CHARS = 200;

/** Sortable by time: `20251128T151755123Z-9f3a1c`. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function createHeader(info: RunInfo, request: RunRequest, now: Date = new Date()): RunHeader {
  const header: RunHeader = {
    type: 'header',
    id: info.id ?? newRunId(now),
    kind: runKind(info),
    startedAt: now.toISOString(),
    endpoint: info.endpoint,
    model: request.model,
    request,
  };
  if (info.file !== undefined) header.file = info.file;
  if (info.branchOf !== undefined) header.branchOf = info.branchOf;
  if (info.group !== undefined) header.group = info.group;
  if (info.inputs !== undefined) header.inputs = info.inputs;
  return header;
}

/** Folds events into a record as they arrive. */
export class RunAccumulator {
  private readonly events: RunEvent[] = [];
  private content = '';
  private thinking = '';
  private tokenCount = 0;
  private status: RunStatus = 'running';
  private stats: RunStats | undefined;
  private error: ErrorEvent | undefined;
  private finishedAt: string | undefined;

  constructor(
    readonly header: RunHeader,
    private readonly keepEvents = true,
  ) {}

  apply(event: RunEvent): void {
    if (this.keepEvents) this.events.push(event);
    switch (event.type) {
      case 'token':
        if (event.channel === 'content') {
          this.content += event.text;
          this.tokenCount += 1;
        } else {
          this.thinking += event.text;
        }
        break;
      case 'done':
        this.status = 'completed';
        this.stats = event.stats;
        break;
      case 'error':
        this.status = event.kind === 'aborted' ? 'stopped' : 'error';
        this.stats = event.stats;
        this.error = event;
        break;
      default:
        break;
    }
  }

  /** Marks the end; a run that ended without a terminal event is an error (interrupted). */
  finish(at: Date = new Date(), interruptedMessage = 'The run ended without a final event.'): void {
    this.finishedAt = at.toISOString();
    if (this.status === 'running') {
      this.status = 'error';
      this.error = { type: 'error', kind: 'stream-cut', message: interruptedMessage, stats: this.stats ?? { wallMs: 0 } };
    }
  }

  get currentStatus(): RunStatus {
    return this.status;
  }

  record(): RunRecord {
    const record: RunRecord = {
      header: this.header,
      events: this.events,
      status: this.status,
      content: this.content,
      thinking: this.thinking,
    };
    if (this.finishedAt !== undefined) record.finishedAt = this.finishedAt;
    if (this.stats !== undefined) record.stats = this.stats;
    if (this.error !== undefined) record.error = this.error;
    return record;
  }

  summary(): RunSummary {
    const summary: RunSummary = {
      id: this.header.id,
      startedAt: this.header.startedAt,
      endpoint: this.header.endpoint.name,
      model: this.header.model,
      status: this.status,
      preview: this.content.slice(0, PREVIEW_CHARS),
      tokenCount: this.tokenCount,
    };
    if (this.header.file !== undefined) summary.file = this.header.file;
    if (this.header.group !== undefined) summary.group = this.header.group;
    if (this.finishedAt !== undefined) summary.finishedAt = this.finishedAt;
    if (this.stats !== undefined) summary.stats = this.stats;
    if (this.error !== undefined) {
      summary.errorKind = this.error.kind;
      summary.errorMessage = this.error.message;
    }
    return summary;
  }
}
