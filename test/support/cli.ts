/**
 * Running the built `kra` command in tests as a user would: with plain output, from the
 * repository or a scratch folder (./scratch.ts). The CLI's tests (packages/cli/test), the
 * hostile-input tests (test/robustness) and the fuzzers (test/fuzz) all run it through `runKra`.
 *
 * Most commands run in a long-lived runner process per test worker (./kra-runner.mjs), which
 * loads the built CLI once: starting Node and loading the language core for each of several
 * hundred commands was most of the test run's time (docs/performance.md). The runner calls the
 * same `main` as the `kra` launcher, in the command's working folder and environment, and
 * returns what it printed and its exit code. A command runs in a process of its own, through the
 * launcher, when it needs one: when it is given standard input, Node options, or a `-` argument
 * (standard input), when the test asks for it (`process: true`), and for every command when the
 * environment sets KRA_TEST_PROCESS=1.
 *
 * Every run has a generous time limit: a test fails if the command hangs, never because it is
 * slow (docs/security.md). A runner that runs out of time is killed, like a process would be, and
 * the next command starts a new one.
 */
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import type { Socket } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export { scratchFolder, type ScratchFolder } from './scratch.js';

/** The root of the repository, where commands run unless told otherwise. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The `kra` launcher (packages/cli/bin/kra.js), which runs the bundle or the compiled modules. */
export const BIN = path.join(REPO, 'packages/cli/bin/kra.js');

/** A generous limit for one command: enough on a busy CI machine, short of a hang. */
export const COMMAND_TIMEOUT = 60_000;
/** A test's limit: a command or two, plus writing the input. */
export const TEST_TIMEOUT = 120_000;

export interface KraRun {
    readonly code: number | null;
    /** The signal that ended the command: SIGTERM when it ran out of time. */
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
}

export interface KraRunOptions {
    /** The working folder; the repository's root by default. */
    readonly cwd?: string;
    /** Variables over the environment; one given as '' is removed from it. */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** Standard input; nothing by default. */
    readonly input?: string;
    /** Node's own options (V8 flags), before the launcher. */
    readonly nodeOptions?: readonly string[];
    /** The time limit in ms; COMMAND_TIMEOUT by default. */
    readonly timeout?: number;
    /** Run the launcher in a process of its own, as a user's shell would (see above). */
    readonly process?: boolean;
}

/**
 * Runs the built `kra` with `args`, with colour off (NO_COLOR, no FORCE_COLOR) unless `env` says
 * otherwise, and without the caller's git settings (GIT_* variables: a test run inside a git hook
 * sets GIT_DIR) unless `env` gives them.
 */
export async function runKra(args: readonly string[], options: KraRunOptions = {}): Promise<KraRun> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.keys(env)) {
        if (name.startsWith('GIT_')) {
            delete env[name];
        }
    }
    Object.assign(env, { FORCE_COLOR: '', NO_COLOR: '1' }, options.env);
    for (const [name, value] of Object.entries(env)) {
        if (value === '' || value === undefined) {
            delete env[name];
        }
    }
    const cwd = options.cwd ?? REPO;
    const timeout = options.timeout ?? COMMAND_TIMEOUT;
    const ownProcess = options.process || options.input !== undefined || options.nodeOptions !== undefined || args.includes('-') || process.env.KRA_TEST_PROCESS === '1';
    return ownProcess ? runInProcess(args, options, env, cwd, timeout) : runner().run(args, env, cwd, timeout);
}

/** The launcher in a process of its own. */
function runInProcess(args: readonly string[], options: KraRunOptions, env: NodeJS.ProcessEnv, cwd: string, timeout: number): Promise<KraRun> {
    return new Promise(resolve => {
        const child = spawn(process.execPath, [...(options.nodeOptions ?? []), BIN, ...args], { cwd, env, stdio: 'pipe' });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        // A command that stops reading its input early closes the pipe: not the test's error.
        child.stdin.on('error', () => undefined);
        child.stdin.end(options.input ?? '');
        const timer = setTimeout(() => child.kill('SIGTERM'), timeout);
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
        });
    });
}

interface Reply {
    readonly id: number;
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * One runner process (./kra-runner.mjs) and the commands sent to it, answered in order. It is
 * shared by the test files of a vitest worker, and does not keep the worker alive.
 */
class Runner {
    private readonly child: ChildProcess;
    private readonly ready: Promise<void>;
    private readonly pending = new Map<number, { resolve: (run: KraRun) => void; timer: NodeJS.Timeout }>();
    private nextId = 0;
    private exited = false;

    constructor() {
        this.child = fork(RUNNER, [], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
        let startError = '';
        this.child.stderr?.on('data', (chunk: Buffer) => { startError = (startError + chunk.toString('utf8')).slice(-4000); });
        this.ready = new Promise(resolve => {
            this.child.once('message', () => resolve());
            this.child.once('exit', () => resolve());
        });
        this.child.on('message', (message: Reply | { ready: true }) => {
            if ('id' in message) {
                const waiting = this.pending.get(message.id);
                this.pending.delete(message.id);
                if (waiting) {
                    clearTimeout(waiting.timer);
                    waiting.resolve({ code: message.code, signal: null, stdout: message.stdout, stderr: message.stderr });
                }
            }
        });
        this.child.on('exit', (code, signal) => {
            this.exited = true;
            if (shared[SHARED] === this) {
                delete shared[SHARED];
            }
            // A command that exits the process itself (or a runner that failed to start) ends
            // the commands that were waiting as a process's end would.
            for (const [id, waiting] of this.pending) {
                this.pending.delete(id);
                clearTimeout(waiting.timer);
                waiting.resolve({ code, signal, stdout: '', stderr: `the kra runner exited (${signal ?? code})\n${startError}` });
            }
        });
        this.child.unref();
        (this.child.stderr as Socket | null)?.unref();
        this.child.channel?.unref();
    }

    async run(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, timeout: number): Promise<KraRun> {
        await this.ready;
        if (this.exited) {
            return runner().run(args, env, cwd, timeout);
        }
        const id = this.nextId++;
        this.child.channel?.ref();
        try {
            return await new Promise<KraRun>(resolve => {
                // Out of time: the runner is killed, as a process would be, with the signal of a
                // timed-out process; the next command gets a new runner.
                const timer = setTimeout(() => {
                    this.pending.delete(id);
                    if (shared[SHARED] === this) {
                        delete shared[SHARED];
                    }
                    this.child.kill('SIGKILL');
                    resolve({ code: null, signal: 'SIGTERM', stdout: '', stderr: '' });
                }, timeout);
                this.pending.set(id, { resolve, timer });
                this.child.send({ id, args: [...args], cwd, env });
            });
        } finally {
            if (this.pending.size === 0) {
                this.child.channel?.unref();
            }
        }
    }
}

const RUNNER = fileURLToPath(new URL('./kra-runner.mjs', import.meta.url));

/** The worker's runner, kept on `globalThis` so that the test files of a worker share it. */
const SHARED = Symbol.for('kra-lang.test-runner');
const shared = globalThis as { [SHARED]?: Runner };

function runner(): Runner {
    shared[SHARED] ??= new Runner();
    return shared[SHARED];
}

/** The command finished by itself with the given exit code, and printed no stack trace and no internal error. */
export function expectCleanExit(run: KraRun, code: number): void {
    const output = `${run.stdout.slice(0, 3000)}\n--- stderr ---\n${run.stderr.slice(0, 3000)}`;
    expect(run.signal, `killed (timeout?)\n${output}`).toBeNull();
    expect(run.stderr + run.stdout, 'a stack trace').not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(run.stderr, 'an internal error').not.toMatch(/internal error|Maximum call stack|heap out of memory|An error occurred/);
    expect(run.code, output).toBe(code);
}

/** Findings of the stylish output: `file:line:col  severity  message  rule`. */
export function findings(stdout: string): Array<{ file: string; line: number; column: number; severity: string; message: string; rule: string }> {
    return [...stdout.matchAll(/^(\S+):(\d+):(\d+) {2}(error|warning|info) {2}(.*) {2}(\S+)$/gm)].map(match => ({
        file: match[1], line: Number(match[2]), column: Number(match[3]), severity: match[4], message: match[5], rule: match[6]
    }));
}

/** The environment without the caller's git settings and with no user or system git configuration, colour off. */
export function cleanEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    for (const key of Object.keys(env)) {
        if (key.startsWith('GIT_')) {
            delete env[key];
        }
    }
    delete env.FORCE_COLOR;
    return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
}

/** git in a scratch repository, with no user or system settings; `date` (ISO 8601) dates a commit. */
export function git(args: readonly string[], cwd: string, date?: string): string {
    const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args],
        { cwd, encoding: 'utf8', env: { ...cleanEnv(), ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) } });
    if (result.status !== 0) {
        throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
    }
    return result.stdout;
}
