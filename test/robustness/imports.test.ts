/**
 * Imports and links that try to leave the workspace, and loops: the loader reads only .kra files
 * inside the workspace root, never follows a symbolic link, and never hangs.
 */
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCleanExit, findings, REPO, runKra, scratchFolder, TEST_TIMEOUT } from '../support/cli.js';

const scratch = scratchFolder('kra-imports-');

/** A file outside every workspace below, whose content must never be read. */
const SECRET = 'metric secret_marker_7f3a "Secret" { unit count }\n';
const outside = scratch.write('outside', { 'secret.kra': SECRET, 'deeper/secret.kra': SECRET });

const USES_SECRET = 'kpi uses "Uses" {\n  formula secret_marker_7f3a\n  unit count\n}\n';

function expectSecretUnread(stdout: string): void {
    // Had the file been read, its metric would resolve (no unresolved reference) or be reported unused.
    expect(stdout).not.toMatch(/secret_marker_7f3a' is declared/);
    expect(findings(stdout).filter(finding => path.resolve(REPO, finding.file).startsWith(outside))).toEqual([]);
}

describe('imports', () => {
    it('an import cycle is reported, and checking ends', async () => {
        const dir = scratch.write('cycle', {
            'a.kra': 'import "./b.kra"\nmetric a_calls { unit count }\n',
            'b.kra': 'import "./c.kra"\nmetric b_calls { unit count }\n',
            'c.kra': 'import "./a.kra"\nimport "./c.kra"\nmetric c_calls { unit count }\n'
        });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 1);
        // Each cycle once: a → b → c → a (in a.kra), and c.kra importing itself.
        expect(findings(run.stdout).filter(finding => finding.rule === 'structure/import-cycle').map(finding => path.basename(finding.file))).toEqual(['a.kra', 'c.kra']);
    }, TEST_TIMEOUT);

    it.each([
        ['climbs out with ../', (dir: string) => path.relative(dir, path.join(outside, 'secret.kra')).split(path.sep).join('/'), 'structure/import-outside-root'],
        ['names /etc/passwd', () => '../../../../../../../../etc/passwd.kra', 'structure/import-outside-root'],
        ['is absolute', () => path.join(outside, 'secret.kra').split(path.sep).join('/'), 'structure/import-path'],
        ['is a file: URI', () => `file://${path.join(outside, 'secret.kra').split(path.sep).join('/')}`, 'structure/import-path'],
        ['is not a .kra file', () => './notes.txt', 'structure/import-path']
    ])('an import that %s is refused and nothing outside is read', async (_name, target, rule) => {
        const dir = path.join(scratch.root, `escape-${rule.replace(/\W/g, '-')}-${_name.length}`, 'inner');
        mkdirSync(dir, { recursive: true });
        const importPath = (target as (dir: string) => string)(dir);
        writeFileSync(path.join(dir, 'a.kra'), `import "${importPath.startsWith('.') || importPath.startsWith('/') || importPath.includes(':') ? importPath : `./${importPath}`}"\n${USES_SECRET}`);
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 1);
        const rules = findings(run.stdout).map(finding => finding.rule);
        expect(rules).toContain(rule);
        expect(rules).toContain('structure/unresolved-reference');
        expectSecretUnread(run.stdout);
    }, TEST_TIMEOUT);
});

describe('symbolic links', () => {
    it('links in the workspace to a file and a folder outside are not followed', async () => {
        const dir = scratch.write('links', { 'a.kra': `import "./link.kra"\nimport "./linked/secret.kra"\n${USES_SECRET}` });
        symlinkSync(path.join(outside, 'secret.kra'), path.join(dir, 'link.kra'));
        symlinkSync(outside, path.join(dir, 'linked'));
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 1);
        const problems = findings(run.stdout);
        expect(problems.filter(finding => finding.rule === 'structure/import-not-found')).toHaveLength(2);
        expect(problems.map(finding => finding.rule)).toContain('structure/unresolved-reference');
        expect(run.stdout).toMatch(/in 1 file\.\n$/);
        expectSecretUnread(run.stdout);
    }, TEST_TIMEOUT);

    it('a link given on the command line is refused with exit 2, not reported clean', async () => {
        const dir = scratch.write('link-argument', { 'a.kra': 'metric calls { unit count }\n' });
        symlinkSync(path.join(outside, 'secret.kra'), path.join(dir, 'link.kra'));
        const run = await runKra(['check', path.join(dir, 'link.kra')]);
        expectCleanExit(run, 2);
        expect(run.stderr).toContain('symbolic link');
    }, TEST_TIMEOUT);

    it('link loops in the workspace folder end', async () => {
        const dir = scratch.write('loops', { 'a.kra': 'metric calls { unit count }\n', 'sub/b.kra': 'metric more_calls { unit count }\n' });
        symlinkSync(dir, path.join(dir, 'sub', 'up'));
        symlinkSync('.', path.join(dir, 'here'));
        symlinkSync(path.join(dir, 'self'), path.join(dir, 'self'));
        symlinkSync(path.join(dir, 'ping'), path.join(dir, 'pong'));
        symlinkSync(path.join(dir, 'pong'), path.join(dir, 'ping'));
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 0);
        expect(run.stdout).toMatch(/in 2 files\.\n$/);
        expectCleanExit(await runKra(['fmt', dir]), 0);
    }, TEST_TIMEOUT);

    it('kra fmt does not write through a link', async () => {
        const victim = scratch.write('fmt-victim', { 'target.kra': 'metric   calls   {   unit count }\n' });
        const dir = scratch.write('fmt-links', { 'a.kra': 'metric   own   {   unit count }\n' });
        symlinkSync(path.join(victim, 'target.kra'), path.join(dir, 'link.kra'));
        const run = await runKra(['fmt', dir]);
        expectCleanExit(run, 0);
        expect(run.stdout).toContain('Formatted 1 of 1 file');
        expect(readFileSync(path.join(victim, 'target.kra'), 'utf8')).toBe('metric   calls   {   unit count }\n');
        expect(lstatSync(path.join(dir, 'link.kra')).isSymbolicLink()).toBe(true);
    }, TEST_TIMEOUT);
});
