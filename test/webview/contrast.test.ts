// Colour contrast of token chips, computed from the stylesheets in Chromium (getComputedStyle),
// in the dark, light and high-contrast themes: chip text against its chip (≥ 4.5:1), and in the
// dark theme a 60 % token's chip is visibly different from a 95 % token's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { token, transcript } from './fixtures';
import { openPanel, startBrowser, stopBrowser, type Theme } from './page';

before(startBrowser);
after(stopBrowser);

type Rgba = [number, number, number, number];
const luminance = ([r, g, b]: Rgba): number => {
  const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
const ratio = (a: Rgba, b: Rgba): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};
/** A translucent colour as it shows over an opaque one. */
const over = (top: Rgba, under: Rgba): Rgba => [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])).concat(1) as Rgba;

const PROBABILITIES = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.6, 0.75, 0.85, 0.95];

async function chipColours(theme: Theme): Promise<{ text: Rgba; chip: Rgba; edge: Rgba }[]> {
  const panel = await openPanel(900, 700, undefined, theme);
  await panel.post({
    type: 'snapshot',
    activeRunId: 'a',
    runs: [
      transcript(
        'a',
        PROBABILITIES.map((p, i) => token(`w${i}`, Math.log(p))),
      ),
    ],
  });
  // Plain source text: the test runner's transpiler would wrap named functions in a helper the page lacks.
  // The canvas paints colours as the screen shows them, whatever syntax the stylesheet used.
  const raw = (await panel.page.evaluate(`(() => {
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    const rgba = (css) => { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = css; ctx.fillRect(0, 0, 1, 1); const d = ctx.getImageData(0, 0, 1, 1).data; return [d[0], d[1], d[2], d[3] / 255]; };
    const page = rgba(getComputedStyle(document.querySelector('.output')).backgroundColor);
    const body = rgba(getComputedStyle(document.body).backgroundColor);
    return Array.from(document.querySelectorAll('.strip .tok')).map((e) => { const s = getComputedStyle(e); return { text: rgba(s.color), chip: rgba(s.backgroundColor), edge: rgba(s.borderBottomColor), page, body }; });
  })()`)) as { text: Rgba; chip: Rgba; edge: Rgba; page: Rgba; body: Rgba }[];
  await panel.close();
  return raw.map((c) => {
    const ground = over(c.page as Rgba, c.body as Rgba);
    return { text: over(c.text as Rgba, ground), chip: over(c.chip as Rgba, ground), edge: over(c.edge as Rgba, ground) };
  });
}

for (const theme of ['dark', 'light', 'high-contrast'] as const) {
  test(`${theme} theme: chip text stays readable on every probability colour (≥ 4.5:1)`, async () => {
    const chips = await chipColours(theme);
    assert.equal(chips.length, PROBABILITIES.length);
    chips.forEach((c, i) => assert.ok(ratio(c.text, c.chip) >= 4.5, `p=${PROBABILITIES[i]}: ${ratio(c.text, c.chip).toFixed(2)}:1`));
  });
}

test('dark theme: a 60 % token and a 95 % token are clearly different colours', async () => {
  const chips = await chipColours('dark');
  const sixty = chips[PROBABILITIES.indexOf(0.6)]!;
  const certain = chips[PROBABILITIES.indexOf(0.95)]!;
  const distance = (a: Rgba, b: Rgba) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  assert.ok(distance(sixty.chip, certain.chip) >= 24, `chip backgrounds differ by ${distance(sixty.chip, certain.chip).toFixed(1)}`);
  assert.ok(ratio(sixty.edge, certain.edge) >= 1.5, `underlines differ by ${ratio(sixty.edge, certain.edge).toFixed(2)}:1`);
});
