// The interpreter comes from the Python extension's API when gradguard.interpreter is not set, and the server
// follows the user's selection. Runs with tests/e2e/python-extension-stub as ms-python.python, whose first
// active environment is $GRADGUARD_STUB_PYTHON (the project's venv).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, GradguardApi, open, waitFor, waitForCode } from './helpers';

suite('gradguard with the Python extension API', () => {
    let api: GradguardApi;
    let configured: string[] | undefined;
    const venvPython = process.env.GRADGUARD_STUB_PYTHON as string;
    const config = () => vscode.workspace.getConfiguration('gradguard');

    async function launchedWith(source: string, python: string, running: boolean): Promise<void> {
        await waitFor(`a restart with ${python} from ${source}`, async () => {
            await api.ready();
            const l = api.launch();
            return l?.source === source && l.python[0] === python && (api.state() === 'running') === running;
        });
    }

    suiteSetup(async () => {
        configured = config().inspect<string[]>('interpreter')?.globalValue;
        assert.ok(venvPython, 'GRADGUARD_STUB_PYTHON must name the venv python');
        assert.ok(vscode.extensions.getExtension('ms-python.python'), 'the Python extension (stub) is not loaded');
        const ext = vscode.extensions.getExtension<GradguardApi>(EXTENSION_ID);
        assert.ok(ext);
        api = await ext.activate();
        await api.ready();
    });

    suiteTeardown(async () => {
        await config().update('interpreter', configured, vscode.ConfigurationTarget.Global);
    });

    test('without gradguard.interpreter the server runs on the Python extension\'s active interpreter', async () => {
        await config().update('interpreter', undefined, vscode.ConfigurationTarget.Global);
        await launchedWith('python-extension', venvPython, true);
        const doc = await open('leaf.py');
        await waitForCode(doc, 'GG101');
    });

    test('selecting another interpreter restarts the server on it (and says what to do if gradguard is missing there)', async () => {
        const other = '/usr/bin/python3';
        await vscode.commands.executeCommand('pythonStub.selectInterpreter', other);
        await waitFor('a restart on the newly selected interpreter', async () => {
            await api.ready();
            return api.launch()?.python[0] === other;
        });
        assert.strictEqual(api.launch()?.source, 'python-extension');
        console.log(`selected ${other}: state ${api.state()}; ${api.lastError() ?? 'no error'}`);
        if (api.state() !== 'running') {
            assert.match(api.lastError() ?? '', /`\/usr\/bin\/python3`.*from a checkout of its source/);
            assert.doesNotMatch(api.lastError() ?? '', /pip install gradguard/);
        }
        await vscode.commands.executeCommand('pythonStub.selectInterpreter', venvPython);
        await launchedWith('python-extension', venvPython, true);
        const doc = await open('leaf.py');
        await waitForCode(doc, 'GG101');
    });

    test('gradguard.interpreter overrides the Python extension', async () => {
        await vscode.commands.executeCommand('pythonStub.selectInterpreter', '/usr/bin/python3');
        await config().update('interpreter', [venvPython], vscode.ConfigurationTarget.Global);
        await launchedWith('setting', venvPython, true);
        const doc = await open('leaf.py');
        await waitForCode(doc, 'GG101');
    });
});
