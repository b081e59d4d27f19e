import { execFile } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import {
    LanguageClient,
    LanguageClientOptions,
    RevealOutputChannelOn,
    ServerOptions,
} from 'vscode-languageclient/node';
import { Bundle, bundleSupports, readBundle, versionRange } from './bundle';
import { BUNDLE_TARGETS, CONFIG_SECTION, MIN_PYTHON, SERVER_ID, SERVER_NAME } from './constants';
import { log, outputChannel } from './log';
import { interpreterFromPythonExtension, pythonExtension } from './python';
import { Settings, folderFor, getSettings, primaryFolder, serverSettings } from './settings';

export type InterpreterSource = 'setting' | 'python-extension' | 'path-fallback';

export interface Launch {
    /** Interpreter command: the executable, then any extra arguments from `gradguard.interpreter`. */
    python: string[];
    source: InterpreterSource;
    /** What is used: "useBundled" only when the setting asks for it and this package carries a bundle. */
    importStrategy: Settings['importStrategy'];
    bundle: Bundle | undefined;
    /** Whether this package carries a bundle at all (the universal package does not). */
    bundleAvailable: boolean;
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

export async function resolveLaunch(context: vscode.ExtensionContext, settings: Settings): Promise<Launch> {
    const folder = primaryFolder();
    const { python, source } = await resolveInterpreter(settings, folder);
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUTF8: '1', PYTHONUNBUFFERED: '1' };
    const available = readBundle(context);
    let bundle: Bundle | undefined;
    if (settings.importStrategy === 'useBundled') {
        if (available) {
            bundle = available;
            // first on the path: the bundle's packages win over whatever the environment has installed
            env.PYTHONPATH = [available.libs, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
        } else {
            log.info(
                'This is the universal package of the extension: it carries no server, so gradguard runs from the ' +
                    'selected Python environment.',
            );
        }
    }
    return {
        python,
        source,
        importStrategy: bundle ? 'useBundled' : 'fromEnvironment',
        bundle,
        bundleAvailable: available !== undefined,
        env,
        cwd: folder?.uri.fsPath,
    };
}

export interface Probe {
    ok: boolean;
    /** Python version, e.g. [3, 11, 7], when the interpreter ran at all. */
    pythonVersion?: number[];
    implementation?: string;
    freeThreaded?: boolean;
    /** sys.platform and platform.machine(), e.g. "linux x86_64". */
    platform?: string;
    gradguardVersion?: string;
    gradguardFile?: string;
    error?: string;
}

// Imports what the server needs, native parts included (libcst.native is the compiled parser), so that a missing
// or foreign wheel is found here and explained rather than as a crash of the server. It runs in the workspace
// folder, which `-c` puts first on sys.path: dropped first, so that a workspace `json.py` is not what it imports
// (the server does the same, launch.py).
const PROBE = [
    'import sys',
    'if sys.path and sys.path[0] == "": del sys.path[0]',
    'import json, platform, sysconfig',
    'out = {"python": list(sys.version_info[:3]), "impl": sys.implementation.name,',
    '       "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),',
    '       "platform": "%s %s" % (sys.platform, platform.machine())}',
    'try:',
    '    import gradguard',
    '    out["version"] = getattr(gradguard, "__version__", "?")',
    '    out["file"] = getattr(gradguard, "__file__", "?")',
    '    import libcst.native, pygls.server, lsprotocol.types, jedi',
    'except Exception as exc:',
    '    out["error"] = "%s: %s" % (type(exc).__name__, exc)',
    'print(json.dumps(out))',
].join('\n');

/** Runs the interpreter once: does it start, is it new enough, can it import gradguard and what it needs? */
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
                    implementation: out.impl,
                    freeThreaded: out.free_threaded,
                    platform: out.platform,
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

/** Whether the probe says the server can start with this launch. */
export function canStart(launch: Launch, result: Probe): boolean {
    if (!result.ok) {
        return false;
    }
    return launch.bundle ? bundleSupports(launch.bundle, describePython(result)) : !pythonTooOld(result.pythonVersion);
}

function describePython(result: Probe): { implementation?: string; version?: number[]; freeThreaded?: boolean } {
    return { implementation: result.implementation, version: result.pythonVersion, freeThreaded: result.freeThreaded };
}

const SELECT_ANOTHER = 'Select another interpreter in the Python extension, or set gradguard.interpreter.';
function fromSource(py: string): string {
    return `install gradguard into that environment from a checkout of its source (\`${py} -m pip install /path/to/gradguard\`)`;
}

/** What went wrong and what to do, in one message; `useBundled` when switching to the bundle would fix it. */
export function probeFailure(launch: Launch, result: Probe): { message: string; offerBundle: boolean } {
    const py = launch.python.join(' ');
    const v = result.pythonVersion;
    if (v === undefined) {
        return { message: `gradguard could not run the Python interpreter \`${py}\`: ${result.error ?? 'unknown error'}`, offerBundle: false };
    }
    const what = `${result.implementation === 'cpython' || !result.implementation ? 'Python' : result.implementation} ` +
        `${v.join('.')}${result.freeThreaded ? ' (free-threaded)' : ''}${result.platform ? ` on ${result.platform}` : ''}`;
    const bundle = launch.bundle;
    if (bundle) {
        const range = versionRange(bundle.pythonVersions);
        if (!bundleSupports(bundle, describePython(result))) {
            return {
                message:
                    `The gradguard server bundled in this extension (${bundle.target}) runs on CPython ${range} ` +
                    `(not free-threaded), but \`${py}\` is ${what}. Select a CPython ${range} interpreter in the ` +
                    `Python extension, or set gradguard.interpreter to one.`,
                offerBundle: false,
            };
        }
        return {
            message:
                `The gradguard server bundled in this extension (built for ${bundle.target}, CPython ${range}) does not ` +
                `load on \`${py}\` (${what}): ${result.error}. If this machine is not ${bundle.target}, install the ` +
                `extension package for its platform (${BUNDLE_TARGETS.join(', ')}); on Linux the bundle needs ` +
                `glibc 2.28 or newer. Or set gradguard.importStrategy to "fromEnvironment" and ${fromSource(py)}.`,
            offerBundle: false,
        };
    }
    if (pythonTooOld(v)) {
        return {
            message: `gradguard needs Python ${MIN_PYTHON.join('.')} or newer, but \`${py}\` is ${what}. ${SELECT_ANOTHER}`,
            offerBundle: false,
        };
    }
    const fix = launch.bundleAvailable
        ? `Set gradguard.importStrategy to "useBundled" to run the server this extension carries, or ${fromSource(py)}.`
        : `This is the universal package of the extension, which carries no server: install the package for your ` +
          `platform (${BUNDLE_TARGETS.join(', ')}), which does, or ${fromSource(py)}.`;
    return {
        message: `gradguard cannot start from the selected Python environment (\`${py}\`, ${what}): ${result.error}. ${fix}`,
        offerBundle: launch.bundleAvailable,
    };
}

/**
 * Tells the user, in a notification and the output channel, why the server cannot start and what to do.
 * Returns the message at once; the notification's buttons are handled in the background, so a restart never
 * waits for the user to dismiss it.
 */
export function reportProbeFailure(launch: Launch, result: Probe): string {
    const { message, offerBundle } = probeFailure(launch, result);
    log.error(message);
    const useBundled = 'Use Bundled Server';
    const actions = offerBundle ? [useBundled, 'Show Logs'] : ['Show Logs'];
    void vscode.window.showErrorMessage(message, ...actions).then(async (choice) => {
        if (choice === useBundled) {
            await vscode.workspace
                .getConfiguration(CONFIG_SECTION)
                .update('importStrategy', 'useBundled', vscode.ConfigurationTarget.Global);
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
