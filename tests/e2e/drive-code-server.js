// What a person sees: drives code-server (real VS Code workbench, gradguard loaded unpacked) with Playwright and
// Debian chromium. Opens leaf.py, waits for the GG101 squiggle on the `x += 1` line, reads the Problems panel,
// hovers the flagged expression, applies the quick fix with Ctrl+. and checks the problem goes away.
// Screenshots: $SHOTS/1-squiggle.png .. 5-after-fix.png; result JSON: $SHOTS/ui-result.json.
//   env: CS_URL (workbench URL incl. folder + payload), SHOTS, CS_FILE (leaf.py), EXPECT_CODE (GG101),
//        EXPECT_LINE_TEXT (x += 1)
const { chromium } = require('playwright-core');
const fs = require('fs');

const URL = process.env.CS_URL;
const FILE = process.env.CS_FILE || 'leaf.py';
const CODE = process.env.EXPECT_CODE || 'GG101';
const LINE_TEXT = process.env.EXPECT_LINE_TEXT || 'x += 1';
const SHOTS = process.env.SHOTS;
const t0 = Date.now();
const log = (...a) => console.log(`  [${String(Date.now() - t0).padStart(6)} ms]`, ...a);
const shot = async (page, name) => {
  const p = `${SHOTS}/${name}.png`;
  await page.screenshot({ path: p });
  log(`screenshot ${p}`);
};

// .view-line elements are not in line order in the DOM, and use U+00A0 for spaces
const editorLines = page => page.$$eval('.editor-instance .monaco-editor .view-lines .view-line', ls =>
  ls.map(l => [parseFloat(l.style.top) || 0, l.textContent.replace(/\u00a0/g, ' ')])
    .sort((a, b) => a[0] - b[0]).map(x => x[1]));

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', '--disable-quic'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  page.on('pageerror', e => log('pageerror:', e.message));
  const result = { ok: false, checks: {} };
  try {
    await page.goto(URL, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90000 });
    log('workbench ready');

    // Open the file with Quick Open, like a person would.
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 30000 });
    await page.keyboard.type(FILE);
    await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 30000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.tab[aria-label^="${FILE}"], .tab[data-resource-name="${FILE}"]`, { timeout: 30000 });
    log(`${FILE} opened`);
    const lines = await editorLines(page);
    const lineNo = lines.findIndex(l => l.includes(LINE_TEXT)) + 1;   // 1-based, as VS Code shows it
    if (lineNo < 1) throw new Error(`"${LINE_TEXT}" not found in ${JSON.stringify(lines)}`);
    result.lineNo = lineNo;

    // 1. The squiggle, on the right line: its top must be that of the `x += 1` view-line.
    await page.waitForSelector('.editor-instance .squiggly-error', { timeout: 90000 });
    log('error squiggle visible');
    const lineBox = await page.locator('.editor-instance .view-line', { hasText: LINE_TEXT }).first().boundingBox();
    const squiggles = await page.locator('.editor-instance .squiggly-error').evaluateAll(els =>
      els.map(e => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; }));
    const onLine = squiggles.filter(s => s.y + s.h / 2 >= lineBox.y && s.y + s.h / 2 <= lineBox.y + lineBox.height);
    result.checks.squiggleOnLine = onLine.length > 0;
    log(`squiggles: ${squiggles.length}, on line ${lineNo}: ${onLine.length}`);
    await shot(page, '1-squiggle');

    // 2. Problems panel (Ctrl+Shift+M): one row per diagnostic, its aria-label has code, message and position.
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: 30000 });
    await page.waitForTimeout(500);
    result.problems = await page.$$eval('.markers-panel .monaco-list-row', rows =>
      rows.map(r => r.getAttribute('aria-label') || r.textContent));
    log('problems:', JSON.stringify(result.problems));
    result.checks.problemsPanel = result.problems.some(p => p.includes(CODE) && p.includes(`line ${lineNo} `)
      && /gradguard/.test(p) && /^Error/.test(p));
    await shot(page, '2-problems');

    // 3. Hover over the flagged expression: the server's explanation appears in the hover widget.
    const target = onLine[0] || squiggles[0];
    await page.mouse.move(target.x + Math.min(12, target.w / 2), target.y + target.h / 2 - 6, { steps: 4 });
    await page.mouse.move(target.x + Math.min(14, target.w / 2), target.y + target.h / 2 - 4, { steps: 2 });
    await page.waitForSelector('.monaco-hover:not(.hidden) .hover-contents', { timeout: 30000 });
    await page.waitForTimeout(800);
    result.hover = (await page.locator('.monaco-hover-content').first().innerText()).trim();
    log('hover:', JSON.stringify(result.hover.slice(0, 500)));
    result.checks.hover = result.hover.includes(CODE);
    await shot(page, '3-hover');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');

    // 4. Quick fix: cursor on the flagged line, Ctrl+. , pick gradguard's fix.
    await page.locator('.editor-instance .view-line', { hasText: LINE_TEXT }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('Control+.');
    await page.waitForSelector('.action-widget .monaco-list-row', { timeout: 30000 });
    await page.waitForTimeout(300);
    result.codeActions = await page.$$eval('.action-widget .monaco-list-row', rs => rs.map(r => ({
      text: r.textContent.trim(), action: r.classList.contains('action'), disabled: r.classList.contains('option-disabled') })));
    log('code actions:', JSON.stringify(result.codeActions));
    await shot(page, '4-quick-fix-menu');
    const rows = page.locator('.action-widget .monaco-list-row.action:not(.option-disabled)');
    if ((await rows.count()) === 0) throw new Error('no enabled quick fix in the menu');
    result.appliedFix = (await rows.first().textContent()).trim();
    await rows.first().click();
    await page.waitForFunction(text => ![...document.querySelectorAll('.editor-instance .view-line')]
      .some(l => l.textContent.replace(/\u00a0/g, ' ').includes(text)), LINE_TEXT, { timeout: 30000 });
    result.linesAfterFix = await editorLines(page);
    log(`after "${result.appliedFix}": line ${lineNo} is ${JSON.stringify(result.linesAfterFix[lineNo - 1])}`);

    // 5. The problem disappears from the editor and from the Problems panel.
    await page.waitForFunction(code => ![...document.querySelectorAll('.markers-panel .monaco-list-row')]
      .some(r => (r.getAttribute('aria-label') || '').includes(code)), CODE, { timeout: 30000 });
    await page.waitForFunction(() => !document.querySelector('.editor-instance .squiggly-error'), null, { timeout: 30000 });
    result.checks.fixApplied = true;
    result.problemsAfterFix = await page.$$eval('.markers-panel .monaco-list-row', rows =>
      rows.map(r => r.getAttribute('aria-label') || r.textContent));
    await page.waitForTimeout(500);
    await shot(page, '5-after-fix');
    result.ok = Object.values(result.checks).every(Boolean) && Object.keys(result.checks).length === 5;
  } catch (e) {
    result.error = String(e && e.stack || e);
    log('ERROR', result.error);
    await shot(page, 'ui-error').catch(() => {});
  } finally {
    result.elapsedMs = Date.now() - t0;
    fs.writeFileSync(`${SHOTS}/ui-result.json`, JSON.stringify(result, null, 2));
    log('checks:', JSON.stringify(result.checks));
    await browser.close();
    process.exit(result.ok ? 0 : 1);
  }
})();
