import { chmodSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runKra, scratchFolder } from '../../../test/support/cli.js';

const { root: scratch, write: workspace } = scratchFolder('kra-cli-');

function kra(args: string[], cwd = REPO) {
    return runKra(args, { cwd });
}

describe('kra --version and --help', () => {
    it('prints the package version and exits 0', async () => {
        const result = await kra(['--version']);
        expect(result.code).toBe(0);
        expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    });

    it('lists the commands in --help', async () => {
        const result = await kra(['--help']);
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('check');
        expect(result.stdout).toContain('rules');
    });
});

describe('kra check', () => {
    it('exits 0 on the shipped examples', async () => {
        for (const example of ['examples/hello', 'examples/contact-centre']) {
            const result = await kra(['check', example]);
            expect(result.stderr).toBe('');
            expect(result.stdout).toContain('No problems');
            expect(result.code, result.stdout).toBe(0);
        }
    });

    it('exits 1 on a syntax error and names file, line and column, with the rule and a code frame', async () => {
        const dir = workspace('syntax', { 'broken.kra': 'metric calls "Calls" {\n  unit count\n  additive oops\n}\n' });
        const result = await kra(['check', dir], scratch);
        expect(result.code).toBe(1);
        expect(result.stdout).toContain('syntax/broken.kra:3:12');
        expect(result.stdout).toContain('error');
        expect(result.stdout).toContain('syntax/unexpected-token');
        expect(result.stdout).toMatch(/> 3 \|\s+additive oops/);
        expect(result.stdout).not.toMatch(/\n\s+at /); // no stack trace
    });

    it('exits 1 on an unresolved name and suggests the closest one', async () => {
        const dir = workspace('unresolved', { 'a.kra': 'metric calls { unit count }\nkpi k "K" {\n  formula cals\n  unit count\n}\n' });
        const result = await kra(['check', path.join(dir, 'a.kra')], scratch);
        expect(result.code).toBe(1);
        expect(result.stdout).toContain("unknown metric or KPI 'cals'");
        expect(result.stdout).toContain("Did you mean 'calls'?");
        expect(result.stdout).toContain('structure/unresolved-reference');
    });

    it('checks a single file within its workspace, so imports of siblings resolve', async () => {
        const dir = workspace('single', {
            'metrics.kra': 'metric calls { unit count }\n',
            'kpis.kra': 'import "./metrics.kra"\nkpi volume "Volume" {\n  formula calls\n  unit count\n}\n'
        });
        const result = await kra(['check', path.join(dir, 'kpis.kra')], scratch);
        expect(result.stdout).not.toContain('structure/unresolved-reference');
        expect(result.stdout).toMatch(/\(0 errors|No problems/);
        expect(result.stdout).toContain('in 1 file');
        expect(result.code).toBe(0);
    });

    it('exits 2 on a missing path, naming it', async () => {
        const result = await kra(['check', 'does/not/exist.kra']);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('does/not/exist.kra: no such file or folder');
    });

    it('exits 2 on a file that is not .kra', async () => {
        const dir = workspace('notkra', { 'notes.txt': 'hello' });
        const result = await kra(['check', path.join(dir, 'notes.txt')]);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('is not a .kra file');
    });

    it.runIf(process.getuid?.() !== 0)('exits 2 on an unreadable file', async () => {
        const dir = workspace('unreadable', { 'secret.kra': 'metric m' });
        chmodSync(path.join(dir, 'secret.kra'), 0);
        const result = await kra(['check', path.join(dir, 'secret.kra')]);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('permission denied');
    });

    it('exits 2 on a usage error: no path, unknown option, unknown command', async () => {
        for (const args of [['check'], ['check', '--bogus', 'x'], ['chek', 'x']]) {
            const result = await kra(args);
            expect(result.code, args.join(' ')).toBe(2);
            expect(result.stderr).toContain("Run 'kra --help' for usage.");
        }
    });
});

describe('kra rules', () => {
    it('lists every rule id with severity and summary', async () => {
        const result = await kra(['rules']);
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/structure\/duplicate-id\s+error\s+Two declarations/);
        expect(result.stdout).toContain('syntax/unexpected-token');
    });
});
