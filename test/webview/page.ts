// Loads the built run-panel bundle in headless Chromium with a stand-in for VS Code's webview
// API: messages the app posts are recorded, host messages are delivered as window messages.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = path.resolve(__dirname, '..', '..');

const TEST_PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/run.css"><link rel="stylesheet" href="/theme.css"></head>
<body><div id="app"></div>
<script src="/fake-api.js"></script><script src="/run.js"></script></body></html>`;

// The stand-in for acquireVsCodeApi (test code, loaded before the bundle).
const FAKE_API = `window.__posted = []; window.__state = window.__initialState;
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });`;

// A few theme variables so colours resolve as they would in VS Code.
const THEME = `:root { --vscode-font-family: sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace; --vscode-editor-font-size: 13px;
--vscode-editor-background: #1e1e1e; --vscode-foreground: #ddd; --vscode-button-background: #0e639c; --vscode-button-foreground: #fff;
--vscode-button-secondaryBackground: #3a3d41; --vscode-button-secondaryForeground: #fff; --vscode-panel-border: #444;
--vscode-editorHoverWidget-background: #252526; --vscode-editorHoverWidget-border: #454545; }`;

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
    '/': ['text/html', TEST_PAGE],
    '/fake-api.js': ['text/javascript', FAKE_API],
    '/run.js': ['text/javascript', readFileSync(path.join(root, 'dist', 'webview', 'run.js'), 'utf8')],
    '/run.css': ['text/css', readFileSync(path.join(root, 'media', 'run.css'), 'utf8')],
    '/theme.css': ['text/css', THEME],
  };
  server = createServer((req, res) => {
    const file = files[(req.url ?? '/').split('?')[0]!];
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
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function stopBrowser(): Promise<void> {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

/** Opens the panel; `state` is what `getState()` returns, as after a reload of the webview. */
export async function openPanel(width = 900, height = 700, state?: unknown, colorScheme: 'light' | 'dark' = 'dark'): Promise<PanelPage> {
  const page = await browser!.newPage({ viewport: { width, height }, colorScheme });
  if (state !== undefined) await page.addInitScript((s) => ((window as unknown as { __initialState: unknown }).__initialState = s), state);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base);
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
