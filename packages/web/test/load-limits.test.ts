/**
 * What the Studio loads from files and zips: only workspace files, within the limits, and a zip
 * that lies about its sizes (a zip bomb) is stopped as it inflates, not trusted.
 */
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { cleanPath, fileKind, LoadBudget } from '../src/app/files.js';
import { unzip, zipWorkspace } from '../src/app/sources.js';
import { LOAD_LIMITS } from '../src/protocol.js';

/** A zip whose local header claims `claimed` bytes for its first file, whatever it holds. */
function lyingZip(name: string, content: Uint8Array, claimed: number): Uint8Array {
    const zip = zipSync({ [name]: content }, { level: 9 });
    // Local file header: signature 0x04034b50, uncompressed size at offset 22 (little-endian).
    expect(new DataView(zip.buffer).getUint32(0, true)).toBe(0x04034b50);
    new DataView(zip.buffer).setUint32(22, claimed, true);
    return zip;
}

describe('what a workspace loads', () => {
    it('takes .kra files, kra.config.yaml at the root and .csv or .json data', () => {
        expect(fileKind('a/b.kra')).toBe('kra');
        expect(fileKind('kra.config.yaml')).toBe('config');
        expect(fileKind('sub/kra.config.yaml')).toBeUndefined();
        expect(fileKind('data/x.CSV')).toBe('data');
        expect(fileKind('notes.md')).toBeUndefined();
    });

    it('refuses paths that leave the workspace', () => {
        expect(cleanPath('a/b.kra')).toBe('a/b.kra');
        expect(cleanPath('a\\b.kra')).toBe('a/b.kra');
        for (const path of ['../x.kra', '/etc/x.kra', 'a//b.kra', 'a/./b.kra', '']) {
            expect(cleanPath(path), path).toBeUndefined();
        }
    });

    it('counts files and bytes against the limits, saying why a file is left out', () => {
        const budget = new LoadBudget();
        expect(budget.admit('a.kra', 10)).toBe(true);
        expect(budget.admit('big.kra', LOAD_LIMITS.maxFileBytes + 1)).toBe(false);
        expect(budget.admit('.git/x.kra', 1)).toBe(false);
        expect(budget.admit('node_modules/x.kra', 1)).toBe(false);
        expect(budget.admit('run.sh', 1)).toBe(false);
        expect(budget.refusals.map(refusal => refusal.path)).toEqual(['big.kra', '.git/x.kra', 'node_modules/x.kra', 'run.sh']);
        expect(budget.refusals[0].reason).toContain('larger than 5 MB');
    });

    it('unpacks a zip of a workspace, and zips it back with the same files', async () => {
        const files = [{ path: 'data/a.csv', text: 'period,x\n2026-01,1\n' }, { path: 'hello.kra', text: 'organisation hello "Hello" {}\n' }];
        const budget = new LoadBudget();
        expect(await unzip(zipWorkspace(files), budget)).toEqual(files);
        expect(budget.refusals).toEqual([]);
        expect(zipWorkspace(files)).toEqual(zipWorkspace(files));
    });

    it('stops a zip bomb that claims a small size at the limit', async () => {
        const bomb = lyingZip('bomb.csv', new Uint8Array(LOAD_LIMITS.maxFileBytes * 2).fill(48), 100);
        expect(bomb.length).toBeLessThan(100 * 1024);
        const budget = new LoadBudget();
        const files = await unzip(bomb, budget);
        expect(files).toEqual([]);
        expect(budget.refusals).toHaveLength(1);
        expect(budget.refusals[0]).toMatchObject({ path: 'bomb.csv' });
        expect(budget.refusals[0].reason).toContain('zip bomb');
    });

    it('leaves out the files a zip may not bring, and loads the rest', async () => {
        const zip = zipSync({ 'ws/a.kra': strToU8('organisation a "A" {}\n'), 'ws/run.sh': strToU8('echo\n'), 'ws/.hidden/b.kra': strToU8('') });
        const budget = new LoadBudget();
        const files = await unzip(zip, budget);
        expect(files.map(file => file.path)).toEqual(['ws/a.kra']);
        expect(budget.refusals.map(refusal => refusal.path).sort()).toEqual(['ws/.hidden/b.kra', 'ws/run.sh']);
    });
});
