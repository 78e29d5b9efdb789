import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runKra, scratchFolder } from '../../../test/support/cli.js';

const { root: scratch } = scratchFolder('kra-fmt-');

function kra(args: string[], cwd = REPO) {
    return runKra(args, { cwd });
}

const MESSY = 'metric   calls "Calls" { unit count   additive }\n// keep me\nkpi volume "Volume" { formula calls*2 unit count }';
const TIDY = 'metric calls "Calls" {\n  unit count\n  additive\n}\n\n// keep me\nkpi volume "Volume" {\n  formula calls * 2\n  unit count\n}\n';

describe('kra fmt', () => {
    it('--check lists unformatted files, exits 1 and changes nothing', async () => {
        const dir = path.join(scratch, 'check');
        mkdirSync(path.join(dir, 'sub'), { recursive: true });
        writeFileSync(path.join(dir, 'sub/messy.kra'), MESSY);
        writeFileSync(path.join(dir, 'tidy.kra'), TIDY);
        const result = await kra(['fmt', '--check', dir]);
        expect(result.code).toBe(1);
        expect(result.stdout.trim().split('\n').map(line => path.basename(line))).toEqual(['messy.kra']);
        expect(readFileSync(path.join(dir, 'sub/messy.kra'), 'utf8')).toBe(MESSY);
    });

    it('formats in place, keeping comments and the file mode; then --check passes', async () => {
        const dir = path.join(scratch, 'write');
        mkdirSync(dir, { recursive: true });
        const file = path.join(dir, 'messy.kra');
        writeFileSync(file, MESSY);
        chmodSync(file, 0o640);
        expect((await kra(['fmt', dir])).code).toBe(0);
        expect(readFileSync(file, 'utf8')).toBe(TIDY);
        expect(statSync(file).mode & 0o777).toBe(0o640);
        expect(readdirSync(dir)).toEqual(['messy.kra']);
        expect((await kra(['fmt', '--check', dir])).code).toBe(0);
    });

    it('leaves a file with syntax errors untouched and says where the error is', async () => {
        const dir = path.join(scratch, 'broken');
        mkdirSync(dir, { recursive: true });
        const broken = 'metric calls {   unit count\n';
        writeFileSync(path.join(dir, 'broken.kra'), broken);
        const result = await kra(['fmt', dir]);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/broken\.kra:\d+:\d+ {2}syntax error/);
        expect(readFileSync(path.join(dir, 'broken.kra'), 'utf8')).toBe(broken);
    });

    it('exits 2 on a missing path', async () => {
        expect((await kra(['fmt', path.join(scratch, 'nope')])).code).toBe(2);
    });

    it('leaves the shipped examples as they are', async () => {
        expect((await kra(['fmt', '--check', 'examples/hello', 'examples/contact-centre'])).code).toBe(0);
    });
});

describe('kra init', () => {
    it('scaffolds a workspace that checks clean and is formatted', async () => {
        const dir = path.join(scratch, 'init');
        const result = await kra(['init', dir]);
        expect(result.code).toBe(0);
        expect(readdirSync(dir).sort()).toEqual(['kra.config.yaml', 'organisation.kra', 'support.kra']);
        const check = await kra(['check', dir]);
        expect(check.stdout).toContain('No problems');
        expect(check.code).toBe(0);
        expect((await kra(['fmt', '--check', dir])).code).toBe(0);
    });

    it('refuses to overwrite an existing file', async () => {
        const dir = path.join(scratch, 'occupied');
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, 'support.kra'), 'mine');
        const result = await kra(['init', dir]);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('already exist');
        expect(readFileSync(path.join(dir, 'support.kra'), 'utf8')).toBe('mine');
        expect(readdirSync(dir)).toEqual(['support.kra']);
    });
});
