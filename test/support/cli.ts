/**
 * Running the built `kra` command in tests as a user would: in a process of its own, with plain
 * output, from the repository or a scratch folder (./scratch.ts). The CLI's tests
 * (packages/cli/test), the hostile-input tests (test/robustness) and the fuzzers (test/fuzz)
 * all run it through `runKra`.
 *
 * Every run has a generous time limit: a test fails if the command hangs, never because it is
 * slow (docs/security.md).
 */
import { spawnSync } from 'node:child_process';
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
}

/**
 * Runs the built `kra` with `args`, with colour off (NO_COLOR, no FORCE_COLOR) unless `env` says
 * otherwise, and without the caller's git settings (GIT_* variables: a test run inside a git hook
 * sets GIT_DIR) unless `env` gives them.
 */
export function runKra(args: readonly string[], options: KraRunOptions = {}): KraRun {
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
    const result = spawnSync(process.execPath, [...(options.nodeOptions ?? []), BIN, ...args], {
        cwd: options.cwd ?? REPO,
        encoding: 'utf8',
        timeout: options.timeout ?? COMMAND_TIMEOUT,
        maxBuffer: 1024 * 1024 * 1024,
        env,
        input: options.input ?? ''
    });
    return { code: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
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
