// Both panels in Simplified Chinese: with the zh-cn strings table on the page, no English from
// the table shows anywhere (text, tooltips, ARIA labels, placeholders), and Chinese does.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { WEBVIEW_STRING_KEYS } from '../../src/shared/webview-strings';
import { cell, comparison, openCompare, startBrowser as startCompare, stopBrowser as stopCompare, tok } from './compare-page';
import { promptState, token, transcript } from './fixtures';
import { openPanel, startBrowser, stopBrowser } from './page';
import { stringsTable } from './strings';

before(async () => {
  await startBrowser();
  await startCompare();
});
after(async () => {
  await stopBrowser();
  await stopCompare();
});

/** The English words of every table entry whose Chinese differs, as whole words (placeholders removed). */
function englishPhrases(): RegExp[] {
  const en = stringsTable('en');
  const zh = stringsTable('zh-cn');
  const phrases = new Set<string>();
  for (const key of WEBVIEW_STRING_KEYS) {
    if (en[key] === zh[key]) continue;
    for (const piece of en[key].split(/\{\d+\}/)) {
      const words = piece.replace(/[^A-Za-z ]+/g, ' ').trim();
      // Names the translation keeps (Markdown) are not English left behind.
      if (/[A-Za-z]{3,}/.test(words) && !zh[key].includes(words)) phrases.add(words);
    }
  }
  return [...phrases].map((p) => new RegExp(`\\b${p.replace(/\s+/g, '\\s+')}\\b`));
}

/** What a user sees or hears: visible text, tooltips, ARIA labels, placeholders, SVG titles. */
async function userFacing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out = [document.body.innerText];
    for (const e of Array.from(document.querySelectorAll('*'))) {
      for (const name of ['title', 'aria-label', 'placeholder']) {
        const value = e.getAttribute(name);
        if (value) out.push(value);
      }
      if (e.tagName.toLowerCase() === 'title' && e.closest('svg')) out.push(e.textContent ?? '');
    }
    return out;
  });
}

async function assertChinese(page: Page, where: string): Promise<void> {
  const texts = await userFacing(page);
  const all = texts.join('\n');
  const english = englishPhrases()
    .filter((p) => p.test(all))
    .map((p) => p.source);
  assert.deepEqual(english, [], `${where}: English from the strings table is shown`);
  assert.match(all, /[\u4e00-\u9fff]/);
}

test('the run panel speaks Chinese: toolbar, form, preview, stats, charts, tabs, the token card, errors', async () => {
  const panel = await openPanel(900, 900, undefined, 'dark', 'zh-cn');
  const chosen = token(
    '潮',
    Math.log(0.4),
    [
      ['潮', Math.log(0.4)],
      ['海', Math.log(0.3)],
    ],
    20,
  );
  const run = transcript('a', [token('月', -0.1, [], 10), chosen], {
    meta: { id: 'a', title: '潮汐', endpoint: 'ollama', model: 'qwen', startedAt: '', wantedLogprobs: true },
    status: 'error',
    error: { kind: 'model-not-found', message: '找不到模型', serverMessage: '404', model: 'qwen' },
  });
  const branch = transcript('b', [token('水', -0.2, [], 5)], {
    meta: {
      id: 'b',
      title: '潮汐 · 分支',
      endpoint: 'ollama',
      model: 'qwen',
      startedAt: '',
      wantedLogprobs: true,
      origin: { parentId: 'a', tokenIndex: 1, alternative: '海' },
    },
  });
  // The prompt's own text is data; here it is Chinese, so any English on the page is ours.
  const prompt = promptState();
  prompt.preview = {
    ...prompt.preview!,
    config: { seed: 1 },
    options: { topLogprobs: 5 },
    turns: [
      {
        role: 'user',
        parts: [
          { kind: 'text', text: '解释潮汐。' },
          { kind: 'media', url: 'https://example.com/moon.png' },
          { kind: 'section', name: '输出' },
        ],
      },
    ],
  };
  await panel.post({ type: 'snapshot', activeRunId: 'a', runs: [run, branch], prompt });
  await panel.page.hover('.strip:not(.thinking) .tok[data-index="1"]');
  await panel.page.locator('.popover').waitFor({ state: 'visible' });
  assert.match(await panel.page.locator('.popover').innerText(), /概率/);
  await assertChinese(panel.page, 'run panel');
  await panel.close();
});

test('the comparison panel speaks Chinese: toolbar, headers, summary, cells, votes, the token card', async () => {
  const panel = await openCompare(1200, 800, { language: 'zh-cn' });
  const answers = ['四十二', '四十二', '四十一'];
  const cells = answers.map((answer, i) =>
    cell('c0', '用例一', i, { tokens: [tok('答', -0.3, [], 10), tok(answer, -0.6, [], 30)], answer, answerProbability: 0.5 }),
  );
  await panel.post({
    type: 'snapshot',
    comparison: comparison({
      title: '比较',
      samples: 3,
      temperature: 0.8,
      columns: [{ id: 'c0', variant: '问', model: '模型甲', label: '模型甲' }],
      cases: [{ id: '用例一', line: 3, inputs: { 题: '问题' }, checked: false }],
      cells,
      summary: {
        columns: [],
        rows: [{ caseId: '用例一', same: true }],
        votes: [
          {
            caseId: '用例一',
            column: 'c0',
            total: 3,
            missing: 1,
            agreement: 0.66,
            tie: false,
            majority: '四十二',
            calibrationGap: 0.2,
            buckets: [{ answer: '四十二', count: 2, frequency: 0.66, modelProbability: 0.5 }],
          },
        ],
      },
    }),
  });
  await panel.settle();
  await panel.page.hover('.cell[data-col="c0"] .tok');
  await panel.page.locator('.popover').waitFor({ state: 'visible' });
  await assertChinese(panel.page, 'comparison panel');
  await panel.close();
});
