/**
 * Loading a workspace folder (src/workspace/kra-workspace-manager.ts): the documents come in the
 * order of their paths, whatever order their files finish reading in, and a file that can no
 * longer be read is left out instead of failing the start-up (with Langium's loader the
 * workspace then never became ready, and the language server answered no request again).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { URI } from 'langium';
import { describe, expect, it } from 'vitest';
import { scratchFolder } from '../../../test/support/scratch.js';
import { createKraServices, type KraWorkspaceManager } from '../src/index.js';
import { MAX_OPEN_FILES } from '../src/workspace/kra-workspace-manager.js';
import { ConfigError, KraNodeFileSystemProvider, loadWorkspaceFromTexts, MAX_CONFIG_BYTES } from '../src/node/index.js';

const { root: scratch } = scratchFolder('kra-loading-');

/** The disk, with a hook before each read. */
class HookedFileSystem extends KraNodeFileSystemProvider {
    constructor(private readonly beforeRead: (file: string) => Promise<void>) {
        super();
    }

    override async readFile(uri: URI): Promise<string> {
        await this.beforeRead(uri.fsPath);
        return super.readFile(uri);
    }
}

async function load(folder: string, beforeRead: (file: string) => Promise<void>): Promise<string[]> {
    const { shared } = createKraServices({ fileSystemProvider: () => new HookedFileSystem(beforeRead) });
    await shared.workspace.WorkspaceManager.initializeWorkspace([{ name: 'ws', uri: URI.file(folder).toString() }]);
    await shared.workspace.WorkspaceManager.ready;
    return shared.workspace.LangiumDocuments.all.toArray()
        .filter(document => document.uri.scheme === 'file')
        .map(document => path.basename(document.uri.fsPath));
}

describe('loading a workspace folder', () => {
    it('adds the documents in path order, whatever order the reads finish in', async () => {
        const folder = path.join(scratch, 'order');
        rmSync(folder, { recursive: true, force: true });
        mkdirSync(folder);
        for (const file of ['a.kra', 'b.kra', 'c.kra']) {
            writeFileSync(path.join(folder, file), `metric m_${file[0]} "M" {\n  unit count\n}\n`);
        }
        // a.kra finishes last, c.kra first.
        const delays: Record<string, number> = { 'a.kra': 60, 'b.kra': 30, 'c.kra': 0 };
        const names = await load(folder, file => new Promise(resolve => setTimeout(resolve, delays[path.basename(file)])));
        expect(names).toEqual(['a.kra', 'b.kra', 'c.kra']);
    });

    it('leaves out a file deleted between listing the folder and reading it, and becomes ready', async () => {
        const folder = path.join(scratch, 'vanishing');
        rmSync(folder, { recursive: true, force: true });
        mkdirSync(folder);
        for (const file of ['a.kra', 'b.kra']) {
            writeFileSync(path.join(folder, file), `metric m_${file[0]} "M" {\n  unit count\n}\n`);
        }
        const names = await load(folder, async file => {
            if (path.basename(file) === 'b.kra') {
                rmSync(file);
            }
        });
        expect(names).toEqual(['a.kra']);
    });

    it('reads at most MAX_OPEN_FILES files at once, however many there are (1,024 open files ran out)', async () => {
        const folder = path.join(scratch, 'many');
        rmSync(folder, { recursive: true, force: true });
        mkdirSync(folder);
        const count = 3 * MAX_OPEN_FILES + 5;
        for (let i = 0; i < count; i++) {
            writeFileSync(path.join(folder, `f${String(i).padStart(4, '0')}.kra`), `metric m${i} "M" {\n  unit count\n}\n`);
        }
        let open = 0;
        let most = 0;
        const { shared } = createKraServices({
            fileSystemProvider: () => new HookedFileSystem(async () => {
                most = Math.max(most, ++open);
                await new Promise(resolve => setTimeout(resolve, 1));
                open--;
            })
        });
        await shared.workspace.WorkspaceManager.initializeWorkspace([{ name: 'ws', uri: URI.file(folder).toString() }]);
        expect(shared.workspace.LangiumDocuments.all.filter(document => document.uri.scheme === 'file').count()).toBe(count);
        expect(most).toBeGreaterThan(1);
        expect(most).toBeLessThanOrEqual(MAX_OPEN_FILES);
    });

    it('records a file or folder it cannot read, with the reason, instead of only logging it', async () => {
        const folder = path.join(scratch, 'unreadable');
        rmSync(folder, { recursive: true, force: true });
        mkdirSync(path.join(folder, 'locked'), { recursive: true });
        for (const file of ['a.kra', 'b.kra', 'locked/c.kra']) {
            writeFileSync(path.join(folder, file), `metric m_${path.basename(file)[0]} "M" {\n  unit count\n}\n`);
        }
        const denied = (file: string) => Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
        class DenyingFileSystem extends KraNodeFileSystemProvider {
            override async readFile(uri: URI): Promise<string> {
                if (path.basename(uri.fsPath) === 'b.kra') {
                    throw denied(uri.fsPath);
                }
                return super.readFile(uri);
            }
            override async readDirectory(uri: URI) {
                if (path.basename(uri.fsPath) === 'locked') {
                    throw denied(uri.fsPath);
                }
                return super.readDirectory(uri);
            }
        }
        const { shared } = createKraServices({ fileSystemProvider: () => new DenyingFileSystem() });
        const errors: unknown[] = [];
        const original = console.error;
        console.error = (...args: unknown[]) => errors.push(args);
        try {
            await shared.workspace.WorkspaceManager.initializeWorkspace([{ name: 'ws', uri: URI.file(folder).toString() }]);
        } finally {
            console.error = original;
        }
        const manager = shared.workspace.WorkspaceManager as KraWorkspaceManager;
        expect(manager.unreadable.map(entry => [path.relative(folder, entry.uri.fsPath), entry.reason]).sort()).toEqual([
            ['b.kra', 'permission denied (EACCES)'],
            ['locked', 'permission denied (EACCES)']
        ]);
        expect(errors).toEqual([]);
    });
});

describe('loading a workspace from texts (a git revision)', () => {
    it('refuses a kra.config.yaml over the size cap before parsing it, as from disk', async () => {
        const files = new Map([['kra.config.yaml', `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`], ['a.kra', 'metric a "A" {\n  unit count\n}\n']]);
        const error = await loadWorkspaceFromTexts(files, scratch).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems[0].message).toMatch(/at most 1 MB/);
    });
});
