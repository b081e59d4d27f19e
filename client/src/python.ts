import * as vscode from 'vscode';
import { PythonExtension } from '@vscode/python-extension';
import { PYTHON_EXTENSION_ID } from './constants';
import { log } from './log';

/**
 * The interpreter selected in the Python extension (ms-python.python), the way vscode-flake8 and vscode-pylint
 * find it. code-server and other VS Code builds without the Microsoft marketplace may not have that extension:
 * then `available` is false and the caller falls back to python3 on PATH.
 */
let api: PythonExtension | undefined;
let tried = false;

export async function pythonExtension(): Promise<PythonExtension | undefined> {
    if (tried) {
        return api;
    }
    tried = true;
    if (!vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) {
        return undefined;
    }
    try {
        api = await PythonExtension.api();
    } catch (err) {
        log.warn(`The Python extension is installed but its API is not available: ${err}`);
        api = undefined;
    }
    return api;
}

/** Calls `onChange` whenever the user selects another interpreter in the Python extension. */
export async function onDidChangePythonInterpreter(
    onChange: () => void,
): Promise<vscode.Disposable | undefined> {
    const ext = await pythonExtension();
    return ext?.environments.onDidChangeActiveEnvironmentPath(() => onChange());
}

/** The interpreter command (executable, then any arguments) for `resource`, or undefined. */
export async function interpreterFromPythonExtension(resource?: vscode.Uri): Promise<string[] | undefined> {
    const ext = await pythonExtension();
    if (!ext) {
        return undefined;
    }
    const envPath = ext.environments.getActiveEnvironmentPath(resource);
    const env = await ext.environments.resolveEnvironment(envPath);
    const exe = env?.executable.uri?.fsPath;
    if (!exe) {
        log.warn(`The Python extension's selected environment (${envPath.path}) has no Python executable.`);
        return undefined;
    }
    const v = env?.version;
    if (v && v.major !== undefined && v.minor !== undefined) {
        log.info(`Python extension selected ${exe} (Python ${v.major}.${v.minor}.${v.micro ?? 0})`);
    }
    return [exe];
}
