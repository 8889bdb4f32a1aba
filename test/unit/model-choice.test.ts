import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FIRST_RUN_MODELS,
  frontmatterModel,
  frontmatterModelChange,
  modelsThatFit,
  type TextChange,
} from '../../src/core/models/model-choice';

const apply = (text: string, change: TextChange): string =>
  text.slice(0, change.offset) + change.text + text.slice(change.offset + change.length);

describe('model choice', () => {
  it('reads the frontmatter model, and nothing from a file without one', () => {
    assert.equal(frontmatterModel('---\nmodel: ollama/llama3.2\n---\nHi'), 'ollama/llama3.2');
    assert.equal(frontmatterModel('# licence\n---\nmodel: "vllm/x"\n---\nHi'), 'vllm/x');
    assert.equal(frontmatterModel('---\ninput:\n  schema: {a: string}\n---\nHi'), undefined);
    assert.equal(frontmatterModel('---\nmodel: ""\n---\nHi'), undefined);
    assert.equal(frontmatterModel('Hello {{name}}'), undefined);
    assert.equal(frontmatterModel('---\nmodel: [unclosed\n---\nHi'), undefined);
  });

  it('replaces an existing model value and keeps a trailing comment', () => {
    const text = '---\nmodel: ollama/llama3.2   # the small one\nconfig:\n  temperature: 0.2\n---\nHi\n';
    const out = apply(text, frontmatterModelChange(text, 'ollama/qwen2.5:7b'));
    assert.equal(out, '---\nmodel: ollama/qwen2.5:7b   # the small one\nconfig:\n  temperature: 0.2\n---\nHi\n');
    assert.equal(frontmatterModel(out), 'ollama/qwen2.5:7b');
  });

  it('fills an empty model key with a space after the colon', () => {
    const text = '---\nmodel:\n---\nHi';
    const out = apply(text, frontmatterModelChange(text, 'ollama/llama3.2'));
    assert.equal(out, '---\nmodel: ollama/llama3.2\n---\nHi');
  });

  it('adds the key to a frontmatter without one, and a frontmatter to a file without one (after a comment header)', () => {
    const withFm = '---\ninput:\n  schema:\n    a: string\n---\n{{a}}';
    assert.equal(
      apply(withFm, frontmatterModelChange(withFm, 'ollama/llama3.2')),
      '---\nmodel: ollama/llama3.2\ninput:\n  schema:\n    a: string\n---\n{{a}}',
    );
    const bare = '# Copyright\nHello\n';
    const out = apply(bare, frontmatterModelChange(bare, 'ollama/llama3.2'));
    assert.equal(out, '# Copyright\n---\nmodel: ollama/llama3.2\n---\nHello\n');
    assert.equal(frontmatterModel(out), 'ollama/llama3.2');
  });

  it('keeps CRLF files CRLF and quotes a value YAML would misread', () => {
    const crlf = '---\r\nconfig: {}\r\n---\r\nHi';
    assert.equal(apply(crlf, frontmatterModelChange(crlf, 'ollama/a')), '---\r\nmodel: ollama/a\r\nconfig: {}\r\n---\r\nHi');
    const odd = '---\nmodel: x\n---\nHi';
    const out = apply(odd, frontmatterModelChange(odd, 'ollama/#weird: name'));
    assert.equal(frontmatterModel(out), 'ollama/#weird: name');
  });

  it('suggests the largest first-run model that fits comfortably in memory', () => {
    assert.equal(modelsThatFit(24e9).suggested?.name, 'llama3.1:8b');
    assert.equal(modelsThatFit(8e9).suggested?.name, 'llama3.2:3b');
    assert.equal(modelsThatFit(2e9).suggested?.name, 'qwen2.5:0.5b');
    assert.deepEqual(modelsThatFit(0.5e9).fits, []);
    assert.equal(modelsThatFit(0.5e9).suggested, undefined);
    assert.equal(modelsThatFit(1e12).fits.length, FIRST_RUN_MODELS.length);
  });
});
