/**
 * Loading a workspace folder (src/workspace/kra-workspace-manager.ts): the documents come in the
 * order of their paths, whatever order their files finish reading in, and a file that can no
 * longer be read is left out instead of failing the start-up (with Langium's loader the
 * workspace then never became ready, and the language server answered no request again).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'langium';
import { afterAll, describe, expect, it } from 'vitest';
import { createKraServices } from '../src/index.js';
import { KraNodeFileSystemProvider } from '../src/node/index.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'kra-loading-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

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
});
