import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { GITHUB_ANNOTATION_LIMIT } from '../src/report/github.js';
import { REPO, runKra, scratchFolder } from '../../../test/support/cli.js';

// The official SARIF schema is JSON Schema draft-04, which ajv 8 reads through ajv-draft-04 (CommonJS).
const AjvDraft04 = createRequire(import.meta.url)('ajv-draft-04') as typeof import('ajv-draft-04').default;
const SARIF_SCHEMA = path.join(REPO, 'test/fixtures/sarif/sarif-schema-2.1.0.json');
const { root: scratch, write: workspace } = scratchFolder('kra-formats-');

function kra(args: string[], env: Record<string, string> = { NO_COLOR: '1' }) {
    return runKra(args, { env: { NO_COLOR: '', ...env } });
}

describe('kra check --format sarif', () => {
    it('is valid SARIF 2.1.0 with rules, help URIs and stable fingerprints', async () => {
        const result = await kra(['check', 'examples/mistakes', '--format', 'sarif']);
        expect(result.code).toBe(1);
        const log = JSON.parse(result.stdout);
        const ajv = new AjvDraft04({ strict: false, allErrors: true, validateFormats: false });
        const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));
        expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
        const run = log.runs[0];
        expect(run.tool.driver.name).toBe('kra');
        expect(run.tool.driver.rules.every((rule: { helpUri: string }) => rule.helpUri.endsWith('.md'))).toBe(true);
        expect(run.results.length).toBeGreaterThan(10);
        for (const result of run.results) {
            expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
            expect(result.partialFingerprints['kraFindingHash/v1']).toMatch(/^[0-9a-f]{32}:\d+$/);
        }
        const prints = run.results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['kraFindingHash/v1']);
        expect(new Set(prints).size).toBe(prints.length);
    });

    it('keeps fingerprints when lines move', async () => {
        const text = 'metric m "M" {\n  unit count\n  unit seconds\n}\n';
        const before = workspace('fp1', { 'a.kra': text });
        const after = workspace('fp2', { 'a.kra': `// a new comment line\n\n${text}` });
        const print = async (dir: string) => JSON.parse((await kra(['check', dir, '-f', 'sarif'])).stdout).runs[0].results
            .filter((r: { ruleId: string }) => r.ruleId === 'structure/duplicate-field')
            .map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['kraFindingHash/v1']);
        // The file path differs between the two folders, so compare against a copy at the same path.
        const moved = await print(after);
        writeFileSync(path.join(after, 'a.kra'), text);
        expect(moved).toEqual(await print(after));
        expect(await print(before)).toHaveLength(1);
    });
});

describe('kra check --format github', () => {
    it('writes workflow commands exactly as GitHub documents them, escaped', async () => {
        const dir = workspace('gh', { 'a,b.kra': 'metric m "M: 100%" {\n  unit count\n  unit seconds\n}\n' });
        const result = await kra(['check', dir, '--format', 'github']);
        expect(result.code).toBe(1);
        const line = result.stdout.split('\n').find(l => l.startsWith('::error '))!;
        expect(line).toMatch(/^::error file=[^,]*a%2Cb\.kra,line=3,col=8,endLine=3,endColumn=15,title=structure\/duplicate-field::metric 'm' gives 'unit' 2 times.*\(structure\/duplicate-field\)$/);
    });

    it(`annotates at most ${GITHUB_ANNOTATION_LIMIT} problems of each type and ends with a summary`, async () => {
        const metrics = Array.from({ length: 15 }, (_, i) => `metric m${i} { unit count unit seconds }`).join('\n');
        const dir = workspace('gh-many', { 'a.kra': metrics });
        const lines = (await kra(['check', dir, '--format', 'github'])).stdout.trim().split('\n');
        expect(lines.filter(l => l.startsWith('::error ')).length).toBe(GITHUB_ANNOTATION_LIMIT);
        expect(lines[lines.length - 1]).toMatch(/^kra: \d+ problems \(15 errors, \d+ warnings, \d+ infos\); the first \d+ are annotated/);
    });
});

describe('kra check --format json', () => {
    it('gives a stable, documented shape', async () => {
        const dir = workspace('json', { 'a.kra': 'metric m "M" {\n  unit count\n  unit seconds\n}\n', 'clean.kra': '' });
        const result = await kra(['check', dir, '--format', 'json']);
        const report = JSON.parse(result.stdout);
        expect(report.version).toBe(1);
        expect(report.summary).toMatchObject({ files: 2, errors: 1 });
        expect(report.files.map((f: { path: string }) => path.basename(f.path))).toEqual(['a.kra', 'clean.kra']);
        expect(report.files[0].findings.find((f: { rule: string }) => f.rule === 'structure/duplicate-field')).toEqual({
            rule: 'structure/duplicate-field', severity: 'error', message: expect.stringContaining("metric 'm'"),
            line: 3, column: 8, endLine: 3, endColumn: 15, docs: expect.stringMatching(/structure\/duplicate-field\.md$/)
        });
    });
});

describe('kra check stylish colour', () => {
    const dir = () => workspace('colour', { 'a.kra': 'metric m "M" {\n  unit count\n  unit seconds\n}\n' });
    it('has no colour when not on a terminal, or with NO_COLOR', async () => {
        expect((await kra(['check', dir()], {})).stdout).not.toContain('\u001b[');
        expect((await kra(['check', dir()], { NO_COLOR: '1', FORCE_COLOR: '1' })).stdout).not.toContain('\u001b[');
    });
    it('has colour with FORCE_COLOR', async () => {
        expect((await kra(['check', dir()], { FORCE_COLOR: '1' })).stdout).toContain('\u001b[');
    });
});

describe('kra check exit codes', () => {
    const warningOnly = () => workspace('warn', { 'a.kra': 'metric lonely "Lonely metric nobody uses" {\n  unit count\n}\n' });
    it('0 clean, 1 errors, 1 over --max-warnings, 2 bad flag, missing path or bad config', async () => {
        expect((await kra(['check', 'examples/hello'])).code).toBe(0);
        expect((await kra(['check', 'examples/mistakes'])).code).toBe(1);
        const warn = await kra(['check', warningOnly()]);
        expect(warn.code).toBe(0);
        expect(warn.stdout).toContain('warning');
        expect((await kra(['check', warningOnly(), '--max-warnings', '0'])).code).toBe(1);
        expect((await kra(['check', warningOnly(), '--max-warnings', '5'])).code).toBe(0);
        expect((await kra(['check', warningOnly(), '--max-warnings', 'many'])).code).toBe(2);
        expect((await kra(['check', 'examples/hello', '--format', 'xml'])).code).toBe(2);
        expect((await kra(['check', 'no/such/place'])).code).toBe(2);
        const badConfig = path.join(scratch, 'bad.yaml');
        writeFileSync(badConfig, 'rules:\n  no/such-rule: off\n');
        const bad = await kra(['check', 'examples/hello', '--config', badConfig]);
        expect(bad.code).toBe(2);
        expect(bad.stderr).toMatch(/bad\.yaml:2:3 {2}error {2}Unknown rule 'no\/such-rule'/);
    });

    it('--quiet reports errors only', async () => {
        const result = await kra(['check', warningOnly(), '--quiet']);
        expect(result.stdout).not.toContain('warning');
        expect(result.code).toBe(0);
    });

    it('--config applies another configuration', async () => {
        const config = path.join(scratch, 'quiet.yaml');
        writeFileSync(config, 'rules:\n  metrics/unused: off\n');
        expect((await kra(['check', warningOnly(), '--config', config, '--max-warnings', '0'])).code).toBe(0);
    });
});
