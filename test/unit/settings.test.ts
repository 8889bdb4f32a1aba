// The settings module's defaults are the ones package.json declares, and every declared
// `promptscope.*` setting has one; bad values in settings.json read as the default.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  compareConcurrency,
  endpointSettings,
  runDefaults,
  SETTING_DEFAULTS,
  SETTINGS_SECTION,
  type SettingsSource,
} from '../../src/host/settings';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
};

function source(values: Record<string, unknown>): SettingsSource {
  return { get: ((key: string) => values[key]) as SettingsSource['get'] };
}

describe('settings', () => {
  test('defaults match package.json contributes.configuration, setting for setting', () => {
    const declared = Object.entries(manifest.contributes.configuration.properties).map(([key, schema]) => [key, schema.default] as const);
    const prefix = `${SETTINGS_SECTION}.`;
    assert.ok(declared.every(([key]) => key.startsWith(prefix)));
    assert.deepEqual(Object.fromEntries(declared.map(([key, value]) => [key.slice(prefix.length), value])), { ...SETTING_DEFAULTS });
  });

  test('unset settings read as the defaults', () => {
    assert.deepEqual(runDefaults(source({})), {
      topLogprobs: 5,
      keepAlive: '5m',
      firstTokenTimeoutMs: 300_000,
      idleTimeoutMs: 60_000,
      maxLineBytes: 16_777_216,
    });
    assert.equal(compareConcurrency(source({})), 1);
    assert.deepEqual(endpointSettings(source({})), { endpoints: [], ollamaHost: '' });
  });

  test('values of the wrong type read as the default; numbers out of range are clamped', () => {
    assert.deepEqual(runDefaults(source({ topLogprobs: '7', 'ollama.keepAlive': 10, firstTokenTimeoutSeconds: Number.NaN })), {
      topLogprobs: 5,
      keepAlive: '5m',
      firstTokenTimeoutMs: 300_000,
      idleTimeoutMs: 60_000,
      maxLineBytes: 16_777_216,
    });
    assert.equal(runDefaults(source({ idleTimeoutSeconds: -5, maxLineBytes: 10 })).idleTimeoutMs, 0);
    assert.equal(runDefaults(source({ maxLineBytes: 10 })).maxLineBytes, 65_536);
    assert.equal(runDefaults(source({ topLogprobs: 2.5 })).topLogprobs, 5);
    assert.equal(runDefaults(source({ topLogprobs: 50 })).topLogprobs, 20);
    assert.equal(compareConcurrency(source({ 'compare.concurrency': 0 })), 1);
    assert.equal(compareConcurrency(source({ 'compare.concurrency': 4 })), 4);
  });

  test('set values are read', () => {
    assert.deepEqual(
      runDefaults(
        source({ topLogprobs: 0, 'ollama.keepAlive': '-1', firstTokenTimeoutSeconds: 2, idleTimeoutSeconds: 0, maxLineBytes: 1_048_576 }),
      ),
      { topLogprobs: 0, keepAlive: '-1', firstTokenTimeoutMs: 2000, idleTimeoutMs: 0, maxLineBytes: 1_048_576 },
    );
  });
});
