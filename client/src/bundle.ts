import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { BUNDLED_LIBS, BUNDLE_MANIFEST } from './constants';

/** The server bundled in a platform package (tools/package_vsix.py), or nothing in the universal package. */
export interface Bundle {
    libs: string;
    /** The `vsce --target` it was built for, e.g. "linux-x64". */
    target: string;
    /** The CPython versions it has native wheels for, e.g. ["3.10", ..., "3.14"]. */
    pythonVersions: string[];
}

export function readBundle(context: vscode.ExtensionContext): Bundle | undefined {
    const libs = context.asAbsolutePath(path.join(...BUNDLED_LIBS));
    if (!fs.existsSync(path.join(libs, 'gradguard'))) {
        return undefined;
    }
    try {
        const manifest = JSON.parse(fs.readFileSync(path.join(libs, BUNDLE_MANIFEST), 'utf8'));
        return { libs, target: String(manifest.target), pythonVersions: (manifest.python_versions ?? []).map(String) };
    } catch {
        return { libs, target: 'unknown', pythonVersions: [] };
    }
}

/** "3.10-3.14" for a contiguous list, else "3.10, 3.12". */
export function versionRange(versions: string[]): string {
    if (versions.length === 0) {
        return 'no Python version';
    }
    const minors = versions.map((v) => Number(v.split('.')[1]));
    const contiguous = minors.every((m, i) => i === 0 || m === minors[i - 1] + 1);
    return contiguous && versions.length > 1 ? `${versions[0]}-${versions[versions.length - 1]}` : versions.join(', ');
}

/** Can this interpreter (as the probe saw it) load the bundle's native wheels? */
export function bundleSupports(
    bundle: Bundle,
    python: { implementation?: string; version?: number[]; freeThreaded?: boolean },
): boolean {
    const version = python.version;
    if (!version || python.freeThreaded || (python.implementation !== undefined && python.implementation !== 'cpython')) {
        return false;
    }
    return bundle.pythonVersions.length === 0 || bundle.pythonVersions.includes(`${version[0]}.${version[1]}`);
}
