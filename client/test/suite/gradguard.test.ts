// Runs inside a real VS Code extension host (code-server), with the real `python -m gradguard lsp` behind the
// extension. The workspace is a copy of tests/e2e/fixtures/; `gradguard.interpreter` points at the project's venv.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import {
    EXTENSION_ID,
    GradguardApi,
    sleep,
    waitFor,
    codeOf,
    describe,
    gg,
    waitForCode,
    isSuppression,
    fixture,
    open,
    lineOf,
    applyAction,
} from './helpers';

/** What this editor received, per fixture, for the Neovim check to compare with ($GRADGUARD_E2E_DIAGNOSTICS). */
const seen: Record<string, object[]> = {};
function record(doc: vscode.TextDocument): void {
    seen[doc.uri.path.split('/').pop() as string] = vscode.languages
        .getDiagnostics(doc.uri)
        .filter((d) => d.source === 'gradguard')
        .map((d) => ({
            code: codeOf(d),
            severity: ['error', 'warning', 'information', 'hint'][d.severity],
            range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
            message: d.message,
        }))
        .sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1] || a.code.localeCompare(b.code));
}

suite('gradguard in a real VS Code extension host', () => {
    let api: GradguardApi;

    suiteSetup(async () => {
        const ext = vscode.extensions.getExtension<GradguardApi>(EXTENSION_ID);
        assert.ok(ext, `${EXTENSION_ID} is not loaded`);
        api = await ext.activate();
        await api.ready();
    });

    suiteTeardown(() => {
        const out = process.env.GRADGUARD_E2E_DIAGNOSTICS;
        if (out) {
            fs.writeFileSync(out, JSON.stringify(seen, null, 2));
        }
    });

    test('the server is started with the interpreter from gradguard.interpreter', async () => {
        assert.strictEqual(api.state(), 'running', 'server state');
        const launch = api.launch();
        assert.ok(launch);
        assert.strictEqual(launch.source, 'setting');
        assert.strictEqual(launch.importStrategy, 'fromEnvironment');
        const commands = await vscode.commands.getCommands(true);
        assert.ok(commands.includes('gradguard.restart') && commands.includes('gradguard.showLogs'));
        console.log(`server: ${launch.python.join(' ')} -m gradguard lsp`);
    });

    test('GG101 (error) on `x += 1`, the in-place change of a leaf', async () => {
        const doc = await open('leaf.py');
        const line = lineOf(doc, 'x += 1');
        const [d] = await waitForCode(doc, 'GG101');
        assert.strictEqual(d.range.start.line, line, describe([d]));
        assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
        assert.ok(typeof d.code === 'object' && d.code.target.toString().includes('GG101'), 'codeDescription.href');
        record(doc);
        console.log(`leaf.py: ${describe(vscode.languages.getDiagnostics(doc.uri))}`);
    });

    test('GG201 on `y.mul_(2)`, which changes the output sigmoid saved for backward', async () => {
        const doc = await open('saved.py');
        const line = lineOf(doc, 'y.mul_(2)');
        const ds = await waitForCode(doc, 'GG201');
        assert.ok(ds.some((d) => d.range.start.line === line), describe(ds));
        record(doc);
        console.log(`saved.py: ${describe(vscode.languages.getDiagnostics(doc.uri))}`);
    });

    test('GG201 in a model: `h += 1` after sigmoid in forward(), with the related places', async () => {
        const doc = await open('model.py');
        const line = lineOf(doc, 'h += 1');
        const ds = await waitForCode(doc, 'GG201');
        const d = ds.find((x) => x.range.start.line === line);
        assert.ok(d, describe(ds));
        const related = (d.relatedInformation ?? []).map((r) => r.location.range.start.line);
        console.log(`model.py: ${describe(ds)}; related lines ${JSON.stringify(related.map((l) => l + 1))}`);
        assert.ok(related.includes(lineOf(doc, 'torch.sigmoid(')), 'related: where sigmoid saves its output');
        assert.ok(related.includes(lineOf(doc, 'loss.backward()')), 'related: the backward() that fails');
        record(doc);
    });

    test('hover over the flagged expression explains the rule', async () => {
        const doc = await open('leaf.py');
        const [d] = await waitForCode(doc, 'GG101');
        const pos = d.range.start.translate(0, 1);
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
        const text = hovers
            .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
            .join('\n');
        assert.match(text, /GG101/, text);
        console.log(`hover: ${JSON.stringify(text.slice(0, 300))}`);
    });

    test('a settings change restarts the server and reaches it (gradguard.severity)', async () => {
        const doc = await open('leaf.py');
        const config = vscode.workspace.getConfiguration('gradguard');
        await config.update('severity', { GG101: 'warning' }, vscode.ConfigurationTarget.Global);
        try {
            await waitFor('GG101 as a warning', () =>
                gg(doc.uri, 'GG101').some((d) => d.severity === vscode.DiagnosticSeverity.Warning),
            );
            await api.ready();
            assert.strictEqual(api.state(), 'running');
        } finally {
            await config.update('severity', undefined, vscode.ConfigurationTarget.Global);
        }
        await waitFor('GG101 as an error again', () =>
            gg(doc.uri, 'GG101').some((d) => d.severity === vscode.DiagnosticSeverity.Error),
        );
        await api.ready();
    });

    test('gradguard.enable = false stops the server and clears its squiggles; true brings them back', async () => {
        const doc = await open('leaf.py');
        await waitForCode(doc, 'GG101');
        const config = vscode.workspace.getConfiguration('gradguard');
        await config.update('enable', false, vscode.ConfigurationTarget.Global);
        try {
            await waitFor('GG101 cleared', () => gg(doc.uri, 'GG101').length === 0);
            await waitFor('server stopped', async () => {
                await api.ready();
                return api.state() === 'stopped';
            });
        } finally {
            await config.update('enable', undefined, vscode.ConfigurationTarget.Global);
        }
        await waitForCode(doc, 'GG101');
        await api.ready();
        assert.strictEqual(api.state(), 'running');
    });

    test('with no gradguard.interpreter and no Python extension: python3 on PATH, and what to do if it lacks gradguard', async () => {
        assert.strictEqual(vscode.extensions.getExtension('ms-python.python'), undefined, 'this test wants no Python extension');
        const doc = await open('leaf.py');
        const config = vscode.workspace.getConfiguration('gradguard');
        const configured = config.inspect<string[]>('interpreter')?.globalValue;
        await config.update('interpreter', undefined, vscode.ConfigurationTarget.Global);
        try {
            await waitFor('a restart with python3 from PATH', async () => {
                await api.ready();
                return api.launch()?.source === 'path-fallback';
            });
            assert.deepStrictEqual(api.launch()?.python, ['python3']);
            const error = api.lastError();
            console.log(`python3 on PATH: state ${api.state()}; ${error ?? 'no error'}`);
            if (api.state() !== 'running') {
                assert.match(error ?? '', /from a checkout of its source|platform/, 'the message must say what to do');
                assert.doesNotMatch(error ?? '', /pip install gradguard/, 'gradguard is not published under that name');
            }
        } finally {
            await config.update('interpreter', configured, vscode.ConfigurationTarget.Global);
        }
        await waitFor('a restart with gradguard.interpreter', async () => {
            await api.ready();
            return api.launch()?.source === 'setting' && api.state() === 'running';
        });
        await waitForCode(doc, 'GG101');
    });

    test('the quick fix for GG101 applies and the diagnostic disappears', async () => {
        const doc = await open('leaf.py');
        const [d] = await waitForCode(doc, 'GG101');
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            doc.uri,
            d.range,
            vscode.CodeActionKind.QuickFix.value,
        );
        console.log(`quick fixes: ${JSON.stringify(actions.map((a) => a.title))}`);
        const titles = actions.map((a) => a.title);
        const dupes = titles.filter((t, i) => titles.indexOf(t) !== i);
        if (dupes.length) {
            console.log(`WARNING: the server offers ${JSON.stringify(dupes)} more than once`);
        }
        const fixes = actions.filter((a) => a.kind?.value.startsWith('quickfix') && (a.edit || a.command));
        const fix = fixes.find((a) => !isSuppression(a)) ?? fixes[0];
        assert.ok(fix, `no quick fix for GG101 among ${JSON.stringify(actions.map((a) => [a.title, a.kind?.value]))}`);
        const before = doc.lineAt(d.range.start.line).text;
        await applyAction(fix);
        await waitFor(`GG101 gone after "${fix.title}"`, () => gg(doc.uri, 'GG101').length === 0);
        console.log(`line ${d.range.start.line + 1}: ${JSON.stringify(before)} -> ${JSON.stringify(doc.lineAt(d.range.start.line).text)}`);
        assert.notStrictEqual(doc.lineAt(d.range.start.line).text, before);
    });

    test('source.fixAll.gradguard: offered exactly when the server has a safe fix, and it removes GG201', async () => {
        const doc = await open('saved.py');
        const [d] = await waitForCode(doc, 'GG201');
        const quickFixes = await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            doc.uri,
            d.range,
            vscode.CodeActionKind.QuickFix.value,
        );
        const automatic = quickFixes.filter((a) => !isSuppression(a) && a.isPreferred);
        const whole = new vscode.Range(0, 0, doc.lineCount, 0);
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            doc.uri,
            whole,
            'source.fixAll.gradguard',
        );
        const fixAll = actions.filter((a) => a.kind?.value === 'source.fixAll.gradguard');
        console.log(
            `GG201 quick fixes: ${JSON.stringify(quickFixes.map((a) => a.title))}; fixAll: ${JSON.stringify(fixAll.map((a) => a.title))}`,
        );
        if (automatic.length === 0) {
            // Only the noqa suppression: fix-all must not touch the file (it never adds noqa comments).
            assert.strictEqual(fixAll.length, 0, 'fixAll offered although the server has no safe fix for GG201');
            console.log('note: the server offers no automatic fix for GG201 yet, so fixAll is (correctly) empty');
            return;
        }
        assert.strictEqual(fixAll.length, 1, 'no source.fixAll.gradguard action');
        await applyAction(fixAll[0]);
        await waitFor('GG201 gone after fixAll', () => gg(doc.uri, 'GG201').length === 0);
        console.log(`saved.py after fixAll: ${JSON.stringify(doc.getText())}`);
    });
});
