// Hostile model output in every place the run panel shows it, not only the answer's chips: the
// reasoning block, the alternatives, the title and model, a branch's tab, errors and notices.
// Nothing may execute, no markup may be created from it, and the layout must hold.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunTranscript, TranscriptToken } from '../../src/shared/protocol';
import { HOSTILE, token, transcript } from './fixtures';
import { openPanel, startBrowser, stopBrowser, type PanelPage } from './page';

before(startBrowser);
after(stopBrowser);

async function assertInert(panel: PanelPage, where: string): Promise<void> {
  const state = await panel.page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: number }).__pwned,
    markup: Array.from(
      document.querySelectorAll(
        '#app script, #app iframe, #app object, #app embed, #app style, #app form, #app img, #app link, #app meta, #app base, #app svg:not(.chart svg), #app a, body > .popover img, body > .popover a',
      ),
    ).map((e) => e.outerHTML.slice(0, 80)),
    handlers: Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on')))
      .length,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    popoverOverflow: (() => {
      const pop = document.querySelector('.popover') as HTMLElement | null;
      if (!pop || pop.hidden) return 0;
      const r = pop.getBoundingClientRect();
      return Math.max(0, r.right - window.innerWidth, -r.left);
    })(),
  }));
  assert.equal(state.pwned, undefined, `${where}: something ran`);
  assert.deepEqual(state.markup, [], `${where}: model output became markup`);
  assert.equal(state.handlers, 0, `${where}: an event-handler attribute appeared`);
  assert.ok(state.overflow <= 1, `${where}: the page is ${state.overflow}px wider than the viewport`);
  assert.ok(state.popoverOverflow <= 1, `${where}: the alternatives card sticks out by ${state.popoverOverflow}px`);
}

function hostileRun(id: string, i: number): RunTranscript {
  const evil = HOSTILE[i % HOSTILE.length]!;
  const thinking: TranscriptToken = { text: evil, channel: 'thinking', ms: 1 };
  const content = token(
    evil,
    -1.5,
    [
      [HOSTILE[(i + 1) % HOSTILE.length]!, -1],
      [HOSTILE[(i + 2) % HOSTILE.length]!, -2],
    ],
    5,
  );
  return transcript(id, [thinking, content], {
    meta: {
      id,
      title: evil.slice(0, 300),
      endpoint: evil.slice(0, 200),
      model: evil.slice(0, 200),
      startedAt: '',
      wantedLogprobs: true,
      ...(i > 0 ? { origin: { parentId: 'r0', tokenIndex: 0, alternative: evil.slice(0, 300) } } : {}),
    },
    status: 'error',
    error: { kind: 'model-not-found', message: evil.slice(0, 2000), serverMessage: evil.slice(0, 2000), model: evil.slice(0, 200) },
    notices: [{ code: 'malformed-line', message: evil.slice(0, 2000) }],
    stats: { wallMs: 10, doneReason: evil.slice(0, 200) },
  });
}

test(`${HOSTILE.length} hostile strings in titles, tabs, reasoning, alternatives, errors and notices stay text`, async () => {
  const panel = await openPanel(640, 700);
  // A few runs at a time, each a branch of the first, so every string shows in every place.
  for (let start = 0; start < HOSTILE.length; start += 6) {
    const runs = [0, 1, 2, 3, 4, 5].map((k) => hostileRun(k === 0 ? 'r0' : `r${k}`, start + k));
    for (const active of ['r0', 'r3']) {
      await panel.post({ type: 'snapshot', activeRunId: active, runs });
      await panel.page.locator('.reasoning summary').click();
      await panel.page.hover('.strip:not(.thinking) .tok');
      await assertInert(panel, `strings ${start}–${start + 5}, run ${active}`);
      // The card stays in the viewport, so a tall one may sit above its token: close it first.
      await panel.page.keyboard.press('Escape');
      await panel.page.locator('.reasoning summary').click();
    }
  }
  await panel.close();
});

test('hostile text in the reasoning block and the alternatives arrives by increments, too', async () => {
  const panel = await openPanel(640, 700);
  await panel.post({ type: 'snapshot', activeRunId: 'a', runs: [transcript('a', [], { status: 'running' })] });
  const tokens: TranscriptToken[] = HOSTILE.flatMap((h, i) => [
    { text: h, channel: 'thinking' as const, ms: i * 2 },
    token(h, -0.7, [[HOSTILE[(i + 7) % HOSTILE.length]!, -1.2]], i * 2 + 1),
  ]);
  for (let from = 0; from < tokens.length; from += 16)
    await panel.post({ type: 'append', runId: 'a', from, tokens: tokens.slice(from, from + 16) });
  await panel.post({ type: 'status', runId: 'a', status: 'completed', notices: [], stats: { wallMs: 500 } });
  assert.equal(await panel.page.locator('.thinking .tok').count(), HOSTILE.length);
  assert.equal(await panel.page.locator('.strip:not(.thinking) .tok').count(), HOSTILE.length);
  assert.equal(await panel.page.locator('.thinking .tok').first().textContent(), HOSTILE[0]);
  await panel.page.locator('.reasoning summary').click();
  for (let i = 0; i < HOSTILE.length; i += 5) {
    await panel.page.locator('.strip:not(.thinking) .tok').nth(i).focus();
    await panel.page.keyboard.press('Enter');
    await assertInert(panel, `alternatives of token ${i}`);
    await panel.page.keyboard.press('Escape');
  }
  for (const view of ['text', 'markdown', 'tokens']) {
    await panel.page.click(`button.view[data-view="${view}"]`);
    if (view !== 'markdown') await assertInert(panel, `${view} view`);
  }
  await panel.close();
});
