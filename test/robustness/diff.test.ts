/**
 * `kra diff` reads git revisions into memory (packages/cli/src/commands/diff.ts) instead of
 * through the disk loader; the files it reads must come out as the disk loader reads them
 * (docs/security.md): without a byte order mark, and of a huge file only enough for the lexer
 * to refuse it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOURCE_LIMITS } from '../../packages/language/src/index.js';
import { revisionFiles } from '../../packages/cli/src/commands/diff.js';
import { expectCleanExit, runKra, scratchFolder, TEST_TIMEOUT } from '../support/cli.js';

const scratch = scratchFolder('kra-diff-');

/** git without the caller's settings (a test run inside a git hook sets GIT_DIR). */
function git(args: string[], cwd: string): string {
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
    for (const key of Object.keys(env)) {
        if (key.startsWith('GIT_') && !key.startsWith('GIT_CONFIG')) {
            delete env[key];
        }
    }
    const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args],
        { cwd, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) {
        throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
    }
    return result.stdout;
}

/** A git repository holding `files` in one commit; returns its folder and the commit. */
function repository(name: string, files: Record<string, string | Buffer>): { dir: string; commit: string } {
    const dir = scratch.write(name, files);
    git(['init', '-q'], dir);
    git(['add', '.'], dir);
    git(['commit', '-q', '-m', 'files'], dir);
    return { dir, commit: git(['rev-parse', 'HEAD'], dir).trim() };
}

const METRIC = 'metric calls "Calls" { unit count }\nkpi handled "Handled" { formula calls target at least 10 }\n';

describe('kra diff reads revisions as the disk loader reads files', () => {
    it('drops a byte order mark', async () => {
        const { dir, commit } = repository('bom', { 'a.kra': `\uFEFF${METRIC}`, 'b.kra': METRIC });
        const files = await revisionFiles({ kind: 'revision', label: 'HEAD', revision: 'HEAD', commit, root: dir, toplevel: dir, relative: '' });
        expect(files.get('a.kra')).toBe(METRIC);
        expect(files.get('b.kra')).toBe(METRIC);

        // The working tree without the mark is the same workspace: no changes, no warnings.
        writeFileSync(path.join(dir, 'a.kra'), METRIC);
        const run = await runKra(['diff', 'HEAD', '--path', dir, '--format', 'json', '--exit-code']);
        expectCleanExit(run, 0);
        expect(JSON.parse(run.stdout)).toMatchObject({ summary: { total: 0 }, warnings: [] });
    }, TEST_TIMEOUT);

    it('reads only the start of a file far over the size limit, which is then reported, not loaded', async () => {
        const huge = `${METRIC}// ${'x'.repeat(3 * SOURCE_LIMITS.maxLength + 1000)}\n`;
        const { dir, commit } = repository('huge', { 'a.kra': METRIC, 'huge.kra': huge });
        const files = await revisionFiles({ kind: 'revision', label: 'HEAD', revision: 'HEAD', commit, root: dir, toplevel: dir, relative: '' });
        expect(files.get('a.kra')).toBe(METRIC);
        const read = files.get('huge.kra')!;
        expect(read.length).toBeLessThanOrEqual(3 * SOURCE_LIMITS.maxLength + 3);
        expect(read.length).toBeGreaterThan(SOURCE_LIMITS.maxLength);
        expect(huge.startsWith(read)).toBe(true);

        const run = await runKra(['diff', 'HEAD', '--path', dir, '--format', 'json']);
        expectCleanExit(run, 0);
        const result = JSON.parse(run.stdout) as { warnings: Array<{ side: string; file: string }> };
        expect(result.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ side: 'base', file: 'huge.kra' })]));
    }, TEST_TIMEOUT);
});
