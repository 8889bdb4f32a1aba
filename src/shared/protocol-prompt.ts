/**
 * What the run panel shows about a prompt besides its form: the live preview of what a run would
 * send, the model the next run uses (and the ones it could use), and, for a saved run, what was
 * actually sent. Plain data, checked on receipt like every message.
 */
import { isRecord, isString, listOf, oneOf, optional } from './protocol-guards';
import { isForm, isJsonValue, isStringRecord, type JsonValue, type PromptForm } from './protocol-form';

export type PreviewPart =
  | { kind: 'text'; text: string }
  | { kind: 'media'; url: string; contentType?: string }
  | { kind: 'section'; name: string }
  | { kind: 'data'; json: string };

export interface PreviewTurn {
  role: string;
  /** `history` for earlier turns, or another purpose the library set. */
  purpose?: string;
  parts: PreviewPart[];
}

/** What a run would send, rendered by the host with the library; no model is called. */
export interface PromptPreview {
  /** False when the prompt does not render; `error` says why. */
  ok: boolean;
  error?: string;
  turns: PreviewTurn[];
  /** The resolved model: the reference, and the endpoint it names (or why it names none). */
  model?: { ref: string; endpoint?: string; kind?: string; url?: string; name?: string; error?: string };
  /** The model config (`config:`) and the run options a run would use. */
  config?: Record<string, JsonValue>;
  options?: Record<string, JsonValue>;
  notes: string[];
}

/** Where the model of the next run comes from (the host's ModelChooser decides). */
export type ModelSource = 'session' | 'frontmatter' | 'default';
const MODEL_SOURCES: readonly ModelSource[] = ['session', 'frontmatter', 'default'];

/** One model a run can use, as the host's model lister found it on an endpoint. */
export interface ModelOption {
  /** `endpoint/model`, as frontmatter writes it. */
  ref: string;
  /** Size, family, parameters, loaded/GPU, in the display language. */
  description: string;
  loaded: boolean;
}

/** One endpoint's models, or why they could not be listed. */
export interface ModelGroup {
  endpoint: string;
  url: string;
  problem?: string;
  models: ModelOption[];
}

/**
 * The model the next run of a panel's prompt uses, and the live models it could switch to. The
 * choice is the same one the status bar item and the Models view set: the host holds it.
 */
export interface ModelChoice {
  file: string;
  current?: { ref: string; source: ModelSource };
  /** Absent while the endpoints are being asked. */
  groups?: ModelGroup[];
}

/** A saved run's inputs and the messages it sent, as its history record keeps them. */
export interface RunSent {
  runId: string;
  /** Absent when the run was not rendered from inputs (or saved before inputs were recorded). */
  inputs?: Record<string, JsonValue>;
  turns: PreviewTurn[];
}

/** The prompt a panel is bound to: its form, the values to start from, the latest preview. */
export interface PromptState {
  form: PromptForm;
  /** Remembered values for this file (defaults are in the fields). */
  values: Record<string, JsonValue>;
  preview?: PromptPreview;
  /** Increases with every preview; the webview ignores older ones. */
  seq: number;
  model?: ModelChoice;
}

export function isPart(v: unknown): v is PreviewPart {
  if (!isRecord(v)) return false;
  switch (v['kind']) {
    case 'text':
      return isString(v['text']);
    case 'media':
      return isString(v['url']) && optional(v['contentType'], isString);
    case 'section':
      return isString(v['name']);
    case 'data':
      return isString(v['json']);
    default:
      return false;
  }
}

function isTurn(v: unknown): v is PreviewTurn {
  return isRecord(v) && isString(v['role']) && optional(v['purpose'], isString) && listOf(v['parts'], isPart);
}

export function isPreview(v: unknown): v is PromptPreview {
  return (
    isRecord(v) &&
    typeof v['ok'] === 'boolean' &&
    optional(v['error'], isString) &&
    Array.isArray(v['turns']) &&
    v['turns'].every(isTurn) &&
    optional(v['model'], (m) => isStringRecord(m, isString) && isString((m as Record<string, unknown>)['ref'])) &&
    optional(v['config'], (c) => isStringRecord(c, (x) => isJsonValue(x))) &&
    optional(v['options'], (c) => isStringRecord(c, (x) => isJsonValue(x))) &&
    Array.isArray(v['notes']) &&
    v['notes'].every(isString)
  );
}

function isModelOption(v: unknown): v is ModelOption {
  return isRecord(v) && isString(v['ref']) && isString(v['description']) && typeof v['loaded'] === 'boolean';
}

function isModelGroup(v: unknown): v is ModelGroup {
  return (
    isRecord(v) && isString(v['endpoint']) && isString(v['url']) && optional(v['problem'], isString) && listOf(v['models'], isModelOption)
  );
}

export function isModelChoice(v: unknown): v is ModelChoice {
  return (
    isRecord(v) &&
    isString(v['file']) &&
    optional(v['current'], (c) => isRecord(c) && isString(c['ref']) && oneOf(MODEL_SOURCES, c['source'])) &&
    optional(v['groups'], (g) => listOf(g, isModelGroup))
  );
}

export function isRunSent(v: unknown): v is RunSent {
  return (
    isRecord(v) &&
    isString(v['runId']) &&
    optional(v['inputs'], (i) => isStringRecord(i, (x) => isJsonValue(x))) &&
    listOf(v['turns'], isTurn)
  );
}

export function isPromptState(v: unknown): v is PromptState {
  return (
    isRecord(v) &&
    isForm(v['form']) &&
    isStringRecord(v['values'], (x) => isJsonValue(x)) &&
    optional(v['preview'], isPreview) &&
    typeof v['seq'] === 'number' &&
    optional(v['model'], isModelChoice)
  );
}
