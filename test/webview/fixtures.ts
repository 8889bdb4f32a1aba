import type { JsonValue, PromptState, RunTranscript, TranscriptToken } from '../../src/shared/protocol';

export function token(text: string, logprob?: number, alternatives: [string, number][] = [], ms = 0): TranscriptToken {
  const t: TranscriptToken = { text, channel: 'content', ms };
  if (logprob !== undefined) {
    t.logprob = logprob;
    t.top = [[text, logprob] as [string, number], ...alternatives].map(([a, l]) => ({ text: a, logprob: l }));
  }
  return t;
}

export function transcript(id: string, tokens: TranscriptToken[], extra: Partial<RunTranscript> = {}): RunTranscript {
  return {
    meta: { id, title: `run ${id}`, endpoint: 'ollama', model: 'tiny', startedAt: '2026-11-28T10:00:00.000Z', wantedLogprobs: true },
    prefix: [],
    tokens,
    status: 'completed',
    stats: {
      wallMs: 1200,
      ttftMs: 150,
      outputTokens: tokens.length,
      evalRate: 42.5,
      promptTokens: 12,
      promptEvalRate: 300,
      loadMs: 20,
      doneReason: 'stop',
    },
    notices: [],
    ...extra,
  };
}

/** Strings a model could produce that must stay text: markup, script, CSS, bidi, oversize. */
export const HOSTILE: string[] = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=2">',
  '<svg onload="window.__pwned=3">',
  '<iframe src="javascript:window.__pwned=4"></iframe>',
  '<a href="javascript:window.__pwned=5">click</a>',
  '"><script>window.__pwned=6</script>',
  "'><img src=x onerror=window.__pwned=7>",
  '<body onload=window.__pwned=8>',
  '<style>*{display:none!important}</style>',
  '<div style="position:fixed;inset:0;background:red">cover</div>',
  '<link rel=stylesheet href="data:text/css,*{color:red}">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=9">',
  '<object data="javascript:window.__pwned=10"></object>',
  '<embed src="javascript:window.__pwned=11">',
  '<form action="javascript:window.__pwned=12"><button>go</button></form>',
  '<input autofocus onfocus="window.__pwned=13">',
  '<details open ontoggle="window.__pwned=14">',
  '<video><source onerror="window.__pwned=15"></video>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=16>',
  '<noscript><p title="</noscript><img src=x onerror=window.__pwned=17>">',
  '{{constructor.constructor("window.__pwned=18")()}}',
  '${window.__pwned=19}',
  '`${window.__pwned=20}`',
  'javascript:window.__pwned=21',
  'data:text/html,<script>window.__pwned=22</script>',
  '<base href="javascript:window.__pwned=23//">',
  '<template><script>window.__pwned=24</script></template>',
  '<x onclick="window.__pwned=25">click</x>',
  '&lt;script&gt;window.__pwned=26&lt;/script&gt;',
  '&#60;img src=x onerror=window.__pwned=27&#62;',
  '\u202Eevil.exe\u202C',
  '\u2066isolate\u2069 \u2067rtl\u2069',
  'zero\u200Bwidth\u200C\u200Djoin\uFEFF',
  '\u0000\u0001\u0002 controls \u001b[31mred\u001b[0m',
  '\uD800 lone high surrogate',
  '\uDFFF lone low surrogate',
  '\uDBFF\uDBFF reversed pair',
  'A'.repeat(5000),
  'no spaces at all ' + 'x'.repeat(20000),
  '\n'.repeat(50),
  '\t\t\t tabs',
  '🙂'.repeat(500),
  '𝕳𝖊𝖑𝖑𝖔 math letters',
  'e\u0301\u0301\u0301\u0301\u0301 combining',
  'ﷺ long ligature'.repeat(20),
  '<!-- comment --> <![CDATA[ x ]]>',
  '</span></div></body></html><div>escaped?</div>',
  '<span class="tok p9">fake chip</span>',
  'expression(alert(1)) url(javascript:alert(1))',
  '@import url("http://example.invalid/x.css");',
  '[link](javascript:window.__pwned=28) ![img](x "onerror=window.__pwned=29")',
  '<a href="https://example.invalid" target="_blank">out</a>',
];

/** The form and preview of a prompt with one input of every kind (as the host derives them). */
export function promptState(values: Record<string, JsonValue> = {}): PromptState {
  return {
    seq: 1,
    values,
    form: {
      file: 'file:///work/explain.prompt',
      label: 'prompts/explain.prompt',
      source: 'schema',
      fields: [
        { name: 'topic', kind: 'string', type: 'string', required: true, description: 'What to explain' },
        {
          name: 'reader',
          kind: 'enum',
          type: '"child" | "student" | "expert"',
          required: false,
          options: ['child', 'student', 'expert'],
          default: 'student',
        },
        { name: 'count', kind: 'integer', type: 'integer', required: false },
        { name: 'ratio', kind: 'number', type: 'number', required: false, default: 0.5 },
        { name: 'formal', kind: 'boolean', type: 'boolean', required: false },
        { name: 'tags', kind: 'json', type: 'string[]', required: false, shape: 'array', items: 'string' },
        { name: 'profile', kind: 'json', type: 'object', required: false, shape: 'object' },
      ],
    },
    preview: {
      ok: true,
      model: { ref: 'ollama/llama3.2', endpoint: 'ollama', kind: 'ollama', url: 'http://127.0.0.1:11434', name: 'llama3.2' },
      config: { temperature: 0.4, maxOutputTokens: 400 },
      options: { topLogprobs: 5, keepAlive: '5m' },
      notes: [],
      turns: [
        { role: 'system', parts: [{ kind: 'text', text: 'You are a patient teacher who explains with everyday examples.' }] },
        { role: 'user', purpose: 'history', parts: [{ kind: 'text', text: 'What makes the sea salty?' }] },
        { role: 'model', purpose: 'history', parts: [{ kind: 'text', text: 'Rivers carry minerals from rocks into the sea.' }] },
        {
          role: 'user',
          parts: [
            { kind: 'text', text: 'Explain tides to a student in three short paragraphs.' },
            { kind: 'media', url: 'https://example.com/moon.png', contentType: 'image/png' },
            { kind: 'section', name: 'output' },
          ],
        },
      ],
    },
  };
}

/**
 * A realistic finished run for screenshots: an answer about tides, tokenised the way a BPE
 * tokenizer would, with probabilities and alternatives where a model would hesitate.
 */
export function tidesRun(id = 'r1'): RunTranscript {
  // Where a model would hesitate: the alternatives it almost chose.
  const hesitant: Record<string, [string, number][]> = {
    ' gravity': [
      [' pull', -1.2],
      [' gravitational', -1.9],
      [' orbit', -3.1],
      [' mass', -3.6],
    ],
    ' bulge': [
      [' mound', -1.6],
      [' hump', -2.3],
      [' wave', -2.9],
    ],
    ' second': [
      [' similar', -1.3],
      [' smaller', -2.4],
    ],
    ' two': [
      [' about', -1.0],
      [' roughly', -2.6],
    ],
    ' strongly': [
      [' powerfully', -1.4],
      [' much', -2.2],
    ],
    ' spring': [
      [' king', -1.9],
      [' very', -2.4],
      [' high', -2.8],
    ],
    ' neap': [
      [' low', -1.1],
      [' weaker', -1.7],
    ],
  };
  const text =
    "Tides are caused by the Moon's gravity pulling on the Earth's oceans. The water facing the Moon is pulled into a bulge, and a second bulge forms on the far side, so most coasts see two high tides and two low tides each day.\n\nThe Sun pulls too, but less strongly. When the Sun and Moon line up, their pulls add together and we get spring tides, with extra-high highs. When they are at right angles, the pulls partly cancel and we get neap tides.";
  const pieces = text.match(/\n+|[A-Za-z]+'?s?|[ ]?[A-Za-z-]+|[^\sA-Za-z]|\s/g) ?? [];
  let seed = 7;
  const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  let ms = 180;
  const tokens = pieces.map((piece, i) => {
    ms += 18 + Math.round(rand() * 14) + (i % 23 === 0 ? 40 : 0);
    const alternatives = hesitant[piece];
    const logprob = alternatives ? Math.log(0.25 + rand() * 0.3) : -Math.pow(rand(), 3) * 0.6;
    const alts: [string, number][] = alternatives ?? [[piece === ' the' ? ' a' : ' and', logprob - 3.5 - rand() * 2]];
    return token(piece, logprob, alts, ms);
  });
  return transcript(id, tokens, {
    meta: {
      id,
      title: 'explain.prompt · ollama/llama3.2',
      endpoint: 'ollama',
      model: 'llama3.2',
      startedAt: '2026-11-28T10:00:00.000Z',
      wantedLogprobs: true,
    },
    stats: {
      wallMs: ms + 120,
      ttftMs: 198,
      outputTokens: tokens.length,
      evalRate: 46.8,
      promptTokens: 58,
      promptEvalRate: 612,
      loadMs: 34,
      doneReason: 'stop',
    },
  });
}
