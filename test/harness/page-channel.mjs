// The page side of the integration harness, for tests that check what a person sees inside a
// webview. Code in the extension host cannot reach a webview's DOM; Playwright can, through
// page.frames() (webview content sits in nested iframes). The suite asks over a loopback HTTP
// channel whose URL it finds in PROMPTSCOPE_PAGE_CHANNEL:
//
//   POST {op, ...args}  →  {ok: true, value} | {ok: false, error}
//
// ops (each waits on a condition with a deadline; nothing sleeps for a fixed time):
//   find      {match, timeoutMs}          a run panel whose title or prompt file contains `match`
//   eval      {match, fn, arg}            runs `(fn)(arg)` in that panel's document, returns JSON
//   waitFor   {match, fn, arg, timeoutMs} waits until `(fn)(arg)` is truthy there, returns it
//             (polled from here: the panel's CSP forbids the string evaluation of waitForFunction)
//   hover | click | fill | press {match, selector, value?}  real mouse/keyboard input
//   select    {match, selector, value}     picks the option with that value in a <select>, as a person would
//   viewport  {width, height}              resizes the browser window's viewport (the workbench relays out)
//   workbenchWaitFor {fn, arg, timeoutMs} waits until `(fn)(arg)` is truthy in the workbench page
//                                         itself (views, editors, the walkthrough), returns it
//   workbenchClick {selector}             a real click on the first match in the workbench page
//   frameWaitFor {fn, arg, timeoutMs}     waits until `(fn)(arg)` is truthy in any frame (webview
//                                         content such as a walkthrough step's Markdown), returns it
//   screenshot {name}                     the whole window, to test-results/<name>.png
//   reloadWindow {match, expect, summary} the suite has finished (summary: its counts) and left a
//                                         run panel open: the harness runs Developer: Reload Window
//                                         and checks that the panel comes back (see checkReload)
import { createServer } from 'node:http';
import * as path from 'node:path';

const RUN_PANEL_TITLE = 'Promptscope run';
const DEFAULT_TIMEOUT_MS = 15_000;

/** Waits until `check()` returns a value other than undefined, polling every `interval` ms. */
async function until(check, timeoutMs, what, interval = 100) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (${lastError.message})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** The content frame of a run panel (the newest, if several match). */
export function runPanelFrame(page, match, timeoutMs = DEFAULT_TIMEOUT_MS) {
  return until(
    async () => {
      let found;
      for (const frame of page.frames()) {
        const ok = await frame
          .evaluate(
            ([title, m]) => {
              if (document.title !== title || !document.querySelector('#app .topbar')) return false;
              if (!m) return true;
              const text = `${document.querySelector('.title')?.textContent ?? ''} ${document.querySelector('.prompt-file')?.textContent ?? ''}`;
              return text.includes(m);
            },
            [RUN_PANEL_TITLE, match ?? ''],
          )
          .catch(() => false);
        if (ok) found = frame;
      }
      return found;
    },
    timeoutMs,
    `a run panel${match ? ` showing "${match}"` : ''}`,
  );
}

const call = (fn, arg) => `(${fn})(${JSON.stringify(arg ?? null)})`;

async function perform(page, request, state) {
  const timeout = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  switch (request.op) {
    case 'find': {
      const frame = await runPanelFrame(page, request.match, timeout);
      return frame.evaluate(() => document.querySelector('.title')?.textContent ?? '');
    }
    case 'eval':
      return (await runPanelFrame(page, request.match, timeout)).evaluate(call(request.fn, request.arg));
    case 'waitFor': {
      // Polled from here: the panel's CSP forbids the string evaluation waitForFunction uses.
      const expression = call(request.fn, request.arg);
      return until(
        async () => {
          const frame = await runPanelFrame(page, request.match, timeout);
          const value = await frame.evaluate(expression);
          return value ? value : undefined;
        },
        timeout,
        `${request.fn} in the run panel`,
        50,
      );
    }
    case 'hover':
    case 'click':
    case 'fill':
    case 'press': {
      const frame = await runPanelFrame(page, request.match, timeout);
      const target = frame.locator(request.selector).first();
      if (request.op === 'fill') await target.fill(String(request.value ?? ''), { timeout });
      else if (request.op === 'press') await target.press(String(request.value), { timeout });
      else await target[request.op]({ timeout });
      return true;
    }
    case 'select': {
      const frame = await runPanelFrame(page, request.match, timeout);
      await frame.locator(request.selector).first().selectOption(String(request.value), { timeout });
      return true;
    }
    case 'viewport':
      await page.setViewportSize({ width: Number(request.width), height: Number(request.height) });
      return true;
    case 'workbenchWaitFor': {
      const expression = call(request.fn, request.arg);
      return until(async () => (await page.evaluate(expression)) || undefined, timeout, `${request.fn} in the workbench`, 50);
    }
    case 'workbenchClick':
      await page.locator(request.selector).first().click({ timeout });
      return true;
    case 'frameWaitFor': {
      const expression = call(request.fn, request.arg);
      return until(
        async () => {
          for (const frame of page.frames()) {
            const value = await frame.evaluate(expression).catch(() => undefined);
            if (value) return value;
          }
          return undefined;
        },
        timeout,
        `${request.fn} in some frame`,
        100,
      );
    }
    case 'screenshot': {
      const file = path.join(state.resultsDir, `${String(request.name).replace(/[^\w.-]/g, '_')}.png`);
      await page.screenshot({ path: file, timeout });
      return path.relative(path.dirname(state.resultsDir), file);
    }
    case 'reloadWindow': {
      const s = request.summary;
      if (!s || typeof s.passed !== 'number' || typeof s.failed !== 'number') throw new Error('reloadWindow needs the suite summary');
      state.reload = { match: request.match, expect: request.expect, summary: s };
      // Answered first: the reload ends the extension host that asked.
      setImmediate(() => state.onReload?.(state.reload));
      return true;
    }
    default:
      throw new Error(`unknown op ${JSON.stringify(request.op)}`);
  }
}

/** Starts the channel; `getPage()` returns the workbench page once it exists. */
export async function startPageChannel({ getPage, resultsDir }) {
  const state = { resultsDir, reload: undefined, onReload: undefined };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      let reply;
      try {
        const page = getPage();
        if (!page) throw new Error('the workbench page is not open yet');
        reply = { ok: true, value: (await perform(page, JSON.parse(body), state)) ?? null };
      } catch (err) {
        reply = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    /** Resolves when the suite asks for the reload check (it never settles otherwise). */
    reloadRequested: new Promise((resolve) => (state.onReload = resolve)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * At the end of the suite: runs "Developer: Reload Window" from the command palette, as a person
 * would, and checks that the run panel comes back showing the same runs and tokens (restored by
 * the extension's WebviewPanelSerializer from .promptscope/runs).
 *
 * Why the suite asks from its last hook instead of the harness reloading after the suite: when
 * an extension test run ends, the workbench stops the extension host before it reports the exit
 * code, and with it the webview serializers, so that window no longer saves webview panels. The
 * suite therefore hands over its counts and waits; this reload ends its extension host. The
 * reloaded window must not run the suite again, so its URL first loses extensionTestsPath
 * (history.replaceState), keeping the extension under development. Resolves with {ok, message}.
 */
export async function checkReload(page, { url, request, resultsDir, say }) {
  const { match, expect } = request;
  try {
    await page.evaluate((u) => history.replaceState(history.state, '', u), url);
    await page.keyboard.press('Escape');
    await until(
      async () => {
        if (await page.locator('.quick-input-widget').isVisible()) return true;
        await page
          .locator('.part.statusbar')
          .click({ position: { x: 2, y: 2 } })
          .catch(() => {});
        await page.keyboard.press('F1');
        return (await page.locator('.quick-input-widget').isVisible()) ? true : undefined;
      },
      10_000,
      'the command palette',
    );
    await page.keyboard.type('Developer: Reload Window');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Developer: Reload Window' }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30_000 });
    await page.keyboard.press('Enter');
    await reloaded;
    say('window reloaded (Developer: Reload Window)');
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    const frame = await runPanelFrame(page, match, 60_000);
    const seen = await until(
      async () => {
        const now = await frame.evaluate(() => ({
          tokens: Array.from(document.querySelectorAll('.strip:not(.thinking) .tok')).map((e) => e.textContent),
          tabs: Array.from(document.querySelectorAll('.tab')).map((e) => e.textContent),
          topic: document.querySelector('#input-topic')?.value,
        }));
        return JSON.stringify(now) === JSON.stringify(expect) ? now : undefined;
      },
      30_000,
      `the restored panel to show ${JSON.stringify(expect)}`,
    ).catch(async (err) => {
      const now = await frame
        .evaluate(() => ({
          tokens: Array.from(document.querySelectorAll('.strip:not(.thinking) .tok')).map((e) => e.textContent),
          tabs: Array.from(document.querySelectorAll('.tab')).map((e) => e.textContent),
          topic: document.querySelector('#input-topic')?.value,
        }))
        .catch(() => undefined);
      throw new Error(`${err.message}; it shows ${JSON.stringify(now)}`);
    });
    await page.screenshot({ path: path.join(resultsDir, 'integration-run-panel-restored.png'), timeout: 15_000 }).catch(() => {});
    return { ok: true, message: `restored ${seen.tabs.length} run tab(s) and ${seen.tokens.length} tokens` };
  } catch (err) {
    await page.screenshot({ path: path.join(resultsDir, 'integration-run-panel-restored.png'), timeout: 15_000 }).catch(() => {});
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
