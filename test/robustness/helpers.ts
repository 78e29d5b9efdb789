/**
 * Running the real `kra` command on hostile input (docs/security.md). Every run has a generous
 * time limit: a test fails if the command hangs, never because it is slow.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = path.join(REPO, 'packages/cli/bin/kra.js');

/** A generous limit for one command: enough on a busy CI machine, short of a hang. */
export const COMMAND_TIMEOUT = 60_000;
/** A test's limit: a command or two, plus writing the input. */
export const TEST_TIMEOUT = 120_000;

export interface Run {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
}

export function kra(args: readonly string[], options: { cwd?: string; nodeOptions?: readonly string[] } = {}): Run {
    const result = spawnSync(process.execPath, [...(options.nodeOptions ?? []), BIN, ...args], {
        cwd: options.cwd ?? REPO,
        encoding: 'utf8',
        timeout: COMMAND_TIMEOUT,
        maxBuffer: 1024 * 1024 * 1024,
        env: plainEnvironment()
    });
    return { code: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** The environment without colour settings, then NO_COLOR: plain output to compare. */
function plainEnvironment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    return env;
}

/** The command finished by itself with the given exit code, and printed no stack trace and no internal error. */
export function expectCleanExit(run: Run, code: number): void {
    const output = `${run.stdout.slice(0, 3000)}\n--- stderr ---\n${run.stderr.slice(0, 3000)}`;
    expect(run.signal, `killed (timeout?)\n${output}`).toBeNull();
    expect(run.stderr + run.stdout, 'a stack trace').not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(run.stderr, 'an internal error').not.toMatch(/internal error|Maximum call stack|heap out of memory|An error occurred/);
    expect(run.code, output).toBe(code);
}

/** A scratch folder for one test file, removed afterwards. */
export function scratchFolder(name: string): { root: string; workspace(name: string, files: Record<string, string | Buffer>): string } {
    const root = mkdtempSync(path.join(tmpdir(), `kra-${name}-`));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    return {
        root,
        workspace(folder, files) {
            const dir = path.join(root, folder);
            mkdirSync(dir, { recursive: true });
            for (const [file, content] of Object.entries(files)) {
                mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
                writeFileSync(path.join(dir, file), content);
            }
            return dir;
        }
    };
}

/** Findings of the stylish output: `file:line:col  severity  message  rule`. */
export function findings(stdout: string): Array<{ file: string; line: number; column: number; severity: string; message: string; rule: string }> {
    return [...stdout.matchAll(/^(\S+):(\d+):(\d+) {2}(error|warning|info) {2}(.*) {2}(\S+)$/gm)].map(match => ({
        file: match[1], line: Number(match[2]), column: Number(match[3]), severity: match[4], message: match[5], rule: match[6]
    }));
}
