export const EXTENSION_ID = 'gradguard.gradguard';
export const SERVER_ID = 'gradguard';
export const SERVER_NAME = 'gradguard';
export const CONFIG_SECTION = 'gradguard';
/** The oldest Python the server supports (pyproject.toml: requires-python). */
export const MIN_PYTHON: [number, number] = [3, 9];
export const PYTHON_EXTENSION_ID = 'ms-python.python';
/** Folder inside the extension that a platform-specific build fills with the server's packages. */
export const BUNDLED_LIBS = ['bundled', 'libs'];
export const PYPI_NAME = 'gradguard';
