import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const BIN = fileURLToPath(new URL('../bin/kra.js', import.meta.url));
export const REPO = fileURLToPath(new URL('../../..', import.meta.url));

export interface KraRun {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs the built `kra` in a process of its own, as a user would, with colour off unless `env`
 * says otherwise, and `input` (or nothing) on standard input. A variable given as '' is removed
 * from the environment.
 */
export function runKra(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): KraRun {
    const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '', NO_COLOR: '1', ...options.env };
    for (const [name, value] of Object.entries(env)) {
        if (value === '') {
            delete env[name];
        }
    }
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env, input: options.input ?? '' });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temporary folder for one test file, removed after its tests; `write` fills a subfolder. */
export function scratchFolder(prefix: string): { root: string; write(name: string, files: Record<string, string>): string } {
    const root = mkdtempSync(path.join(tmpdir(), prefix));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    return {
        root,
        write(name, files) {
            const dir = path.join(root, name);
            for (const [file, text] of Object.entries(files)) {
                mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
                writeFileSync(path.join(dir, file), text);
            }
            return dir;
        }
    };
}
