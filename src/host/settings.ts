/**
 * Every `promptscope.*` setting: its default (the same as package.json's, a unit test compares
 * them) and how it is read. A value of the wrong type in settings.json reads as the default and
 * one out of range is clamped into it, so a typo never reaches a request. Only types come from `vscode` here: callers
 * pass `vscode.workspace.getConfiguration(SETTINGS_SECTION, scope)`, and the unit tests can load
 * this file in plain Node.
 */
import type { WorkspaceConfiguration } from 'vscode';

export const SETTINGS_SECTION = 'promptscope';

/**
 * The defaults, keyed as in package.json without the `promptscope.` prefix. `customHelpers`,
 * `partialsFolder` and `schemas` are read by the language features (src/host/language/).
 */
export const SETTING_DEFAULTS = {
  customHelpers: [] as string[],
  partialsFolder: '',
  schemas: {} as Record<string, string>,
  endpoints: [] as unknown[],
  'ollama.host': '',
  topLogprobs: 5,
  'ollama.keepAlive': '5m',
  firstTokenTimeoutSeconds: 300,
  idleTimeoutSeconds: 60,
  maxLineBytes: 16_777_216,
  'compare.concurrency': 1,
  defaultModel: '',
} as const satisfies Record<string, unknown>;

/** The ranges package.json declares; values outside them are clamped into them. */
const LIMITS = {
  topLogprobs: { min: 0, max: 20, integer: true },
  firstTokenTimeoutSeconds: { min: 1, max: Number.MAX_SAFE_INTEGER, integer: false },
  idleTimeoutSeconds: { min: 0, max: Number.MAX_SAFE_INTEGER, integer: false },
  maxLineBytes: { min: 65_536, max: Number.MAX_SAFE_INTEGER, integer: true },
  'compare.concurrency': { min: 1, max: 16, integer: true },
} as const;

type NumberKey = keyof typeof LIMITS;

/** The part of a WorkspaceConfiguration this module reads. */
export type SettingsSource = Pick<WorkspaceConfiguration, 'get'>;

function numberSetting(config: SettingsSource, key: NumberKey): number {
  const value = config.get<unknown>(key);
  const limit = LIMITS[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || (limit.integer && !Number.isInteger(value))) return SETTING_DEFAULTS[key];
  return Math.min(limit.max, Math.max(limit.min, value));
}

function stringSetting(config: SettingsSource, key: 'ollama.host' | 'ollama.keepAlive' | 'defaultModel'): string {
  const value = config.get<unknown>(key);
  return typeof value === 'string' ? value : SETTING_DEFAULTS[key];
}

/** The raw endpoint list (core's resolveEndpoints checks each entry) and the Ollama host setting. */
export function endpointSettings(config: SettingsSource): { endpoints: unknown; ollamaHost: string } {
  return {
    endpoints: config.get<unknown>('endpoints') ?? [...SETTING_DEFAULTS.endpoints],
    ollamaHost: stringSetting(config, 'ollama.host'),
  };
}

/** Request defaults for a run or a comparison (a prompt's frontmatter overrides them). */
export interface RunDefaults {
  topLogprobs: number;
  keepAlive: string;
  firstTokenTimeoutMs: number;
  /** 0: no limit on the silence between chunks. */
  idleTimeoutMs: number;
  maxLineBytes: number;
}

export function runDefaults(config: SettingsSource): RunDefaults {
  return {
    topLogprobs: numberSetting(config, 'topLogprobs'),
    keepAlive: stringSetting(config, 'ollama.keepAlive'),
    firstTokenTimeoutMs: numberSetting(config, 'firstTokenTimeoutSeconds') * 1000,
    idleTimeoutMs: numberSetting(config, 'idleTimeoutSeconds') * 1000,
    maxLineBytes: numberSetting(config, 'maxLineBytes'),
  };
}

/** How many columns of a comparison stream at once. */
export function compareConcurrency(config: SettingsSource): number {
  return numberSetting(config, 'compare.concurrency');
}

/** The `endpoint/model` a prompt without `model:` runs with; '' when none is chosen. */
export function defaultModelSetting(config: SettingsSource): string {
  return stringSetting(config, 'defaultModel').trim();
}
