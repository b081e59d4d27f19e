// Entry point of the extension-host suite, the @vscode/test-electron contract: `run()` resolves when every test
// passed. In CI it runs inside code-server's real extension host (tests/e2e/run-exthost-tests.js).
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
    const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 90000, reporter: 'spec' });
    mocha.addFile(path.join(__dirname, 'gradguard.test.js'));
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
