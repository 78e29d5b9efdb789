/**
 * One workspace root rule for check, fmt, build, eval and diff (resolveTarget): the nearest
 * folder at or above the path that holds a kra.config.yaml, else the folder itself or the
 * file's folder — whatever form the path takes.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKra, scratchFolder } from '../../../test/support/cli.js';

const { root: scratch, write } = scratchFolder('kra-cli-root-');

const METRICS = 'metric calls "Calls handled" { unit count }\n';
/** Imports from the folder above: only right when the workspace root is above `sub/`. Not formatted. */
const SUB = `import "../metrics.kra"

kra service "Service" {
  description "Customers get through."
  kpi handled "Calls handled" {
      formula calls
    unit count
    higher is better
    target at least 100 by 2026-12-31
    weight 100%
  }
}
`;

function workspace(name: string, files: Record<string, string> = {}): string {
    return write(name, { 'kra.config.yaml': 'rules:\n  smart/time-bound: off\n', 'metrics.kra': METRICS, 'sub/b.kra': SUB, 'data/calls.csv': 'period,calls\n2026-01,120\n', ...files });
}

/**
 * The forms of naming the sub-folder, or the file in it, from inside the workspace: a folder
 * or a file; relative or absolute; with or without a trailing slash.
 */
function forms(dir: string): string[] {
    return ['sub', './sub/', `${path.join(dir, 'sub')}/`, 'sub/b.kra', path.join(dir, 'sub/b.kra')];
}

/** Each form runs `kra` a few times, each a process of its own. */
const SLOW = 120_000;

const kra = (args: string[], cwd: string) => runKra(args, { cwd });

describe('the workspace root', () => {
    const dir = workspace('ws');

    it('kra check: every form checks sub/b.kra in the workspace above it, imports resolved', async () => {
        for (const form of forms(dir)) {
            const result = await kra(['check', form, '--format', 'json'], dir);
            expect(result.code, `${form}: ${result.stdout}${result.stderr}`).toBe(0);
            const report = JSON.parse(result.stdout) as { files: Array<{ path: string; findings: Array<{ rule: string }> }> };
            expect(report.files.map(file => file.path), form).toEqual(['sub/b.kra']);
            expect(report.files[0].findings.map(finding => finding.rule), form).not.toContain('structure/import-outside-root');
        }
        // From outside the workspace too.
        const outside = await kra(['check', 'ws/sub/', '--format', 'json'], scratch);
        expect(outside.code, outside.stdout).toBe(0);
        expect((JSON.parse(outside.stdout) as { files: Array<{ path: string }> }).files.map(file => file.path)).toEqual(['ws/sub/b.kra']);
    }, SLOW);

    it('kra check: without a kra.config.yaml the root is the folder, so the import leaves it in every form alike', async () => {
        const bare = write('bare', { 'metrics.kra': METRICS, 'sub/b.kra': SUB });
        for (const form of ['sub/', 'sub/b.kra']) {
            const result = await kra(['check', form], bare);
            expect(result.code, form).toBe(1);
            expect(result.stdout, form).toContain('structure/import-outside-root');
        }
    }, SLOW);

    it('kra check: a path inside a folder that workspaces skip (out, node_modules, hidden) is checked, not dropped', async () => {
        const skipped = write('skipped', { 'kra.config.yaml': 'rules:\n  smart/time-bound: off\n', 'metrics.kra': METRICS, 'out/c.kra': SUB });
        for (const form of ['out/c.kra', 'out/']) {
            const result = await kra(['check', form, '--format', 'json'], skipped);
            expect(result.code, `${form}: ${result.stdout}`).toBe(0);
            expect((JSON.parse(result.stdout) as { files: Array<{ path: string }> }).files.map(file => file.path), form).toEqual(['out/c.kra']);
        }
    }, SLOW);

    it('kra fmt: every form formats the same file, and names it the same way', async () => {
        for (const form of forms(dir)) {
            const result = await kra(['fmt', '--check', form], dir);
            expect(result.code, form).toBe(1);
            expect(result.stdout, form).toBe('sub/b.kra\n');
        }
        expect(await kra(['fmt', '--check', 'sub/missing.kra'], dir)).toMatchObject({ code: 2, stderr: 'kra fmt: sub/missing.kra: no such file or folder\n' });
        expect(await kra(['fmt', '--check', 'kra.config.yaml'], dir)).toMatchObject({ code: 2, stderr: 'kra fmt: kra.config.yaml: is not a .kra file\n' });
    }, SLOW);

    it('kra build: every form builds the whole workspace it belongs to, and says so', async () => {
        const expected = await kra(['build', '.', '--out', path.join(scratch, 'out-root')], dir);
        expect(expected.code, expected.stderr).toBe(0);
        expect(expected.stderr).toBe('');
        const model = readFileSync(path.join(scratch, 'out-root/kra-model.json'), 'utf-8');
        expect(JSON.parse(model)).toMatchObject({ metrics: [{ id: 'calls' }], kpis: [{ id: 'service.handled' }] });
        for (const [index, form] of forms(dir).entries()) {
            const out = path.join(scratch, `out-${index}`);
            const result = await kra(['build', form, '--out', out], dir);
            expect(result.code, `${form}: ${result.stderr}`).toBe(0);
            expect(result.stderr, form).toBe(`kra build: ${form} is part of the workspace at .; using the whole workspace.\n`);
            expect(readFileSync(path.join(out, 'kra-model.json'), 'utf-8'), form).toBe(model);
        }
    }, SLOW);

    it('kra eval: every form evaluates the whole workspace it belongs to', async () => {
        const expected = await kra(['eval', '.', '--data', 'data', '--format', 'json'], dir);
        expect(expected.code, expected.stderr).toBe(0);
        expect(expected.stdout).toContain('"service.handled"');
        for (const form of forms(dir)) {
            const result = await kra(['eval', form, '--data', 'data', '--format', 'json'], dir);
            expect(result.code, `${form}: ${result.stderr}`).toBe(0);
            expect(result.stdout, form).toBe(expected.stdout);
            expect(result.stderr, form).toContain('is part of the workspace at .');
        }
    }, SLOW);

    it('kra diff: every form of either side compares the same two workspaces', async () => {
        const changed = workspace('ws-changed', { 'sub/b.kra': SUB.replace('at least 100', 'at least 120') });
        const expected = 'Organisation · Calls handled target 100 → 120 by 2026-12-31';
        for (const form of forms(dir)) {
            const other = path.isAbsolute(form) ? form.replace(dir, changed) : `../ws-changed/${form.replace(/^\.\//, '')}`;
            const result = await kra(['diff', form, other, '--format', 'json'], dir);
            expect(result.code, `${form} ${other}: ${result.stderr}`).toBe(0);
            const report = JSON.parse(result.stdout) as { base: { path: string }; head: { path: string }; changes: Array<{ message: string }> };
            expect(report.changes.map(change => change.message), form).toEqual([expected]);
            expect(report.base.path, form).toBe(path.join(scratch, 'ws'));
            expect(report.head.path, form).toBe(path.join(scratch, 'ws-changed'));
            // --path takes the same forms: the head is the workspace on disk.
            const head = await kra(['diff', path.join(scratch, 'ws'), '--path', other, '--format', 'json'], dir);
            expect(head.code, `--path ${other}: ${head.stderr}`).toBe(0);
            expect((JSON.parse(head.stdout) as { changes: Array<{ message: string }> }).changes.map(change => change.message), `--path ${other}`).toEqual([expected]);
        }
        expect(await kra(['diff', 'HEAD', '--path', 'nowhere'], dir)).toMatchObject({ code: 2, stderr: "kra diff: --path nowhere: no such file or folder.\nRun 'kra diff --help' for usage.\n" });
    }, SLOW);
});
