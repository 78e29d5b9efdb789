/**
 * Scratch folders for tests: a temporary folder per test file, removed after its tests.
 *
 *     const scratch = scratchFolder('kra-imports-');
 *     const dir = scratch.write('cycle', { 'a.kra': 'import "./b.kra"', 'b.kra': 'import "./a.kra"' });
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';

export interface ScratchFolder {
    /** The temporary folder itself. */
    readonly root: string;
    /** Writes `files` (paths relative to it, folders made as needed) into the subfolder `name`, made even when `files` is empty; returns its path. */
    write(name: string, files: Record<string, string | Uint8Array>): string;
}

/** A temporary folder named `prefix` and a random tail, removed after the calling test file's tests. Call it at the top level of a test file or a `describe`. */
export function scratchFolder(prefix: string): ScratchFolder {
    const root = mkdtempSync(path.join(tmpdir(), prefix));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    return {
        root,
        write(name, files) {
            const dir = path.join(root, name);
            mkdirSync(dir, { recursive: true });
            for (const [file, content] of Object.entries(files)) {
                mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
                writeFileSync(path.join(dir, file), content);
            }
            return dir;
        }
    };
}
