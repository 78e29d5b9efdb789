/**
 * The command-line conventions people bring from ESLint, Prettier and Spectral: --fix and
 * --fix-dry-run, standard input, quoted globs, --output-file, --max-warnings -1, the usual
 * config file names, --print-config, and tables that line up with wide characters.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runKra, scratchFolder } from '../../../test/support/cli.js';

const { root: scratch, write: workspace } = scratchFolder('kra-conventions-');

const METRICS = 'metric calls "Calls" {\n  description "Calls handled by the agents."\n  unit cont\n}\n\n'
    + 'metric talk "Talk" {\n  description "Seconds agents spend talking."\n  unit seconds\n}\n';
const KRA = 'kra service "Service" {\n  description "Customers get through quickly and leave with the issue solved."\n  weight 100%\n\n'
    + '  kpi aht "Average handle time" {\n    description "Seconds of talk per call handled by the agents."\n    formula safe_ratio(talk, calls)\n'
    + '    target at most 360 s by 2026-12-31\n    weight 60%\n  }\n\n'
    + '  kpi calls_total "Calls" {\n    description "Calls handled by the agents in the month."\n    formula calls\n    unit count\n    weight 30%\n  }\n}\n';

function fixable(name: string): string {
    return workspace(name, { 'metrics.kra': METRICS, 'service.kra': KRA });
}

describe('kra check --fix', () => {
    it('applies the fixes that cannot change meaning, says what it changed (where it is now), and leaves the rest', async () => {
        const dir = fixable('fix');
        const result = await runKra(['check', '.', '--fix'], { cwd: dir });
        expect(result.stderr).toContain("metrics.kra:3:8  fixed  Change 'cont' to 'count'  structure/unresolved-reference");
        expect(result.stderr).toContain('service.kra:9:24  fixed  Import "./metrics.kra" (declares \'talk\')  structure/unresolved-reference');
        expect(result.stderr).toContain("service.kra:7:7  fixed  Add 'unit seconds'  smart/measurable");
        expect(result.stderr).toContain('kra check: fixed 3 problems in 2 files.');
        expect(readFileSync(path.join(dir, 'metrics.kra'), 'utf8')).toBe(METRICS.replace('unit cont', 'unit count'));
        const service = readFileSync(path.join(dir, 'service.kra'), 'utf8');
        expect(service.startsWith('import "./metrics.kra"\n\nkra service')).toBe(true);
        expect(service).toContain('    formula safe_ratio(talk, calls)\n    unit seconds\n');
        // Weights that miss 100 % are a decision for a person: reported, not rebalanced.
        expect(service).toContain('weight 60%');
        expect(service).toContain('weight 30%');
        expect(result.stdout).toContain('weights/sum');
        // Nothing left to fix: a second run changes nothing.
        const again = await runKra(['check', '.', '--fix'], { cwd: dir });
        expect(again.stderr).toContain('kra check: nothing to fix automatically.');
        expect(readFileSync(path.join(dir, 'service.kra'), 'utf8')).toBe(service);
    });

    it('--fix-dry-run prints a unified diff and writes nothing', async () => {
        const dir = fixable('dry-run');
        const result = await runKra(['check', '.', '--fix-dry-run'], { cwd: dir });
        expect(result.stdout).toContain('--- a/metrics.kra\n+++ b/metrics.kra\n');
        expect(result.stdout).toContain('-  unit cont\n+  unit count\n');
        expect(result.stdout).toContain('+import "./metrics.kra"\n');
        expect(result.stderr).toContain('kra check: would fix 3 problems in 2 files.');
        expect(readFileSync(path.join(dir, 'metrics.kra'), 'utf8')).toBe(METRICS);
        // The exit code is that of the files as they would be: the weights still miss 100 %.
        expect(result.code).toBe(1);
    });

    it('refuses --fix with --fix-dry-run, and --fix on standard input', async () => {
        const dir = fixable('both');
        expect((await runKra(['check', '.', '--fix', '--fix-dry-run'], { cwd: dir })).code).toBe(2);
        const stdin = await runKra(['check', '-', '--fix'], { cwd: dir, input: METRICS });
        expect(stdin.code).toBe(2);
        expect(stdin.stderr).toContain('use --fix-dry-run');
    });
});

describe('standard input', () => {
    it('kra check - checks the text as the file --stdin-filename names, in its workspace and with its config', async () => {
        const dir = workspace('stdin', { 'kra.config.yaml': 'rules:\n  metrics/unused: off\n', 'other.kra': 'metric spare "Spare" {\n  description "A metric nobody uses yet."\n  unit count\n}\n' });
        const text = 'metric typed "Typed" {\n  description "Typed into an editor and piped in."\n  unit cont\n}\n';
        const result = await runKra(['check', '-', '--stdin-filename', 'sub/typed.kra'], { cwd: dir, input: text });
        expect(result.code).toBe(2); // sub/ does not exist
        expect(result.stderr).toContain('no such folder');
        const ok = await runKra(['check', '-', '--stdin-filename', 'typed.kra'], { cwd: dir, input: text });
        expect(ok.code).toBe(1);
        expect(ok.stdout).toContain("typed.kra:3:8  error  metric 'typed': unknown unit 'cont'");
        expect(ok.stdout).not.toContain('metrics/unused'); // the folder's config applies
        expect(ok.stdout).toContain('in 1 file');
        expect(existsSync(path.join(dir, 'typed.kra'))).toBe(false);
    });

    it('kra fmt - formats standard input to standard output; a syntax error prints nothing', async () => {
        const formatted = await runKra(['fmt', '-'], { input: 'metric   calls "Calls" {unit count}\n' });
        expect(formatted.code).toBe(0);
        expect(formatted.stdout).toBe('metric calls "Calls" {\n  unit count\n}\n');
        const broken = await runKra(['fmt', '-', '--stdin-filename', 'draft.kra'], { input: 'metric calls "Calls" {\n  unit\n' });
        expect(broken.code).toBe(1);
        expect(broken.stdout).toBe('');
        expect(broken.stderr).toMatch(/^draft\.kra:\d+:\d+ {2}syntax error: /);
        const check = await runKra(['fmt', '-', '--check'], { input: 'metric   calls "Calls" {unit count}\n' });
        expect(check.code).toBe(1);
    });
});

describe('paths', () => {
    it('expands quoted globs, skipping node_modules, and fails on a glob that matches nothing', async () => {
        const dir = workspace('globs', {
            'org/a.kra': 'metric a "A" {\n  description "A metric used by nothing at all."\n  unit cont\n}\n',
            'org/deep/b.kra': 'metric b "B" {\n  description "B metric used by nothing at all."\n  unit count\n}\n',
            'org/node_modules/c.kra': 'metric c "C" {\n  unit nope\n}\n'
        });
        const result = await runKra(['check', 'org/**/*.kra', '--quiet'], { cwd: dir });
        expect(result.stdout).toContain('org/a.kra:3:8');
        expect(result.stdout).not.toContain('node_modules');
        expect(result.stdout).toContain('in 2 files');
        const none = await runKra(['check', 'org/**/*.kraa'], { cwd: dir });
        expect(none.code).toBe(2);
        expect(none.stderr).toBe("kra check: org/**/*.kraa: no .kra file matches this pattern\n");
        const fmt = await runKra(['fmt', '--check', 'org/*.kra'], { cwd: dir });
        expect(fmt.stdout).toBe('');
        expect(fmt.code).toBe(0);
    });
});

describe('reports', () => {
    it('-o writes the report to a file, without colour codes, for any format', async () => {
        const dir = fixable('output');
        const report = path.join(scratch, 'reports', 'check.sarif');
        const result = await runKra(['check', '.', '--format', 'sarif', '-o', report], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '' } });
        expect(result.stdout).toBe('');
        expect(result.code).toBe(1);
        expect(JSON.parse(readFileSync(report, 'utf8')).version).toBe('2.1.0');
        const stylish = path.join(scratch, 'reports', 'check.txt');
        await runKra(['check', '.', '-o', stylish], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '' } });
        const text = readFileSync(stylish, 'utf8');
        expect(text).toContain('structure/unresolved-reference');
        expect(text).not.toContain('\u001b[');
        const unwritable = await runKra(['check', '.', '-o', path.join(stylish, 'inside-a-file.txt')], { cwd: dir });
        expect(unwritable.code).toBe(2);
        expect(unwritable.stderr).toContain('a part of the path is a file, not a folder. Nothing was written.');
    });

    it('--max-warnings -1 means no limit', async () => {
        const dir = workspace('warnings', { 'a.kra': 'metric spare "Spare" {\n  description "A metric nobody uses yet."\n  unit count\n}\n' });
        expect((await runKra(['check', '.', '--max-warnings', '0'], { cwd: dir })).code).toBe(1);
        expect((await runKra(['check', '.', '--max-warnings', '-1'], { cwd: dir })).code).toBe(0);
        expect((await runKra(['check', '.', '--max-warnings', '-2'], { cwd: dir })).code).toBe(2);
    });

    it('lines up table columns when KPI titles have wide characters', async () => {
        const dir = path.join(scratch, 'wide');
        cpSync(path.join(REPO, 'examples', 'contact-centre'), dir, { recursive: true });
        const file = path.join(dir, 'operations.kra');
        writeFileSync(file, readFileSync(file, 'utf8').replace('"First contact resolution (FCR)"', '"顧客満足度 FCR"'));
        const table = (await runKra(['eval', '.', '--data', 'data'], { cwd: dir })).stdout.split('\n');
        const wide = table.find(line => line.includes('顧客満足度 FCR'))!;
        const narrow = table.find(line => line.includes('Customer satisfaction (CSAT)'))!;
        const columns = (line: string) => [...line].reduce((total, char) => total + (/[\u3000-\u9fff]/.test(char) ? 2 : 1), 0);
        // The weight column ends at the same terminal column in both rows.
        const weightEnd = (line: string) => columns(line.slice(0, line.indexOf('%') + 1));
        expect(weightEnd(wide)).toBe(weightEnd(narrow));
        // And so does the value column (the same width of text before the target).
        const valueEnd = (line: string) => columns(line.slice(0, line.indexOf('at least')));
        expect(valueEnd(wide)).toBe(valueEnd(narrow));
    });
});

describe('kra eval headings', () => {
    it('a workspace with no organisation gets a plain "Scorecard for <period>" heading', async () => {
        const dir = workspace('no-organisation', {
            'a.kra': 'metric calls "Calls" {\n  description "Calls handled by the agents."\n  unit count\n}\n\n'
                + 'kra service "Service" {\n  description "Customers get through quickly and leave with the issue solved."\n  weight 100%\n\n'
                + '  kpi handled "Calls handled" {\n    description "Calls handled by the agents in the month."\n    formula calls\n    unit count\n    weight 100%\n  }\n}\n',
            'data/calls.csv': 'period,calls\n2026-01,120\n'
        });
        const result = await runKra(['eval', '.', '--data', 'data'], { cwd: dir });
        expect(result.stdout.split('\n')[0]).toBe('Scorecard for 2026-01');
    });
});

describe('configuration files', () => {
    const unusedMetric = 'metric spare "Spare" {\n  description "A metric nobody uses yet."\n  unit count\n}\n';

    it('reads kra.config.yml as well as kra.config.yaml', async () => {
        const dir = workspace('yml', { 'a.kra': unusedMetric, 'kra.config.yml': 'rules:\n  metrics/unused: error\n' });
        const result = await runKra(['check', '.'], { cwd: dir });
        expect(result.code).toBe(1);
        expect(result.stdout).toContain('error  Metric \'spare\'');
    });

    it('refuses two config files, and one named in a way kra does not read', async () => {
        const both = workspace('both-configs', { 'a.kra': unusedMetric, 'kra.config.yml': 'rules: {}\n', 'kra.config.yaml': 'rules: {}\n' });
        const two = await runKra(['check', '.'], { cwd: both });
        expect(two.code).toBe(2);
        expect(two.stderr).toContain('kra.config.yaml and kra.config.yml are both here');
        for (const name of ['.kra.yaml', 'kra.config.json', '.krarc', 'KRA.config.yaml']) {
            const dir = workspace(`misnamed-${name}`, { 'a.kra': unusedMetric, [name]: 'rules: {}\n' });
            const result = await runKra(['check', '.'], { cwd: dir });
            expect(result.code, name).toBe(2);
            expect(result.stderr, name).toContain(`${name}: looks like a KRA Lang configuration, but kra reads only kra.config.yaml or kra.config.yml.`);
        }
    });

    it('--print-config shows the settings that apply to a file, overrides included', async () => {
        const dir = workspace('print-config', {
            'a.kra': unusedMetric,
            'legacy/b.kra': unusedMetric.replace('spare', 'old'),
            'kra.config.yaml': 'extends: strict\nlimits:\n  kpisPerKra: 7\noverrides:\n  - files: ["legacy/**"]\n    rules:\n      metrics/unused: off\n'
        });
        const top = JSON.parse((await runKra(['check', '--print-config', 'a.kra'], { cwd: dir })).stdout);
        expect(top).toMatchObject({ file: 'a.kra', workspace: '.', configFile: 'kra.config.yaml', extends: 'strict', limits: { kpisPerKra: 7 } });
        expect(top.rules['metrics/unused']).toEqual({ severity: 'error' });
        expect(top.rules['metrics/too-many-kpis']).toEqual({ severity: 'error', options: { max: 7 } });
        const legacy = JSON.parse((await runKra(['check', '--print-config', 'legacy/b.kra'], { cwd: dir })).stdout);
        expect(legacy.rules['metrics/unused']).toEqual({ severity: 'off' });
        expect((await runKra(['check', '--print-config', 'missing.kra'], { cwd: dir })).code).toBe(2);
    });
});
