/**
 * Runs the bundled `kra` command (out/cli.cjs) in a child process with the Node that runs the
 * extension (VS Code's own: `process.execPath` with ELECTRON_RUN_AS_NODE). No `vscode` import,
 * so that it can be tested without VS Code.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface CliResult {
    /** The exit code; null when the process was killed or could not start. */
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
    /** The command line, for the output channel. */
    readonly commandLine: string;
}

export interface RunOptions {
    readonly cwd: string;
    /** The Node to run it with; by default the current process's executable. */
    readonly execPath?: string;
    readonly onStdout?: (text: string) => void;
    readonly onStderr?: (text: string) => void;
    /** Kills the process after this many milliseconds (default: 5 minutes). */
    readonly timeoutMs?: number;
}

export function runCli(cliPath: string, args: readonly string[], options: RunOptions): Promise<CliResult> {
    const commandLine = ['kra', ...args].map(quote).join(' ');
    return new Promise(resolve => {
        let stdout = '';
        let stderr = '';
        const child = spawn(options.execPath ?? process.execPath, [cliPath, ...args], {
            cwd: options.cwd,
            env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
            stdio: ['ignore', 'pipe', 'pipe'],
            windowsHide: true,
            timeout: options.timeoutMs ?? 5 * 60_000
        });
        child.stdout.setEncoding('utf8').on('data', (text: string) => {
            stdout += text;
            options.onStdout?.(text);
        });
        child.stderr.setEncoding('utf8').on('data', (text: string) => {
            stderr += text;
            options.onStderr?.(text);
        });
        child.on('error', error => {
            stderr += `Could not run kra: ${error.message}\n`;
            options.onStderr?.(`Could not run kra: ${error.message}\n`);
        });
        child.on('close', code => resolve({ code, stdout, stderr, commandLine }));
    });
}

/** A setting's path: absolute as is, otherwise relative to the workspace folder; '' → undefined. */
export function resolveSettingPath(value: string | undefined, folder: string): string | undefined {
    const trimmed = value?.trim();
    if (!trimmed) {
        return undefined;
    }
    const home = process.env.HOME ?? process.env.USERPROFILE;
    const expanded = home && (trimmed === '~' || trimmed.startsWith('~/')) ? path.join(home, trimmed.slice(1)) : trimmed;
    return path.resolve(folder, expanded);
}

function quote(arg: string): string {
    return /^[\w./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
