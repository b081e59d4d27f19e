export const EXTENSION_ID = 'gradguard.gradguard';
export const SERVER_ID = 'gradguard';
export const SERVER_NAME = 'gradguard';
export const CONFIG_SECTION = 'gradguard';
/** The oldest Python the server supports (pyproject.toml: requires-python). */
export const MIN_PYTHON: [number, number] = [3, 9];
export const PYTHON_EXTENSION_ID = 'ms-python.python';
/** Folder inside the extension that a platform-specific build fills with the server's packages. */
export const BUNDLED_LIBS = ['bundled', 'libs'];
/** What tools/package_vsix.py writes into BUNDLED_LIBS: the target and the CPython versions it has wheels for. */
export const BUNDLE_MANIFEST = 'gradguard-bundle.json';
/** The targets tools/package_vsix.py builds (`vsce package --target`). */
export const BUNDLE_TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];
