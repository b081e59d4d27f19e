import * as os from 'os';
import * as vscode from 'vscode';
import { CONFIG_SECTION } from './constants';

export type ImportStrategy = 'fromEnvironment' | 'useBundled';

/** What the server is told (initializationOptions.settings and workspace/configuration "gradguard"). */
export interface ServerSettings {
    enable: boolean;
    select: string[];
    ignore: string[];
    severity: Record<string, string>;
    exclude: string[];
    lintOnChange: boolean;
    strict: boolean;
    followImports: boolean;
    /** The server mirrors the client's trace level in what it logs (gradguard.trace.server). */
    trace: string;
}

/** What only the client uses, to decide how to start the server. */
export interface LaunchSettings {
    interpreter: string[];
    importStrategy: ImportStrategy;
}

export type Settings = ServerSettings & LaunchSettings;

/** Settings a malicious workspace could use to run a program of its choosing. */
export const RESTRICTED = ['interpreter', 'importStrategy'] as const;

/** Every change of one of these restarts the server (trace.server is applied by the client library itself). */
export const RESTART_ON = ['enable', 'select', 'ignore', 'severity', 'exclude', 'lintOnChange', 'interpreter', 'importStrategy'];

function expand(value: string, folder: vscode.WorkspaceFolder | undefined): string {
    let out = value;
    if (folder) {
        out = out.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath);
    }
    out = out.replace(/\$\{userHome\}/g, os.homedir());
    if (out === '~' || out.startsWith('~/')) {
        out = os.homedir() + out.slice(1);
    }
    return out.replace(/\$\{env:([^}]+)\}/g, (_m, name: string) => process.env[name] ?? '');
}

/**
 * A restricted setting: in an untrusted workspace only the user's own (global) value counts, never the
 * workspace's or the folder's, so opening a folder cannot make us execute an interpreter it ships.
 */
function restricted<T>(config: vscode.WorkspaceConfiguration, key: string, fallback: T): T {
    if (vscode.workspace.isTrusted) {
        return config.get<T>(key, fallback);
    }
    const inspected = config.inspect<T>(key);
    return (inspected?.globalValue ?? inspected?.defaultValue ?? fallback) as T;
}

export function getSettings(folder?: vscode.WorkspaceFolder): Settings {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION, folder?.uri);
    const interpreter = restricted<string[] | string>(config, 'interpreter', []);
    const list = (Array.isArray(interpreter) ? interpreter : interpreter ? [interpreter] : [])
        .filter((s) => typeof s === 'string' && s.trim() !== '')
        .map((s) => expand(s, folder));
    const strategy = restricted<string>(config, 'importStrategy', 'useBundled');
    return {
        enable: config.get<boolean>('enable', true),
        select: config.get<string[]>('select', []),
        ignore: config.get<string[]>('ignore', []),
        severity: config.get<Record<string, string>>('severity', {}),
        exclude: config.get<string[]>('exclude', []),
        lintOnChange: config.get<boolean>('lintOnChange', true),
        strict: config.get<boolean>('strict', false),
        followImports: config.get<boolean>('followImports', true),
        trace: config.get<string>('trace.server', 'off'),
        interpreter: list,
        importStrategy: strategy === 'fromEnvironment' ? 'fromEnvironment' : 'useBundled',
    };
}

/**
 * The flat object the server understands. VS Code's own view of the section would nest `trace` as
 * `{server: "off"}` and carry the client-only launch settings, so the client never sends that as is.
 */
export function serverSettings(s: Settings): ServerSettings {
    return {
        enable: s.enable,
        select: s.select,
        ignore: s.ignore,
        severity: s.severity,
        exclude: s.exclude,
        lintOnChange: s.lintOnChange,
        strict: s.strict,
        followImports: s.followImports,
        trace: s.trace,
    };
}

/** The workspace folder a `workspace/configuration` scopeUri belongs to (documents outside any: the first). */
export function folderFor(scopeUri: string | undefined): vscode.WorkspaceFolder | undefined {
    if (scopeUri) {
        try {
            const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(scopeUri));
            if (folder) {
                return folder;
            }
        } catch {
            // not a URI: fall through
        }
    }
    return primaryFolder();
}

/** The folder whose settings and interpreter the (single) server uses: the first workspace folder, if any. */
export function primaryFolder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
}

export function affectsRestart(e: vscode.ConfigurationChangeEvent): boolean {
    return RESTART_ON.some((key) => e.affectsConfiguration(`${CONFIG_SECTION}.${key}`));
}
