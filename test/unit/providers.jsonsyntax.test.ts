/**
 * The NDJSON guard's allocation-free JSON object check must agree with JSON.parse on every line:
 * accepting a line JSON.parse rejects would let the `ollama` client drop it with a warning;
 * rejecting a good one would fail a healthy run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstJsonObjectError } from '../../src/core/providers/jsonSyntax';

function parsesAsObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

const verdict = (text: string): boolean => firstJsonObjectError(Buffer.from(text, 'utf8')) === -1;

const REAL_LINE =
  '{"model":"m","created_at":"2025-11-20T10:00:00.123456Z","message":{"role":"assistant","content":"Hi \\u003cb\\u003e 你好 😊"},"done":false,"logprobs":[{"token":"Hi","logprob":-0.25,"bytes":[72,105],"top_logprobs":[{"token":"Hi","logprob":-2.5e-1},{"token":"Yo","logprob":-1E+2}]}]}';

describe('JSON object check', () => {
  const cases = [
    REAL_LINE,
    '{}',
    ' { } ',
    '{"a":[]}',
    '{"a":[1,[2,[3]],{}]}',
    '{"a":true,"b":false,"c":null}',
    '{"a":"\\"\\\\\\/\\b\\f\\n\\r\\t"}',
    '{"a":-0.5e-3}',
    '{"a":0}',
    '{"a":"\u007f"}',
    '{"a":NaN}',
    '{"a":Infinity}',
    '{"a":-Infinity}',
    '{"a":1,}',
    '{"a":[1,]}',
    '{,}',
    '{"a":01}',
    '{"a":1.}',
    '{"a":.5}',
    '{"a":-}',
    '{"a":+1}',
    "{'a':1}",
    '{"a":1}}',
    '{"a":1} x',
    '{"a":1}{"b":2}',
    '{"a":"\\u12G4"}',
    '{"a":"\\x41"}',
    '{"a":"tab\there"}',
    '{"a" 1}',
    '{"a":}',
    '{"a"}',
    '{a:1}',
    '[1,2]',
    '"text"',
    '42',
    'null',
    '',
    '{"a":tru}',
    '{"a":nulls}',
    '{"a":1e}',
    '{"a":1e+}',
    '{"a":"unterminated}',
    '{"a":[}',
    '{"a":{]}',
    '{"a":1]',
    '<html>',
    '{"é":1}',
    '{é:1}',
  ];
  for (const text of cases) {
    it(`agrees with JSON.parse on ${JSON.stringify(text).slice(0, 60)}`, () => {
      assert.equal(verdict(text), parsesAsObject(text));
    });
  }

  it('agrees with JSON.parse on 20,000 mutations of a real Ollama line', () => {
    // A fixed-seed generator: the same mutations on every run.
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = [
      '{',
      '}',
      '[',
      ']',
      '"',
      ':',
      ',',
      '.',
      '-',
      '+',
      'e',
      'E',
      '0',
      '1',
      ' ',
      '\\',
      'u',
      'n',
      't',
      'f',
      'N',
      'a',
      '\t',
      '\n',
      '\u0001',
      'é',
    ];
    for (let round = 0; round < 20_000; round += 1) {
      let text = REAL_LINE;
      for (let edits = 1 + random(3); edits > 0; edits -= 1) {
        const at = random(text.length);
        const op = random(3);
        const char = alphabet[random(alphabet.length)] as string;
        text =
          op === 0
            ? text.slice(0, at) + text.slice(at + 1)
            : op === 1
              ? text.slice(0, at) + char + text.slice(at)
              : text.slice(0, at) + char + text.slice(at + 1);
      }
      assert.equal(verdict(text), parsesAsObject(text), `disagreement on ${JSON.stringify(text)}`);
    }
  });

  it('handles nesting 100,000 deep without running out of stack', () => {
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    assert.equal(verdict(deep), true);
    assert.equal(verdict(`{"a":${'['.repeat(100_000)}}`), false);
  });
});
