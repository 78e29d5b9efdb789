/**
 * Hostile and broken .kra files through `kra check` (and fmt, build, eval where they read the
 * file differently): a clear diagnostic, no stack trace, exit 1 (problems found) as documented,
 * and no hang.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOURCE_LIMITS } from '../../packages/language/src/index.js';
import { expectCleanExit, findings, runKra, scratchFolder, TEST_TIMEOUT } from '../support/cli.js';

const scratch = scratchFolder('kra-source-');

const METRIC = 'metric calls "Calls" {\n  description "Calls answered by an agent."\n  unit count\n  aggregate by sum\n}\n';

function kpiWith(formula: string): string {
    return `${METRIC}kpi volume "Volume" {\n  formula ${formula}\n  unit count\n}\n`;
}

describe('deep nesting in formulas', () => {
    const N = 100_000;
    const cases: Array<[string, string]> = [
        ['parentheses', `${'('.repeat(N)}calls${')'.repeat(N)}`],
        ['function calls', `${'max('.repeat(N)}calls${')'.repeat(N)}`],
        ['minus signs', `${'-'.repeat(N)}calls`],
        ['nested ifs', `${'if calls > 0 then '.repeat(N / 10)}calls${' else 0'.repeat(N / 10)}`],
        ['else-if chains', `${'if calls > 0 then 1 else '.repeat(N / 10)}0`]
    ];
    it.each(cases)('%s, 100,000 deep: one clear diagnostic, exit 1', async (name, formula) => {
        const dir = scratch.write(`deep-${name.replace(/\W/g, '-')}`, { 'a.kra': kpiWith(formula) });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 1);
        const limits = findings(run.stdout).filter(finding => finding.message.includes('nested too deeply'));
        expect(limits).toHaveLength(1);
        expect(limits[0]).toMatchObject({ line: 7, rule: 'syntax/unexpected-token', severity: 'error' });
        // The rest of the file still reads: the unit after the formula is not reported missing.
        expect(run.stdout).not.toContain('has no unit');
    }, TEST_TIMEOUT);

    it('a chain of 100,000 operators: one clear diagnostic, exit 1', async () => {
        const dir = scratch.write('long-chain', { 'a.kra': kpiWith(Array(N).fill('calls').join(' + ')) });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 1);
        expect(findings(run.stdout).filter(finding => finding.message.includes('too long: more than'))).toHaveLength(1);
    }, TEST_TIMEOUT);

    it('formulas at the limits check, build and evaluate', async () => {
        const nesting = SOURCE_LIMITS.maxFormulaNesting;
        const operators = SOURCE_LIMITS.maxFormulaOperators;
        const text = `${METRIC}kpi deep "Deep" {\n  formula ${'('.repeat(nesting)}calls${')'.repeat(nesting)}\n  unit count\n}\n`
            + `kpi signs "Signs" {\n  formula ${'-'.repeat(nesting)}calls\n  unit count\n}\n`
            + `kpi long "Long" {\n  formula ${Array(operators + 1).fill('calls').join(' + ')}\n  unit count\n}\n`
            + `kpi both "Both" {\n  formula ${'max('.repeat(nesting - 1)}${Array(operators + 1).fill('calls').join(' * ')}${')'.repeat(nesting - 1)}\n  unit count\n}\n`;
        const dir = scratch.write('at-limits', { 'a.kra': text, 'data.csv': 'period,calls\n2026-01,3\n' });
        const check = await runKra(['check', dir]);
        expect(check.stdout).not.toMatch(/nested too deeply|too long: more than/);
        expect(findings(check.stdout).filter(finding => finding.rule.startsWith('syntax/'))).toEqual([]);
        expectCleanExit(await runKra(['build', dir, '--out', path.join(scratch.root, 'at-limits-out'), '--allow-errors']), 0);
        const evaluation = await runKra(['eval', dir, '--data', path.join(dir, 'data.csv'), '--allow-errors', '--format', 'json']);
        expectCleanExit(evaluation, 0);
        const result = JSON.parse(evaluation.stdout) as { kpis: Array<{ kpi: string; value: number | null }> };
        expect(result.kpis.find(kpi => kpi.kpi === 'deep')?.value).toBe(3);
        expect(result.kpis.find(kpi => kpi.kpi === 'long')?.value).toBe(3 * (operators + 1));
    }, TEST_TIMEOUT);

    it('3,000 KPIs, each using the next: check and eval finish', async () => {
        // Unit inference and evaluation follow KPIs into the KPIs they use: far beyond the stack before.
        const count = 3000;
        let text = 'metric m "M" { unit count }\n';
        for (let i = 0; i < count; i++) {
            text += `kpi k${i} { formula ${i + 1 < count ? `k${i + 1}` : 'm'} + m }\n`;
        }
        const dir = scratch.write('kpi-chain', { 'a.kra': text, 'data.csv': 'period,m\n2026-01,1\n' });
        expectCleanExit(await runKra(['check', dir, '--quiet']), 1);
        const evaluation = await runKra(['eval', dir, '--data', path.join(dir, 'data.csv'), '--allow-errors', '--format', 'json']);
        expectCleanExit(evaluation, 0);
        const result = JSON.parse(evaluation.stdout) as { kpis: Array<{ kpi: string; value: number | null; reason: string | null }> };
        expect(result.kpis.find(kpi => kpi.kpi === `k${count - 1}`)?.value).toBe(2);
        expect(result.kpis.find(kpi => kpi.kpi === 'k0')?.reason).toMatch(/more than \d+ deep/);
    }, TEST_TIMEOUT);
});

describe('huge files and lines', () => {
    it('a 50 MB file: one diagnostic, in bounded memory', async () => {
        const dir = scratch.write('huge', { 'a.kra': `${METRIC}${'// padding\n'.repeat(50 * 1024 * 1024 / 11)}` });
        // A heap of 256 MB: reading or lexing the whole file would not fit.
        const run = await runKra(['check', dir], { nodeOptions: ['--max-old-space-size=256'] });
        expectCleanExit(run, 1);
        const problems = findings(run.stdout);
        expect(problems).toHaveLength(1);
        expect(problems[0].message).toContain('too large to check');
        expect(run.stdout.length).toBeLessThan(10_000);
    }, TEST_TIMEOUT);

    it('a line of 1,000,000 characters in a text: checks, code frames stay short', async () => {
        const dir = scratch.write('long-text', { 'a.kra': `metric calls "Calls" { description "${'x'.repeat(1_000_000)}" unit count };\n` });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 1);
        expect(findings(run.stdout).map(finding => finding.rule)).toContain('syntax/invalid-character');
        expect(run.stdout.split('\n').reduce((longest, line) => Math.max(longest, line.length), 0)).toBeLessThan(400);
    }, TEST_TIMEOUT);

    it('a line of 1,000,000 characters of declarations: every finding, code frames stay short', async () => {
        let line = '';
        for (let i = 0; line.length < 1_000_000; i++) {
            line += `metric m${i} `;
        }
        const dir = scratch.write('long-line', { 'a.kra': `${line}\n` });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 0);
        expect(run.stdout).toMatch(/✖ \d+ problems \(0 errors, \d+ warnings\)/);
        expect(run.stdout.split('\n').reduce((longest, text) => Math.max(longest, text.length), 0)).toBeLessThan(400);
    }, TEST_TIMEOUT);
});

describe('files that are not KRA Lang text', () => {
    it('a binary file (with NUL bytes) renamed .kra: "not a text file", one diagnostic', async () => {
        const bytes = Buffer.alloc(300_000);
        for (let i = 0; i < bytes.length; i++) {
            bytes[i] = (i * 7919 + 13) % 256;
        }
        const dir = scratch.write('binary', { 'image.kra': bytes });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 1);
        const problems = findings(run.stdout);
        expect(problems).toHaveLength(1);
        expect(problems[0].message).toContain('not a text file');
        expect(run.stdout).not.toMatch(/\u001B/); // no raw escape sequences from the file
    }, TEST_TIMEOUT);

    it('binary without NUL bytes: at most 100 problems and a summary', async () => {
        const bytes = Buffer.alloc(300_000);
        for (let i = 0; i < bytes.length; i++) {
            bytes[i] = [0x23, 0x3B, 0x40, 0x24, 0x7E, 0x60, 0x5E, 0x20, 0x01, 0x1B][(i * 7) % 10];
        }
        const dir = scratch.write('garbage', { 'noise.kra': bytes });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 1);
        const problems = findings(run.stdout);
        expect(problems.length).toBeLessThanOrEqual(SOURCE_LIMITS.maxLexerErrors + 1);
        expect(problems.at(-1)?.message).toMatch(/unexpected characters follow.*Is this a KRA Lang text file/);
        expect(run.stdout).not.toMatch(/\u001B/);
    }, TEST_TIMEOUT);

    it('invalid UTF-8 outside and inside a text: says so', async () => {
        const dir = scratch.write('utf8', {
            'a.kra': Buffer.concat([
                Buffer.from('metric calls { unit count }\nmetric m2 '), Buffer.from([0xC3, 0x28, 0xFF]),
                Buffer.from(' { unit count }\nmetric m3 { description "caf'), Buffer.from([0xE9]), Buffer.from('" }\n')
            ])
        });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 1);
        const utf8 = findings(run.stdout).filter(finding => finding.message.includes('not valid UTF-8'));
        expect(utf8.map(finding => finding.line)).toEqual(expect.arrayContaining([2, 3]));
    }, TEST_TIMEOUT);
});

describe('encodings and line ends', () => {
    it('a byte order mark: columns on the first line are those an editor shows', async () => {
        const dir = scratch.write('bom', { 'a.kra': '\uFEFFmetric calls { unit count };\n' });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 1);
        const problems = findings(run.stdout);
        expect(problems.find(finding => finding.rule === 'syntax/invalid-character')).toMatchObject({ line: 1, column: 28 });
        expect(problems.find(finding => finding.rule === 'metrics/unused')).toMatchObject({ line: 1, column: 8 });
    }, TEST_TIMEOUT);

    it('CRLF line ends: positions are right, and kra fmt keeps CRLF (and a BOM)', async () => {
        const text = 'metric calls "Calls" {\r\n    description "Calls answered by an agent."\r\n  unit count;\r\n}\r\n';
        const unformatted = `\uFEFF${METRIC.replace(/\n/g, '\r\n').replace('  unit', '      unit')}`;
        const dir = scratch.write('crlf', { 'a.kra': text, 'b.kra': unformatted });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 1);
        expect(findings(run.stdout).find(finding => finding.rule === 'syntax/invalid-character')).toMatchObject({ file: expect.stringMatching(/a\.kra$/), line: 3, column: 13 });

        expectCleanExit(await runKra(['fmt', path.join(dir, 'b.kra')]), 0);
        const formatted = readFileSync(path.join(dir, 'b.kra'), 'utf8');
        expect(formatted).not.toBe(unformatted);
        expect(formatted.startsWith('\uFEFFmetric calls')).toBe(true);
        expect(formatted).toContain('\r\n  unit count\r\n');
        expect(formatted.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);

        // A syntax error in a file with a BOM is placed as an editor shows it.
        writeFileSync(path.join(dir, 'c.kra'), '\uFEFFmetric calls { unit count };\r\n');
        const fmt = await runKra(['fmt', path.join(dir, 'c.kra')]);
        expectCleanExit(fmt, 1);
        expect(fmt.stderr).toContain('c.kra:1:28');
    }, TEST_TIMEOUT);
});

describe('unterminated texts and comments at the end of the file', () => {
    it.each([
        ['a text', 'metric calls "Calls', 'Unterminated text'],
        ['a text ending in a backslash', 'metric calls "Calls\\', 'Unterminated text'],
        ['a block comment', `${METRIC}/* the rest`, 'Unterminated comment'],
        ['a block comment of stars', `${METRIC}/*${'*'.repeat(100_000)}`, 'Unterminated comment']
    ])('%s', async (_name, text, message) => {
        const dir = scratch.write(`open-${_name.replace(/\W/g, '-')}`, { 'a.kra': text });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 1);
        expect(findings(run.stdout).map(finding => finding.message).join('\n')).toContain(message);
    }, TEST_TIMEOUT);
});

describe('inputs the fuzzer found', () => {
    // Found by the document fuzzer: Langium's (4.4) error recovery loses its stack on an `over`
    // with nothing before it inside an `if`, and throws. The parser (src/parser/kra-parser.ts)
    // catches that: syntax errors, the file counts as empty, and the next parse is unharmed.
    it('`formula if then over` (where Langium\'s parser gives up): syntax errors, exit 1, and other files still checked', async () => {
        const dir = scratch.write('fuzz-if-over', {
            'a.kra': 'kpi k "K" { formula if then over',
            'b.kra': 'metric calls "Calls" {\n  unit count\n}\nkpi k2 "K2" {\n  formula calls / nothing\n}\n'
        });
        const run = await runKra(['check', dir, '--format', 'json']);
        expectCleanExit(run, 1);
        const report = JSON.parse(run.stdout) as { files: Array<{ path: string; findings: Array<{ rule: string; message: string }> }> };
        const a = report.files.find(file => file.path.endsWith('a.kra'))!.findings;
        expect(a.map(finding => finding.rule)).toEqual(a.map(() => 'syntax/unexpected-token'));
        expect(a.at(-1)!.message).toContain('could not read this file past a syntax error');
        const b = report.files.find(file => file.path.endsWith('b.kra'))!.findings;
        expect(b.some(finding => finding.rule === 'structure/unresolved-reference' && finding.message.includes("'nothing'"))).toBe(true);
    }, TEST_TIMEOUT);
});
