// Runs mocha test files inside the extension host: the @vscode/test-electron contract is an entry module whose
// `run()` resolves when every test passed. In CI it runs in code-server (tests/e2e/run-exthost-tests.js).
import * as path from 'path';
import Mocha from 'mocha';

export function runFiles(...files: string[]): Promise<void> {
    const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 90000, reporter: 'spec' });
    for (const file of files) {
        mocha.addFile(path.join(__dirname, file));
    }
    return new Promise((resolve, reject) => {
        mocha.run((failures) => {
            console.log(`exthost suite: ${failures} failed`);
            if (failures) {
                reject(new Error(`${failures} test(s) failed`));
            } else {
                resolve();
            }
        });
    });
}
