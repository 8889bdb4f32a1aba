// The token card in a comparison cell follows its token while the cell's body scrolls, and
// closes once the token is scrolled out of the body (not only out of the window). A small scroll
// (Playwright's hover nudges a body that overflows by a pixel) used to close it at once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cell, comparison, openCompare, startBrowser, stopBrowser, tok } from './compare-page';

before(startBrowser);
after(stopBrowser);

test('the card stays through a small scroll of the cell and closes when its token leaves the cell', async () => {
  const panel = await openCompare();
  const tokens = Array.from({ length: 600 }, (_, i) => tok(i % 12 === 11 ? ' line\n' : ` w${i}`, -0.2 - (i % 5) / 10));
  await panel.post({ type: 'snapshot', comparison: comparison({ cells: [cell('c1', 'default', 0, { tokens })] }) });
  await panel.settle();
  const body = '.cell[data-col="c1"] .cell-body';
  const overflow = await panel.page.$eval(body, (b) => b.scrollHeight - b.clientHeight);
  assert.ok(overflow > 200, `the cell's body scrolls (${overflow} px of overflow)`);
  await panel.page.hover('.cell[data-col="c1"] .tok[data-index="1"]');
  const card = panel.page.locator('.popover');
  await card.waitFor({ state: 'visible' });
  const scrollTo = (top: number): Promise<void> =>
    panel.page.$eval(
      body,
      (b, y) =>
        new Promise<void>((resolve) => {
          b.addEventListener('scroll', () => requestAnimationFrame(() => resolve()), { once: true });
          b.scrollTop = y;
        }),
      top,
    );
  await scrollTo(2);
  assert.equal(await card.isVisible(), true, 'a 2 px scroll keeps the card');
  await scrollTo(overflow);
  await card.waitFor({ state: 'hidden' });
  await panel.close();
});
