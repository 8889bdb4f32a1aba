/**
 * One redaction rule for endpoint URLs with credentials, and the bounded error-body summary.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { displayUrl, scrubCredentials, withoutCredentials } from '../../src/core/providers/displayUrl';
import { htmlToText, summariseBody, describeSize } from '../../src/core/providers/errorBody';
import { normalizeOllamaHost } from '../../src/core/providers/ollamaHost';

describe('displayUrl', () => {
  it('hides user and password, keeps the rest as written', () => {
    assert.equal(displayUrl('http://alice:s3cret@gpu-box:11434/ollama'), 'http://***@gpu-box:11434/ollama');
    assert.equal(displayUrl('https://token@proxy.example/v1'), 'https://***@proxy.example/v1');
    assert.equal(displayUrl('http://127.0.0.1:11434'), 'http://127.0.0.1:11434');
  });

  it('also hides credentials of text that is not a URL, and of URLs inside free text', () => {
    assert.equal(displayUrl('gpu-box http://a:b@c'), 'gpu-box http://***@c');
    assert.equal(
      scrubCredentials('connect to http://u:p%40ss@h:1/x failed; see https://ok.example/'),
      'connect to http://***@h:1/x failed; see https://ok.example/',
    );
  });

  it('the normalized Ollama host keeps the credentials for the request; displayUrl hides them', () => {
    const url = normalizeOllamaHost('http://alice:s3cret@gpu-box');
    assert.equal(url, 'http://alice:s3cret@gpu-box:11434');
    assert.equal(displayUrl(url), 'http://***@gpu-box:11434');
  });

  it('withoutCredentials moves them into a Basic authorization value (percent-decoded)', () => {
    assert.deepEqual(withoutCredentials('http://al%20ice:p%40ss@h:1/v1'), {
      url: 'http://h:1/v1',
      authorization: `Basic ${Buffer.from('al ice:p@ss').toString('base64')}`,
    });
    assert.deepEqual(withoutCredentials('http://h:1/v1'), { url: 'http://h:1/v1' });
  });
});

describe('error body summary', () => {
  it('strips an HTML page to its text: scripts, styles, comments and entities', () => {
    assert.equal(
      htmlToText(
        '<html><head><style>p{}</style><script>x<1</script></head><body><!-- hi --><h1>Bad&nbsp;Gateway</h1><p>a &lt;b&gt; &#233;&#x4e2d;</p></body></html>',
      ),
      'Bad Gateway a <b> é中',
    );
  });

  it('keeps a small JSON body whole and exact', async () => {
    const body = await summariseBody(new Response('{"error":"model not found"}', { headers: { 'content-type': 'application/json' } }));
    assert.equal(body.complete, true);
    assert.equal(body.raw, '{"error":"model not found"}');
    assert.equal(describeSize(body), '27 bytes of application/json');
  });

  it('reads a large body without a length only up to the measuring limit, and keeps 4 KiB', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)));
      },
    });
    const body = await summariseBody(new Response(endless, { headers: { 'content-type': 'text/plain' } }));
    assert.equal(body.complete, false);
    assert.equal(body.raw.length, 4096);
    assert.ok(pulled <= 17, `read ${pulled} chunks of 64 KiB`);
    assert.equal(describeSize(body), 'over 1 MiB of text/plain, first 4 KiB kept');
  });
});
