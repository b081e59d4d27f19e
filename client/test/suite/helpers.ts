// Shared by the extension-host suites.
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'gradguard.gradguard';

export interface GradguardApi {
    ready(): Promise<void>;
    state(): 'running' | 'stopped' | 'starting';
    launch(): { python: string[]; source: string; importStrategy: string } | undefined;
    lastError(): string | undefined;
    restart(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 60000): Promise<T> {
    const t0 = Date.now();
    for (;;) {
        const v = await fn();
        if (v) {
            return v;
        }
        if (Date.now() - t0 > ms) {
            throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        }
        await sleep(100);
    }
}

export function codeOf(d: vscode.Diagnostic): string {
    return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

export function describe(ds: readonly vscode.Diagnostic[]): string {
    return JSON.stringify(ds.map((d) => ({ code: codeOf(d), line: d.range.start.line + 1, sev: d.severity, msg: d.message })));
}

export function gg(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
    return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'gradguard' && codeOf(d) === code);
}

/** Diagnostics are re-sent when a document is opened again (the preview editor closes the previous one). */
export function waitForCode(doc: vscode.TextDocument, code: string): Promise<vscode.Diagnostic[]> {
    return waitFor(`${code} in ${doc.uri.path} (have ${describe(vscode.languages.getDiagnostics(doc.uri))})`, () => {
        const ds = gg(doc.uri, code);
        return ds.length ? ds : undefined;
    });
}

/** gradguard's own fixes first; its "Suppress ... with # noqa" quick fix is the last resort. */
export function isSuppression(a: vscode.CodeAction): boolean {
    return /noqa/i.test(a.title);
}

export function fixture(name: string): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace must be open');
    return vscode.Uri.joinPath(folder.uri, name);
}

export async function open(name: string): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument(fixture(name));
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'python');
    return doc;
}

export function lineOf(doc: vscode.TextDocument, text: string): number {
    for (let i = 0; i < doc.lineCount; i++) {
        if (doc.lineAt(i).text.includes(text)) {
            return i;
        }
    }
    throw new Error(`${text} not in ${doc.uri.fsPath}`);
}

export async function applyAction(action: vscode.CodeAction): Promise<void> {
    if (action.edit) {
        assert.ok(await vscode.workspace.applyEdit(action.edit), `applying "${action.title}" failed`);
    }
    if (action.command) {
        await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    }
}

