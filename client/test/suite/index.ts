// Entry of the main extension-host suite (no Python extension installed, as in code-server).
import { runFiles } from './runner';

export function run(): Promise<void> {
    return runFiles('gradguard.test.js');
}
