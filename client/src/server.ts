import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
    LanguageClient,
    LanguageClientOptions,
    RevealOutputChannelOn,
    ServerOptions,
} from 'vscode-languageclient/node';
import { BUNDLED_LIBS, MIN_PYTHON, PYPI_NAME, SERVER_ID, SERVER_NAME } from './constants';
import { log, outputChannel } from './log';
import { interpreterFromPythonExtension, pythonExtension } from './python';
import { CONFIG_SECTION } from './constants';
import { Settings, folderFor, getSettings, primaryFolder, serverSettings } from './settings';

export type InterpreterSource = 'setting' | 'python-extension' | 'path-fallback';

export interface Launch {
    /** Interpreter command: the executable, then any extra arguments from `gradguard.interpreter`. */
    python: string[];
    source: InterpreterSource;
    importStrategy: Settings['importStrategy'];
    env: NodeJS.ProcessEnv;
    cwd: string | undefined;
}

/** Which interpreter runs the server: the setting, else the Python extension's choice, else python3 on PATH. */
export async function resolveInterpreter(
    settings: Settings,
    folder = primaryFolder(),
): Promise<{ python: string[]; source: InterpreterSource }> {
    if (settings.interpreter.length > 0) {
        return { python: settings.interpreter, source: 'setting' };
    }
    const fromExt = await interpreterFromPythonExtension(folder?.uri);
    if (fromExt) {
        return { python: fromExt, source: 'python-extension' };
    }
    if (!(await pythonExtension())) {
        log.warn(
            'The Python extension (ms-python.python) is not installed, so gradguard cannot ask it for the ' +
                'selected interpreter; falling back to `python3` on PATH. Set `gradguard.interpreter` to choose one.',
        );
    } else {
        log.warn('The Python extension did not give an interpreter; falling back to `python3` on PATH.');
    }
    return { python: ['python3'], source: 'path-fallback' };
}

export function bundledLibs(context: vscode.ExtensionContext): string {
    return context.asAbsolutePath(path.join(...BUNDLED_LIBS));
}

export async function resolveLaunch(context: vscode.ExtensionContext, settings: Settings): Promise<Launch> {
    const folder = primaryFolder();
    const { python, source } = await resolveInterpreter(settings, folder);
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUTF8: '1', PYTHONUNBUFFERED: '1' };
    let importStrategy = settings.importStrategy;
    if (importStrategy === 'useBundled') {
        const libs = bundledLibs(context);
        if (fs.existsSync(path.join(libs, 'gradguard'))) {
            env.PYTHONPATH = [libs, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
        } else {
            log.warn(
                `gradguard.importStrategy is "useBundled" but this build of the extension bundles no server ` +
                    `(${libs} is missing; only platform-specific builds carry it). Using the selected environment.`,
            );
            importStrategy = 'fromEnvironment';
        }
    }
    return { python, source, importStrategy, env, cwd: folder?.uri.fsPath };
}

export interface Probe {
    ok: boolean;
    /** Python version, e.g. [3, 11, 7], when the interpreter ran at all. */
    pythonVersion?: number[];
    gradguardVersion?: string;
    gradguardFile?: string;
    error?: string;
}

const PROBE = [
    'import json, sys',
    'out = {"python": list(sys.version_info[:3])}',
    'try:',
    '    import gradguard',
    '    out["version"] = getattr(gradguard, "__version__", "?")',
    '    out["file"] = getattr(gradguard, "__file__", "?")',
    'except Exception as exc:',
    '    out["error"] = "%s: %s" % (type(exc).__name__, exc)',
    'print(json.dumps(out))',
].join('\n');

/** Runs the interpreter once: does it start, is it new enough, can it import gradguard? */
export function probe(launch: Launch): Promise<Probe> {
    const [exe, ...extra] = launch.python;
    return new Promise((resolve) => {
        execFile(exe, [...extra, '-c', PROBE], { env: launch.env, cwd: launch.cwd, timeout: 30000 }, (err, stdout, stderr) => {
            if (err && !stdout) {
                resolve({ ok: false, error: `${err.message}${stderr ? `\n${stderr}` : ''}` });
                return;
            }
            try {
                const out = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
                resolve({
                    ok: !out.error,
                    pythonVersion: out.python,
                    gradguardVersion: out.version,
                    gradguardFile: out.file,
                    error: out.error,
                });
            } catch {
                resolve({ ok: false, error: `unexpected output: ${stdout}\n${stderr}` });
            }
        });
    });
}

export function pythonTooOld(v: number[] | undefined): boolean {
    return !!v && (v[0] < MIN_PYTHON[0] || (v[0] === MIN_PYTHON[0] && v[1] < MIN_PYTHON[1]));
}

function quote(arg: string): string {
    return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`;
}

export function pipInstallCommand(python: string[]): string {
    return [...python.map(quote), '-m', 'pip', 'install', PYPI_NAME].join(' ');
}

/**
 * Tells the user, in a notification and the output channel, why the server cannot start and what to do.
 * Returns the message at once; the notification's buttons are handled in the background, so a restart never
 * waits for the user to dismiss it.
 */
export function reportProbeFailure(launch: Launch, result: Probe): string {
    const py = launch.python.join(' ');
    let message: string;
    let command: string | undefined;
    if (result.pythonVersion === undefined) {
        message = `gradguard could not run the Python interpreter \`${py}\`: ${result.error ?? 'unknown error'}`;
    } else if (pythonTooOld(result.pythonVersion)) {
        message =
            `gradguard needs Python ${MIN_PYTHON.join('.')} or newer, but \`${py}\` is Python ` +
            `${result.pythonVersion.join('.')}. Select another interpreter or set gradguard.interpreter.`;
    } else {
        command = pipInstallCommand(launch.python);
        message =
            `gradguard is not installed in the selected Python environment (${py}: ${result.error}). ` +
            `Install it with: ${command}`;
    }
    log.error(message);
    const actions = command ? ['Copy pip command', 'Show Logs'] : ['Show Logs'];
    void vscode.window.showErrorMessage(message, ...actions).then(async (choice) => {
        if (choice === 'Copy pip command' && command) {
            await vscode.env.clipboard.writeText(command);
        } else if (choice === 'Show Logs') {
            outputChannel().show();
        }
    });
    return message;
}

export function createClient(launch: Launch, settings: Settings): LanguageClient {
    const [exe, ...extra] = launch.python;
    // No `transport`: with TransportKind.stdio the client library would append `--stdio` to the arguments.
    const serverOptions: ServerOptions = {
        command: exe,
        args: [...extra, '-m', 'gradguard', 'lsp'],
        options: { cwd: launch.cwd, env: launch.env },
    };
    const clientOptions: LanguageClientOptions = {
        documentSelector: [
            { scheme: 'file', language: 'python' },
            { scheme: 'untitled', language: 'python' },
        ],
        outputChannel: outputChannel(),
        traceOutputChannel: outputChannel(),
        revealOutputChannelOn: RevealOutputChannelOn.Never,
        initializationOptions: { settings: serverSettings(settings) },
        middleware: {
            workspace: {
                // Answer `workspace/configuration` for "gradguard" with the same flat shape as initializationOptions.
                configuration: async (params, token, next) => {
                    const answers = await next(params, token);
                    if (!Array.isArray(answers)) {
                        return answers;
                    }
                    return params.items.map((item, i) =>
                        item.section === CONFIG_SECTION
                            ? serverSettings(getSettings(folderFor(item.scopeUri)))
                            : answers[i],
                    );
                },
            },
        },
    };
    return new LanguageClient(SERVER_ID, SERVER_NAME, serverOptions, clientOptions);
}
