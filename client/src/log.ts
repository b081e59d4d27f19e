import * as vscode from 'vscode';
import { SERVER_NAME } from './constants';

let channel: vscode.LogOutputChannel | undefined;

/** The one "gradguard" output channel: the client's own log lines and the server's stderr/trace share it. */
export function outputChannel(): vscode.LogOutputChannel {
    if (!channel) {
        channel = vscode.window.createOutputChannel(SERVER_NAME, { log: true });
    }
    return channel;
}

export const log = {
    info: (msg: string) => outputChannel().info(msg),
    warn: (msg: string) => outputChannel().warn(msg),
    error: (msg: string) => outputChannel().error(msg),
};
