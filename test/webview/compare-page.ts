// Loads the built comparison-panel bundle in headless Chromium with a stand-in for VS Code's
// webview API (messages the app posts are recorded; host messages arrive as window messages),
// plus builders for comparison snapshots.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pageStrings, type Language } from './strings';
import {
  toColumns,
  type CellState,
  type CompareCell,
  type ComparisonView,
  type SummaryView,
  type TokenBatch,
  type TranscriptToken,
} from '../../src/shared/compare-protocol';

const root = path.resolve(__dirname, '..', '..');

// The page carries the webview's strings as the host sends them; here, the English ones (or
// another language's, from its l10n bundle).
const testPage = (language: Language): string => `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/theme.css"><link rel="stylesheet" href="/tokens.css"><link rel="stylesheet" href="/compare.css"></head>
<body><div id="app" data-strings="${pageStrings(language)}"></div>
<script src="/fake-api.js"></script><script src="/compare.js"></script></body></html>`;

const FAKE_API = `window.__posted = []; window.__state = window.__initialState;
window.acquireVsCodeApi = () => ({ postMessage: (m) => { window.__posted.push(m); if (window.__toHost) void window.__toHost(JSON.stringify(m)); }, getState: () => window.__state, setState: (s) => { window.__state = s; } });`;

// Theme variables as VS Code's Dark Modern sets them, so colours resolve as they would in the editor.
const THEME = `:root { --vscode-font-family: system-ui, "Segoe UI", "Noto Sans", sans-serif; --vscode-font-size: 13px;
--vscode-editor-font-family: "DejaVu Sans Mono", Menlo, monospace; --vscode-editor-font-size: 12px;
--vscode-editor-background: #1f1f1f; --vscode-foreground: #cccccc; --vscode-sideBar-background: #181818;
--vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-button-secondaryBackground: #313131;
--vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #3c3c3c; --vscode-panel-border: #2b2b2b;
--vscode-dropdown-background: #313131; --vscode-dropdown-foreground: #cccccc; --vscode-dropdown-border: #3c3c3c;
--vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8; --vscode-textLink-foreground: #4daafc;
--vscode-errorForeground: #f85149; --vscode-focusBorder: #0078d4; --vscode-charts-blue: #3794ff; --vscode-charts-green: #89d185;
--vscode-charts-red: #f14c4c; --vscode-charts-yellow: #cca700; --vscode-charts-orange: #d18616;
--vscode-editorHoverWidget-background: #202020; --vscode-editorHoverWidget-border: #454545; --vscode-editorHoverWidget-foreground: #cccccc;
--vscode-textBlockQuote-background: #2b2b2b; --vscode-inputValidation-errorBackground: #5a1d1d; --vscode-inputValidation-errorBorder: #be1100; }`;

export interface ComparePage {
  page: Page;
  post(message: unknown): Promise<void>;
  /** Waits until every queued chip is on screen (the panel renders in animation frames). */
  settle(): Promise<void>;
  posted(): Promise<{ type: string; [key: string]: unknown }[]>;
  state(): Promise<unknown>;
  errors: string[];
  close(): Promise<void>;
}

let server: Server | undefined;
let browser: Browser | undefined;
let base = '';

export async function startBrowser(): Promise<Browser> {
  const files: Record<string, [string, string]> = {
    '/': ['text/html', testPage('en')],
    '/zh-cn': ['text/html', testPage('zh-cn')],
    '/fake-api.js': ['text/javascript', FAKE_API],
    '/compare.js': ['text/javascript', readFileSync(path.join(root, 'dist', 'webview', 'compare.js'), 'utf8')],
    '/compare.css': ['text/css', readFileSync(path.join(root, 'media', 'compare.css'), 'utf8')],
    '/tokens.css': ['text/css', readFileSync(path.join(root, 'media', 'tokens.css'), 'utf8')],
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
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return browser;
}

export async function stopBrowser(): Promise<void> {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

export interface OpenOptions {
  /** The webview state VS Code would hand back after a reload. */
  initialState?: unknown;
  /** Receives every message the panel posts to the host (as JSON, in order). */
  toHost?: (message: unknown) => void;
  /** The display language of the page's strings table. */
  language?: Language;
}

export async function openCompare(width = 1200, height = 800, options: OpenOptions = {}): Promise<ComparePage> {
  const page = await browser!.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (options.initialState !== undefined)
    await page.addInitScript((s) => ((window as unknown as { __initialState: unknown }).__initialState = s), options.initialState);
  const toHost = options.toHost;
  if (toHost) await page.exposeFunction('__toHost', (json: string) => toHost(JSON.parse(json)));
  await page.goto(options.language === 'zh-cn' ? `${base}/zh-cn` : base);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  const frames = (): Promise<unknown> => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return {
    page,
    errors,
    post: async (message) => {
      await page.evaluate((m) => window.postMessage(m, '*'), message);
      await frames();
      if (errors.length > 0) throw new Error(`page error: ${errors.join('; ')}`);
    },
    settle: async () => {
      // Chips are rendered within a per-frame budget: done when two frames add no chip and no
      // coalesced update (text refresh, live votes) is still waiting (the grid is not aria-busy).
      let last = -1;
      for (;;) {
        const [count, busy] = await page.evaluate(
          () => [document.querySelectorAll('.tok').length, document.querySelector('[aria-busy="true"]') !== null] as const,
        );
        if (count === last && !busy) break;
        last = count;
        await frames();
      }
      if (errors.length > 0) throw new Error(`page error: ${errors.join('; ')}`);
    },
    posted: () => page.evaluate(() => (window as unknown as { __posted: { type: string; [key: string]: unknown }[] }).__posted),
    state: () => page.evaluate(() => (window as unknown as { __state: unknown }).__state),
    close: () => page.close(),
  };
}

export function tok(text: string, logprob?: number, alternatives: [string, number][] = [], ms = 0): TranscriptToken {
  const t: TranscriptToken = { text, channel: 'content', ms };
  if (logprob !== undefined) {
    t.logprob = logprob;
    t.top = [[text, logprob] as [string, number], ...alternatives].map(([a, l]) => ({ text: a, logprob: l }));
  }
  return t;
}

/** Words of a text as tokens with a leading space, each with the given logprob. */
export function words(text: string, logprob = -0.1, msStep = 20): TranscriptToken[] {
  return (text.match(/\s*\S+/g) ?? []).map((w, i) => tok(w, logprob, [], i * msStep));
}

/** A cell for a snapshot; tokens are given as objects and sent column-wise, as the host does. */
export function cell(
  column: string,
  caseId: string,
  sample: number,
  extra: Partial<Omit<CompareCell, 'tokens'>> & { tokens?: TranscriptToken[] } = {},
): CompareCell {
  const caseIndex = Number(/\d+$/.exec(caseId)?.[0] ?? 0);
  const { tokens = [], ...rest } = extra;
  const base: CellState = {
    id: `${column}/r${caseIndex}/s${sample}`,
    column,
    caseId,
    sample,
    status: 'completed',
    tokenCount: 0,
    assertions: [],
    notices: [],
  };
  return { ...base, tokenCount: tokens.filter((t) => t.channel === 'content').length, ...rest, tokens: toColumns(tokens) };
}

export function batch(cellId: string, from: number, tokens: TranscriptToken[]): TokenBatch {
  return { cell: cellId, from, tokens: toColumns(tokens) };
}

export function emptySummary(): SummaryView {
  return { columns: [], votes: [], rows: [] };
}

export function comparison(extra: Partial<ComparisonView> = {}): ComparisonView {
  return {
    id: 'cmp-1',
    title: 'qa.prompt · 2 models',
    file: 'qa.prompt',
    status: 'completed',
    startedAt: '2026-11-28T10:00:00.000Z',
    samples: 1,
    concurrency: 1,
    columns: [
      { id: 'c0', variant: 'qa', model: 'ollama/llama3.2', label: 'ollama/llama3.2' },
      { id: 'c1', variant: 'qa', model: 'vllm/Qwen2.5-7B', label: 'vllm/Qwen2.5-7B' },
    ],
    cases: [{ id: 'default', line: 0, inputs: {}, checked: false }],
    cells: [],
    summary: emptySummary(),
    notices: [],
    ...extra,
  };
}
