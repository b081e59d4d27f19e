// The part of ms-python.python's API (@vscode/python-extension) that gradguard uses: the active environment,
// resolving it to an executable, and the change event. `pythonStub.selectInterpreter(path)` plays the user picking
// another interpreter. The first one is $GRADGUARD_STUB_PYTHON (else python3).
const vscode = require('vscode');

exports.activate = function activate(context) {
  let active = process.env.GRADGUARD_STUB_PYTHON || 'python3';
  const changed = new vscode.EventEmitter();
  const never = new vscode.EventEmitter();
  context.subscriptions.push(changed, never, vscode.commands.registerCommand('pythonStub.selectInterpreter', (path, resource) => {
    active = path;
    changed.fire({ id: path, path, resource });
  }));
  const resolve = async (env) => {
    const path = typeof env === 'string' ? env : env.path;
    return {
      id: path, path,
      executable: { uri: vscode.Uri.file(path), bitness: '64-bit', sysPrefix: '' },
      environment: undefined,
      version: { major: 3, minor: 11, micro: 0, release: { level: 'final', serial: 0 }, sysVersion: '' },
      tools: [],
    };
  };
  return {
    ready: Promise.resolve(),
    environments: {
      getActiveEnvironmentPath: () => ({ id: active, path: active }),
      resolveEnvironment: resolve,
      onDidChangeActiveEnvironmentPath: changed.event,
      known: [],
      onDidChangeEnvironments: never.event,
      refreshEnvironments: async () => undefined,
      updateActiveEnvironmentPath: async (env) => {
        active = typeof env === 'string' ? env : env.path;
        changed.fire({ id: active, path: active });
      },
      getEnvironmentVariables: () => ({}),
      onDidEnvironmentVariablesChange: never.event,
    },
  };
};
exports.deactivate = () => undefined;
