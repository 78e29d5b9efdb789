/**
 * Hostile kra.config.yaml files (exit 2 with file:line:col, nothing checked) and hostile data
 * files for kra eval (exit 2 with file:row:column; no cell is ever evaluated).
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCleanExit, runKra, scratchFolder, TEST_TIMEOUT } from '../support/cli.js';

const scratch = scratchFolder('kra-config-data-');

const WORKSPACE = {
    'a.kra': 'metric calls "Calls" { unit count aggregate by sum }\nkpi volume "Volume" {\n  formula calls\n  unit count\n}\n'
};

describe('kra.config.yaml', () => {
    const billionLaughs = [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        ...'bcdefghi'.split('').map((name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[index]}`).join(', ')}]`),
        'rules: *i'
    ].join('\n');
    const cases: Array<[string, string, RegExp]> = [
        ['an alias bomb', billionLaughs, /alias|Alias/],
        ['deep nesting', `rules: ${'['.repeat(100_000)}`, /nested more than/],
        ['deep nesting of maps', Array.from({ length: 900 }, (_, depth) => `${'  '.repeat(depth)}k${depth}:`).join('\n'), /nested more than|Unknown key/],
        ['duplicate keys', 'rules:\n  smart/specific: off\n  smart/specific: error\n', /unique|twice|duplicate/i],
        ['an unknown key', 'extends: recommended\nbogus: 1\n', /Unknown key 'bogus'/],
        ['a JSON Schema keyword as a key', '$ref: "https://example.com/schema.json"\n$data: "/rules"\n', /Unknown key/],
        ['a wrong type', 'rules: 5\n', /must be a map/],
        ['a wrong severity', 'rules:\n  smart/specific: loud\n', /smart\/specific/],
        ['a wrong option type', 'rules:\n  metrics/too-many-kpis: [error, { max: "five" }]\n', /too-many-kpis/],
        ['binary', '\u0000\u0001\u0002kra', /./]
    ];
    it.each(cases)('%s: exit 2 with file:line:col, nothing checked', async (name, config, message) => {
        const dir = scratch.write(`config-${name.replace(/\W/g, '-')}`, { ...WORKSPACE, 'kra.config.yaml': config });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 2);
        expect(run.stderr).toMatch(/kra\.config\.yaml:\d+:\d+ {2}error {2}/);
        expect(run.stderr).toMatch(message);
        expect(run.stderr).toContain('nothing was checked');
        expect(run.stdout).toBe('');
        expect(run.stderr.split('\n').length).toBeLessThan(60);
    }, TEST_TIMEOUT);
});

describe('kra eval data files', () => {
    const dir = scratch.write('eval', WORKSPACE);

    it('formulas in CSV cells are errors with file, row and column, never evaluated', async () => {
        const data = scratch.write('eval-formulas', {
            'data.csv': 'period,calls\n2026-01,=SUM(A1)\n2026-02,+1+1\n2026-03,@x\n2026-04,-2+3\n2026-05,"=HYPERLINK(""http://x"")"\n2026-06,\t=1\n'
        });
        const run = await runKra(['eval', dir, '--data', path.join(data, 'data.csv')]);
        expectCleanExit(run, 2);
        for (const [row, cell] of [[2, '=SUM(A1)'], [3, '+1+1'], [4, '@x'], [5, '-2+3'], [6, '=HYPERLINK']] as const) {
            expect(run.stderr).toMatch(new RegExp(`data\\.csv:${row}:2 {2}error {2}column 'calls': '${cell.replace(/[+()]/g, '\\$&')}.*looks like a spreadsheet formula; kra never evaluates cells`));
        }
        expect(run.stderr).toMatch(/data\.csv:7:2 {2}error/);
        expect(run.stderr).toContain('nothing was evaluated');
        expect(run.stdout).toBe('');
    }, TEST_TIMEOUT);

    it('huge numbers and NaN strings are errors with file, row and column', async () => {
        const data = scratch.write('eval-numbers', {
            'data.csv': `period,calls\n2026-01,1e999\n2026-02,NaN\n2026-03,-Infinity\n2026-04,nan\n2026-05,${'9'.repeat(400)}\n2026-06,0x10\n2026-07,1_000\n`
        });
        const run = await runKra(['eval', dir, '--data', path.join(data, 'data.csv')]);
        expectCleanExit(run, 2);
        expect(run.stderr).toMatch(/data\.csv:2:2 {2}error {2}.*'1e999' is out of range/);
        expect(run.stderr).toMatch(/data\.csv:3:2 {2}error {2}.*'NaN' is not a finite number/);
        expect(run.stderr).toMatch(/data\.csv:4:2 {2}error {2}.*'-Infinity'/);
        expect(run.stderr).toMatch(/data\.csv:5:2 {2}error {2}.*'nan' is not a finite number/);
        expect(run.stderr).toMatch(/data\.csv:6:2 {2}error {2}.*out of range/);
        expect(run.stderr).toMatch(/data\.csv:7:2 {2}error {2}.*'0x10'/);
        expect(run.stderr).toMatch(/data\.csv:8:2 {2}error {2}/);
    }, TEST_TIMEOUT);

    it('JSON data: huge numbers, NaN strings and nested objects are errors', async () => {
        const data = scratch.write('eval-json', {
            'data.json': '[{"period": "2026-01", "calls": 1e999}, {"period": "2026-02", "calls": "NaN"}, {"period": "2026-03", "calls": {"$gt": 1}}, {"period": "2026-04", "calls": "=1+1"}]'
        });
        const run = await runKra(['eval', dir, '--data', path.join(data, 'data.json')]);
        expectCleanExit(run, 2);
        expect(run.stderr).toMatch(/data\.json:1 {2}error {2}.*out of range/);
        expect(run.stderr).toMatch(/data\.json:2 {2}error {2}.*not a finite number/);
        expect(run.stderr).toMatch(/data\.json:3 {2}error {2}.*expected a number, found an object/);
        expect(run.stderr).toMatch(/data\.json:4 {2}error {2}.*spreadsheet formula/);
    }, TEST_TIMEOUT);

    it('a binary data file: a clear error, exit 2', async () => {
        const bytes = Buffer.alloc(100_000);
        for (let i = 0; i < bytes.length; i++) {
            bytes[i] = (i * 31 + 7) % 256;
        }
        const data = scratch.write('eval-binary', { 'data.csv': bytes });
        const run = await runKra(['eval', dir, '--data', path.join(data, 'data.csv')]);
        expectCleanExit(run, 2);
        expect(run.stderr).toMatch(/data\.csv(:\d+)*  error/);
        expect(run.stderr.split('\n').length).toBeLessThan(60);
    }, TEST_TIMEOUT);
});
