/**
 * Comparison settings a prompt may carry in its frontmatter (Dotprompt extension fields):
 *
 *   model: ollama/llama3.2            the model of single runs (one column when nothing else is given)
 *   promptscope.models: [ollama/llama3.2, lab/qwen3]   the models to compare
 *   promptscope.tests: cases.jsonl    the test-case file, relative to the prompt
 *   promptscope.samples: 5            samples per cell (self-consistency)
 *   config: {temperature: 0.7}        the sampling temperature
 *
 * Read without rendering, so a host can offer the choices before anything runs.
 */
import { parse } from 'yaml';
import { layoutPrompt } from '../prompt/source';

export const MODELS_KEY = 'promptscope.models';
export const SAMPLES_KEY = 'promptscope.samples';
export const TESTS_FIELD = 'promptscope.tests';

export interface ComparisonSettings {
  /** `promptscope.models`, else the frontmatter's `model`, else none. */
  models: string[];
  tests?: string;
  samples?: number;
  temperature?: number;
  /** Fields present but unusable, in words; the rest still apply. */
  problems: string[];
}

export function comparisonSettings(text: string): ComparisonSettings {
  const settings: ComparisonSettings = { models: [], problems: [] };
  const yaml = layoutPrompt(text).frontmatter?.yaml;
  if (yaml === undefined) return settings;
  let data: unknown;
  try {
    data = parse(yaml);
  } catch {
    return settings; // the editor's diagnostics report bad YAML; rendering refuses it
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return settings;
  const fm = data as Record<string, unknown>;

  const models = fm[MODELS_KEY];
  if (models !== undefined) {
    const list = typeof models === 'string' ? [models] : models;
    if (Array.isArray(list) && list.every((m) => typeof m === 'string' && m.trim() !== ''))
      settings.models = (list as string[]).map((m) => m.trim());
    else settings.problems.push(`${MODELS_KEY} must be a list of endpoint/model references`);
  }
  if (settings.models.length === 0 && typeof fm['model'] === 'string' && fm['model'].trim() !== '') settings.models = [fm['model'].trim()];

  const tests = fm[TESTS_FIELD];
  if (typeof tests === 'string' && tests.trim() !== '') settings.tests = tests.trim();
  else if (tests !== undefined) settings.problems.push(`${TESTS_FIELD} must be a file name`);

  const samples = fm[SAMPLES_KEY];
  if (typeof samples === 'number' && Number.isInteger(samples) && samples >= 1 && samples <= 100) settings.samples = samples;
  else if (samples !== undefined) settings.problems.push(`${SAMPLES_KEY} must be a whole number from 1 to 100`);

  const config = fm['config'];
  if (config !== null && typeof config === 'object' && !Array.isArray(config)) {
    const temperature = (config as Record<string, unknown>)['temperature'];
    if (typeof temperature === 'number' && Number.isFinite(temperature)) settings.temperature = temperature;
  }
  return settings;
}
