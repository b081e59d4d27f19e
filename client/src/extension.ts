import * as vscode from 'vscode';
import { LanguageClient, State } from 'vscode-languageclient/node';
import { CONFIG_SECTION } from './constants';
import { log, outputChannel } from './log';
import { onDidChangePythonInterpreter } from './python';
import { Launch, canStart, createClient, probe, reportProbeFailure, resolveLaunch } from './server';
import { affectsRestart, getSettings, primaryFolder } from './settings';

let client: LanguageClient | undefined;
let lastLaunch: Launch | undefined;
/** Why the server is not running, when it is not (shown to the user too); undefined when it runs or is off. */
let lastError: string | undefined;
/** Restarts are serialised: a settings change that arrives during a start waits for it to finish. */
let queue: Promise<void> = Promise.resolve();
let restartTimer: NodeJS.Timeout | undefined;

/** What tests (and other extensions) can ask: is the server running, and how was it started? */
export interface GradguardApi {
    /** Resolves when the current (re)start has finished, whether or not the server came up. */
    ready(): Promise<void>;
    state(): 'running' | 'stopped' | 'starting';
    launch(): { python: string[]; source: string; importStrategy: string; bundle?: string } | undefined;
    /** Why the last start failed (what the user was told), if it did. */
    lastError(): string | undefined;
    restart(): Promise<void>;
}

async function stopClient(): Promise<void> {
    const old = client;
    client = undefined;
    if (old) {
        try {
            await old.stop(5000);
        } catch (err) {
            log.warn(`Stopping the server failed: ${err}`);
        }
        await old.dispose().catch(() => undefined);
    }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
    await stopClient();
    lastError = undefined;
    lastLaunch = undefined;
    const settings = getSettings(primaryFolder());
    if (!settings.enable) {
        log.info('gradguard.enable is off: the server is not running.');
        return;
    }
    const launch = await resolveLaunch(context, settings);
    lastLaunch = launch;
    log.info(
        `Interpreter: ${launch.python.join(' ')} (from ${launch.source}); import strategy: ${launch.importStrategy}` +
            `${launch.bundle ? ` (bundled server for ${launch.bundle.target}: ${launch.bundle.libs})` : ''}; ` +
            `workspace trusted: ${vscode.workspace.isTrusted}`,
    );
    const result = await probe(launch);
    if (!canStart(launch, result)) {
        lastError = reportProbeFailure(launch, result);
        return;
    }
    log.info(`Server: gradguard ${result.gradguardVersion} from ${result.gradguardFile}`);
    const next = createClient(launch, settings);
    client = next;
    try {
        await next.start();
        log.info(`Server started: ${launch.python.join(' ')} -m gradguard lsp`);
    } catch (err) {
        lastError = `The gradguard server failed to start: ${err}`;
        log.error(lastError);
        vscode.window
            .showErrorMessage(`The gradguard server failed to start: ${err}`, 'Show Logs')
            .then((c) => c && outputChannel().show());
    }
}

function restart(context: vscode.ExtensionContext): Promise<void> {
    queue = queue.then(() => startClient(context)).catch((err) => log.error(`Restart failed: ${err}`));
    return queue;
}

/** Several events often arrive together (a settings file saved, an interpreter picked): restart once. */
function restartSoon(context: vscode.ExtensionContext, why: string): void {
    if (restartTimer) {
        clearTimeout(restartTimer);
    }
    restartTimer = setTimeout(() => {
        restartTimer = undefined;
        log.info(`Restarting the server: ${why}`);
        void restart(context);
    }, 300);
}

export async function activate(context: vscode.ExtensionContext): Promise<GradguardApi> {
    context.subscriptions.push(outputChannel());
    log.info(`gradguard extension ${context.extension.packageJSON.version} activating`);

    context.subscriptions.push(
        vscode.commands.registerCommand('gradguard.restart', () => restart(context)),
        vscode.commands.registerCommand('gradguard.showLogs', () => outputChannel().show()),
        vscode.workspace.onDidChangeConfiguration((e) => {
            if (affectsRestart(e)) {
                restartSoon(context, `${CONFIG_SECTION} settings changed`);
            }
        }),
        vscode.workspace.onDidGrantWorkspaceTrust(() => restartSoon(context, 'the workspace is now trusted')),
        vscode.workspace.onDidChangeWorkspaceFolders(() => restartSoon(context, 'workspace folders changed')),
        { dispose: () => void stopClient() },
    );
    const onPython = await onDidChangePythonInterpreter(() => {
        if (getSettings(primaryFolder()).interpreter.length === 0) {
            restartSoon(context, 'the Python extension selected another interpreter');
        }
    });
    if (onPython) {
        context.subscriptions.push(onPython);
    }

    void restart(context);

    return {
        ready: () => queue,
        state: () =>
            client?.state === State.Running ? 'running' : client?.state === State.Starting ? 'starting' : 'stopped',
        launch: () =>
            lastLaunch && {
                python: lastLaunch.python,
                source: lastLaunch.source,
                importStrategy: lastLaunch.importStrategy,
                bundle: lastLaunch.bundle?.target,
            },
        lastError: () => lastError,
        restart: () => restart(context),
    };
}

export async function deactivate(): Promise<void> {
    if (restartTimer) {
        clearTimeout(restartTimer);
    }
    await stopClient();
}
