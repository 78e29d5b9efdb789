/** `kra check` with a kra.config.yaml at the workspace root. */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKra, scratchFolder } from '../../../test/support/cli.js';

const { root: scratch, write: workspace } = scratchFolder('kra-cli-config-');

function kra(args: string[], cwd: string) {
    return runKra(args, { cwd });
}

/** An objective whose deadline does not exist: structure/invalid-date, an error by default. */
function objective(id: string, deadline = '2026-02-30'): string {
    return `objective ${id} "Launch the ${id} programme" {\n`
        + '  description "The new client programme goes live with every agent trained and every SLA report automated."\n'
        + '  perspective customer\n'
        + `  by ${deadline}\n`
        + '}\n';
}

describe('kra check with kra.config.yaml', () => {
    it('exits 1 on the failing workspace without a configuration', async () => {
        workspace('baseline', { 'a.kra': objective('launch') });
        const result = await kra(['check', 'baseline'], scratch);
        expect(result.stdout).toContain('baseline/a.kra:4:6');
        expect(result.stdout).toContain('structure/invalid-date');
        expect(result.code, result.stdout).toBe(1);
    });

    it('exits 2 on an unknown rule, naming kra.config.yaml:line:column and the valid rules, and checks nothing', async () => {
        workspace('unknown-rule', {
            'kra.config.yaml': '# Acme Contact Services\nrules:\n  structure/invalid-date: warning\n  structure/invalid-dates: off\n',
            'a.kra': objective('launch')
        });
        const result = await kra(['check', 'unknown-rule'], scratch);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain("unknown-rule/kra.config.yaml:4:3  error  Unknown rule 'structure/invalid-dates'. Valid rules: ");
        for (const id of ['structure/duplicate-id', 'structure/invalid-date', 'suppressions/unused']) {
            expect(result.stderr).toContain(id);
        }
        expect(result.stderr).toContain('kra check: fix unknown-rule/kra.config.yaml first; nothing was checked.');
        expect(result.stdout).toBe('');
        expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });

    it('exits 2 on invalid YAML and on a wrong severity, each with its position', async () => {
        workspace('bad-yaml', { 'kra.config.yaml': 'rules:\n  structure/invalid-date: off\n  structure/invalid-date: warning\n', 'a.kra': objective('launch') });
        const yaml = await kra(['check', 'bad-yaml'], scratch);
        expect(yaml.code).toBe(2);
        expect(yaml.stderr).toContain('bad-yaml/kra.config.yaml:3:3  error  Invalid YAML: Map keys must be unique');

        workspace('bad-severity', { 'kra.config.yaml': 'rules:\n  structure/invalid-date: warn\n', 'a.kra': objective('launch') });
        const severity = await kra(['check', 'bad-severity'], scratch);
        expect(severity.code).toBe(2);
        expect(severity.stderr).toContain("bad-severity/kra.config.yaml:2:27  error  'rules.structure/invalid-date' must be one of: off, info, warning, error.");
    });

    it('exits 0 once the configuration turns the failing rule off', async () => {
        workspace('rule-off', { 'kra.config.yaml': 'rules:\n  structure/invalid-date: off\n', 'a.kra': objective('launch') });
        const result = await kra(['check', 'rule-off'], scratch);
        expect(result.stderr).toBe('');
        expect(result.stdout).not.toContain('structure/invalid-date');
        expect(result.code, result.stdout).toBe(0);
    });

    it('exits 0 when the failing rule is lowered to a warning, and still shows it', async () => {
        workspace('rule-warning', { 'kra.config.yaml': 'rules:\n  structure/invalid-date: warning\n', 'a.kra': objective('launch') });
        const result = await kra(['check', 'rule-warning'], scratch);
        expect(result.stdout).toMatch(/rule-warning\/a\.kra:4:6\s+warning\s+.*structure\/invalid-date/);
        expect(result.code, result.stdout).toBe(0);
    });

    it('uses the configuration of the workspace root when one file below it is checked', async () => {
        const dir = workspace('single-file', { 'kra.config.yaml': 'rules:\n  structure/invalid-date: off\n', 'teams/a.kra': objective('launch') });
        const result = await kra(['check', path.join(dir, 'teams', 'a.kra')], scratch);
        expect(result.stdout).not.toContain('structure/invalid-date');
        expect(result.code, result.stdout).toBe(0);
    });

    it('applies overrides to the files their globs match, relative to the workspace root', async () => {
        workspace('overrides', {
            'kra.config.yaml': 'overrides:\n  - files: ["legacy/**"]\n    rules:\n      structure/invalid-date: off\n',
            'current.kra': objective('launch'),
            'legacy/2019/old.kra': objective('old_launch', '2019-02-29')
        });
        const result = await kra(['check', 'overrides'], scratch);
        expect(result.stdout).toContain('overrides/current.kra:4:6');
        expect(result.stdout).not.toContain('old.kra');
        expect(result.code, result.stdout).toBe(1);
    });

    it('applies extends: strict, raising warnings to errors', async () => {
        const files = { 'a.kra': objective('launch', '2026-12-31'), 'b.kra': '// kra-disable-next-line structure/invalid-date -- dates from the client contract\n' + objective('relaunch', '2026-12-31') };
        workspace('recommended', files);
        const recommended = await kra(['check', 'recommended'], scratch);
        expect(recommended.stdout).toMatch(/recommended\/b\.kra:1:\d+\s+warning\s+.*suppressions\/unused/);
        expect(recommended.code, recommended.stdout).toBe(0);

        workspace('strict', { ...files, 'kra.config.yaml': 'extends: strict\n' });
        const strict = await kra(['check', 'strict'], scratch);
        expect(strict.stdout).toMatch(/strict\/b\.kra:1:\d+\s+error\s+.*suppressions\/unused/);
        expect(strict.code, strict.stdout).toBe(1);
    });
});
