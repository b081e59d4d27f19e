// Entry of the suite that runs with the ms-python.python API (tests/e2e/python-extension-stub) loaded too.
import { runFiles } from './runner';

export function run(): Promise<void> {
    return runFiles('pythonExtension.test.js');
}
