// Runs the extension's own mocha suite (client/out/test/suite/index.js) inside code-server's real Node extension
// host: the workbench is opened with extensionDevelopmentPath + extensionTestsPath in the URL payload (the
// @vscode/test-web contract; needs code-server's `--vscode-option enable-smoke-test-driver`), and it calls
// window.codeAutomationExit(code) when the suite's run() settles.
//   env: CS_BASE (http://127.0.0.1:PORT), CS_FOLDER (workspace), EXT_DEV_PATH (extension folders, ':'-separated),
//        EXT_TESTS_PATH, SHOT (screenshot file), LOG
const { chromium } = require('playwright-core');
const fs = require('fs');
const util = require('util');

const BASE = process.env.CS_BASE;
const FOLDER = process.env.CS_FOLDER;
const EXT = process.env.EXT_DEV_PATH;
const TESTS = process.env.EXT_TESTS_PATH;
const SHOT = process.env.SHOT;
const TIMEOUT = Number(process.env.EXTHOST_TIMEOUT_MS || 240000);
// code-server's own offline noise (gallery, auth, service workers); everything else from the host is shown
const NOISE = /open-vsx|ENOTFOUND|authentication provider 'github'|AccountPolicyGate|Creating a socket|grace time|Service Worker|AgentHost|builtin extensions cache|^\s+at /;

(async () => {
  const t0 = Date.now();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', '--disable-quic'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  const host = new URL(BASE).host;
  const payload = [...EXT.split(':').map(p => ['extensionDevelopmentPath', `vscode-remote://${host}${p}`]),
                   ['extensionTestsPath', `vscode-remote://${host}${TESTS}`]];
  const done = new Promise(resolve => page.exposeFunction('codeAutomationExit', code => resolve(code)));
  const lines = [];
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...(args || []));
    lines.push(`[${type}] ${line}`);
    if (!NOISE.test(line)) console.log(`  [exthost] ${line.split('\n')[0].slice(0, 400)}`);
  });
  await page.goto(`${BASE}/?folder=${encodeURIComponent(FOLDER)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  const code = await Promise.race([done, new Promise(r => setTimeout(() => r('timeout'), TIMEOUT))]);
  const shot = SHOT;
  await page.screenshot({ path: shot }).catch(() => {});
  if (process.env.LOG) fs.writeFileSync(process.env.LOG, lines.join('\n') + '\n');
  console.log(`  codeAutomationExit: ${code} after ${Date.now() - t0} ms; screenshot ${shot}`);
  await browser.close();
  process.exit(code === 0 ? 0 : 1);
})().catch(e => { console.error(e); process.exit(1); });
