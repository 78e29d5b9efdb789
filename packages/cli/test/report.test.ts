import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKra, scratchFolder } from '../../../test/support/cli.js';

const EXAMPLE = ['report', 'examples/contact-centre', '--data', 'examples/contact-centre/data'];
const scratch = scratchFolder('kra-report-');

// Each test runs kra in processes of its own, on a machine that may be busy.
describe('kra report', { timeout: 180_000 }, () => {
    it('writes the same bytes for the same input, and says what it wrote', async () => {
        const first = path.join(scratch.root, 'first.html');
        const second = path.join(scratch.root, 'second.html');
        const run = await runKra([...EXAMPLE, '--out', first]);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/^kra report: wrote .*first\.html \(\d+ KiB\): 10 roles, 38 KPIs, 32 periods, focus 2026-12\.\n$/);
        expect((await runKra([...EXAMPLE, '--out', second])).code).toBe(0);
        const bytes = readFileSync(first);
        expect(bytes.equals(readFileSync(second))).toBe(true);
        const html = bytes.toString('utf8');
        expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
        expect(html).toContain("default-src 'none'");
        // No temporary file is left next to the report.
        expect(readdirSync(scratch.root).filter(name => name.endsWith('.tmp'))).toEqual([]);
    });

    it('shows the period asked for', async () => {
        const out = path.join(scratch.root, 'june.html');
        const run = await runKra([...EXAMPLE, '--out', out, '--period', '2026-06', '--title', 'Mid-year review']);
        expect(run.code).toBe(0);
        const html = readFileSync(out, 'utf8');
        expect(html).toContain('<h1>Mid-year review</h1>');
        expect(html).toContain('Scorecard for <strong>2026-06</strong>');
    });

    it('refuses a missing --data with the usage hint (exit 2)', async () => {
        const run = await runKra(['report', 'examples/contact-centre', '--out', path.join(scratch.root, 'x.html')]);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("required option '-d, --data <file-or-dir>' not specified");
    });

    it('refuses data that does not exist, or does not parse, and keeps the report it had', async () => {
        const out = path.join(scratch.root, 'kept.html');
        writeFileSync(out, 'the previous report');
        const missing = await runKra(['report', 'examples/contact-centre', '--data', 'examples/contact-centre/no-such-data', '--out', out]);
        expect(missing.code).toBe(2);
        expect(missing.stderr).toBe('kra report: --data examples/contact-centre/no-such-data does not exist.\n');
        const bad = scratch.write('bad-data', { 'calls.csv': 'period,team,calls_offered\n2026-13,north,ten\n' });
        const broken = await runKra(['report', 'examples/contact-centre', '--data', bad, '--out', out]);
        expect(broken.code).toBe(2);
        expect(broken.stderr).toMatch(/calls\.csv:2:\d+ +error/);
        expect(broken.stderr).toMatch(/kra report: \d+ errors? in the data; nothing was evaluated\.\n$/);
        expect(readFileSync(out, 'utf8')).toBe('the previous report');
    });

    it('refuses an --out it cannot write, before any work, with one line (exit 2)', async () => {
        const folder = await runKra([...EXAMPLE, '--out', scratch.root]);
        expect(folder.code).toBe(2);
        expect(folder.stderr).toBe(`kra report: --out ${scratch.root} is a folder; give the file to write, such as report.html.\n`);
        const file = path.join(scratch.root, 'a-file');
        writeFileSync(file, '');
        const under = path.join(file, 'report.html');
        const missing = await runKra([...EXAMPLE, '--out', under]);
        expect(missing.code).toBe(2);
        expect(missing.stderr).toBe(`kra report: --out ${under} cannot be written: the folder ${file} does not exist.\n`);
    });

    // root may write into any folder, so this runs for other users only.
    it.skipIf(process.getuid?.() === 0)('refuses a read-only folder', async () => {
        const folder = scratch.write('read-only', { 'keep.txt': '' });
        chmodSync(folder, 0o555);
        try {
            const run = await runKra([...EXAMPLE, '--out', path.join(folder, 'report.html')]);
            expect(run.code).toBe(2);
            expect(run.stderr).toBe(`kra report: --out ${path.join(folder, 'report.html')} cannot be written: the folder ${folder} is not writable.\n`);
        } finally {
            chmodSync(folder, 0o755);
        }
    });

    it('refuses a --period that is not in the data', async () => {
        const run = await runKra([...EXAMPLE, '--out', path.join(scratch.root, 'y.html'), '--period', '2030-01']);
        expect(run.code).toBe(2);
        expect(run.stderr).toBe('kra report: --period 2030-01 is not in the data, which has 2025-01 to 2026-Q4; choose one of its periods.\n');
    });

    it('refuses a workspace with errors unless --allow-errors (exit 1)', async () => {
        const workspace = scratch.write('broken', { 'a.kra': 'kpi x "X" {\n  formula nope\n}\n' });
        const data = scratch.write('broken-data', { 'd.csv': 'period,nope\n2026-01,1\n' });
        const run = await runKra(['report', workspace, '--data', data, '--out', path.join(scratch.root, 'z.html')]);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/kra report: the workspace has \d+ errors?; nothing was evaluated\. Fix them, or pass --allow-errors\.\n$/);
    });
});
