// Loads the built run-panel bundle in headless Chromium with a stand-in for VS Code's webview
// API: messages the app posts are recorded, host messages are delivered as window messages.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pageStrings, type Language } from './strings';

const root = path.resolve(__dirname, '..', '..');

// The page carries the webview's strings as the host sends them; here, the English ones (or
// another language's, from its l10n bundle).
const testPage = (language: Language): string => `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/codicon.css"><link rel="stylesheet" href="/tokens.css"><link rel="stylesheet" href="/run.css"><link rel="stylesheet" href="/theme.css"></head>
<body><div id="app" data-strings="${pageStrings(language)}"></div>
<script src="/fake-api.js"></script><script src="/run.js"></script></body></html>`;

// The stand-in for acquireVsCodeApi (test code, loaded before the bundle). Like VS Code, it
// marks the body with the theme kind.
const FAKE_API = `window.__posted = []; window.__state = window.__initialState;
document.body.classList.add(window.__theme || 'vscode-dark');
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });`;

const FONTS = `--vscode-font-family: "Liberation Sans", "DejaVu Sans", sans-serif; --vscode-font-size: 13px;
--vscode-editor-font-family: "DejaVu Sans Mono", "Noto Sans Mono", monospace; --vscode-editor-font-size: 13px;`;

// Theme variables as VS Code's Dark Modern, Light Modern and High Contrast themes set them.
const THEME = `body.vscode-dark { ${FONTS}
--vscode-editor-background: #1f1f1f; --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d;
--vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #026ec1;
--vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #3c3c3c;
--vscode-input-background: #313131; --vscode-input-foreground: #cccccc; --vscode-input-border: #3c3c3c;
--vscode-dropdown-background: #313131; --vscode-dropdown-foreground: #cccccc; --vscode-dropdown-border: #3c3c3c;
--vscode-panel-border: #2b2b2b; --vscode-widget-border: #313131; --vscode-sideBar-background: #181818;
--vscode-editorHoverWidget-background: #202020; --vscode-editorHoverWidget-foreground: #cccccc; --vscode-editorHoverWidget-border: #454545;
--vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8; --vscode-focusBorder: #0078d4;
--vscode-charts-red: #f14c4c; --vscode-charts-yellow: #cca700; --vscode-charts-green: #89d185; --vscode-charts-blue: #3794ff; --vscode-charts-purple: #b180d7; --vscode-charts-orange: #d18616;
--vscode-textCodeBlock-background: #2b2b2b; --vscode-textBlockQuote-background: #2b2b2b; --vscode-errorForeground: #f85149;
--vscode-list-hoverBackground: #2a2d2e; --vscode-editor-hoverHighlightBackground: rgba(38, 79, 120, 0.35);
--vscode-inputValidation-errorBackground: #5a1d1d; --vscode-inputValidation-errorBorder: #be1100; --vscode-statusBarItem-errorBackground: #c72e0f;
--vscode-widget-shadow: rgba(0, 0, 0, 0.36); --vscode-notificationsInfoIcon-foreground: #3794ff; --vscode-editorWarning-foreground: #cca700; }
body.vscode-light { ${FONTS}
--vscode-editor-background: #ffffff; --vscode-foreground: #3b3b3b; --vscode-descriptionForeground: #6f6f6f;
--vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #0258a8;
--vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b; --vscode-button-secondaryHoverBackground: #cccccc;
--vscode-input-background: #ffffff; --vscode-input-foreground: #3b3b3b; --vscode-input-border: #cecece;
--vscode-dropdown-background: #ffffff; --vscode-dropdown-foreground: #3b3b3b; --vscode-dropdown-border: #cecece;
--vscode-panel-border: #e5e5e5; --vscode-widget-border: #e5e5e5; --vscode-sideBar-background: #f8f8f8;
--vscode-editorHoverWidget-background: #f8f8f8; --vscode-editorHoverWidget-foreground: #3b3b3b; --vscode-editorHoverWidget-border: #c8c8c8;
--vscode-badge-background: #cccccc; --vscode-badge-foreground: #3b3b3b; --vscode-focusBorder: #005fb8;
--vscode-charts-red: #e51400; --vscode-charts-yellow: #bf8803; --vscode-charts-green: #388a34; --vscode-charts-blue: #1a85ff; --vscode-charts-purple: #652d90; --vscode-charts-orange: #d18616;
--vscode-textCodeBlock-background: #f3f3f3; --vscode-textBlockQuote-background: #f8f8f8; --vscode-errorForeground: #a1260d;
--vscode-list-hoverBackground: #f2f2f2; --vscode-editor-hoverHighlightBackground: rgba(173, 214, 255, 0.3);
--vscode-inputValidation-errorBackground: #f2dede; --vscode-inputValidation-errorBorder: #be1100; --vscode-statusBarItem-errorBackground: #c72e0f;
--vscode-widget-shadow: rgba(0, 0, 0, 0.16); --vscode-notificationsInfoIcon-foreground: #1a85ff; --vscode-editorWarning-foreground: #bf8803; }
body.vscode-high-contrast { ${FONTS}
--vscode-editor-background: #000000; --vscode-foreground: #ffffff; --vscode-descriptionForeground: #ffffff; --vscode-contrastBorder: #6fc3df; --vscode-contrastActiveBorder: #f38518;
--vscode-button-background: #000000; --vscode-button-foreground: #ffffff; --vscode-button-border: #6fc3df; --vscode-button-secondaryBackground: #000000; --vscode-button-secondaryForeground: #ffffff;
--vscode-input-background: #000000; --vscode-input-foreground: #ffffff; --vscode-input-border: #6fc3df; --vscode-focusBorder: #f38518;
--vscode-editorHoverWidget-background: #0c141f; --vscode-editorHoverWidget-border: #6fc3df; --vscode-badge-background: #000000; --vscode-badge-foreground: #ffffff;
--vscode-charts-red: #f48771; --vscode-charts-yellow: #ffd700; --vscode-charts-green: #89d185; --vscode-charts-blue: #3794ff; --vscode-errorForeground: #f48771; }`;

const codicons = path.join(root, 'node_modules', '@vscode', 'codicons', 'dist');

export interface PanelPage {
  page: Page;
  post(message: unknown): Promise<void>;
  posted(): Promise<unknown[]>;
  close(): Promise<void>;
}

let server: Server | undefined;
let browser: Browser | undefined;
let base = '';

export async function startBrowser(): Promise<void> {
  const files: Record<string, [string, string]> = {
    '/': ['text/html', testPage('en')],
    '/zh-cn': ['text/html', testPage('zh-cn')],
    '/fake-api.js': ['text/javascript', FAKE_API],
    '/run.js': ['text/javascript', readFileSync(path.join(root, 'dist', 'webview', 'run.js'), 'utf8')],
    '/run.css': ['text/css', readFileSync(path.join(root, 'media', 'run.css'), 'utf8')],
    '/tokens.css': ['text/css', readFileSync(path.join(root, 'media', 'tokens.css'), 'utf8')],
    '/theme.css': ['text/css', THEME],
    '/blank': ['text/html', '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>'],
    '/codicon.css': ['text/css', readFileSync(path.join(codicons, 'codicon.css'), 'utf8')],
  };
  const fonts: Record<string, Buffer> = { '/codicon.ttf': readFileSync(path.join(codicons, 'codicon.ttf')) };
  server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0]!;
    const font = fonts[url];
    if (font) {
      res.writeHead(200, { 'Content-Type': 'font/ttf' }).end(font);
      return;
    }
    const file = files[url];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': file[0] }).end(file[1]);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function stopBrowser(): Promise<void> {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

/** A page of the same browser for other content (benchmark baselines). */
export async function blankPage(width = 900, height = 700): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width, height } });
  await page.goto(`${base}/blank`);
  return page;
}

export type Theme = 'dark' | 'light' | 'high-contrast';

/** Opens the panel; `state` is what `getState()` returns, as after a reload of the webview. */
export async function openPanel(
  width = 900,
  height = 700,
  state?: unknown,
  theme: Theme = 'dark',
  language: Language = 'en',
): Promise<PanelPage> {
  const page = await browser!.newPage({
    viewport: { width, height },
    colorScheme: theme === 'light' ? 'light' : 'dark',
    deviceScaleFactor: 1,
  });
  await page.addInitScript(
    ([s, t]) => {
      const w = window as unknown as { __initialState: unknown; __theme: string };
      w.__initialState = s;
      w.__theme = `vscode-${t}`;
    },
    [state, theme] as const,
  );
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(language === 'en' ? base : `${base}/${language}`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  return {
    page,
    post: async (message) => {
      await page.evaluate((m) => window.postMessage(m, '*'), message);
      // Messages are handled asynchronously; one animation frame later they are on screen.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      if (errors.length > 0) throw new Error(`page error: ${errors.join('; ')}`);
    },
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted),
    close: () => page.close(),
  };
}
