import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** Folders never searched for .kra files. */
const SKIPPED = new Set(['node_modules', 'out']);

/**
 * The .kra files under the given paths, sorted. Folders are searched recursively, skipping
 * hidden folders, node_modules and out; symbolic links are not followed.
 */
export async function findKraFiles(paths: readonly string[]): Promise<string[]> {
    const found = new Set<string>();
    const visit = async (file: string): Promise<void> => {
        const stat = await fs.lstat(file);
        if (stat.isDirectory()) {
            for (const entry of await fs.readdir(file)) {
                if (!entry.startsWith('.') && !SKIPPED.has(entry)) {
                    await visit(path.join(file, entry));
                }
            }
        } else if (stat.isFile() && file.endsWith('.kra')) {
            found.add(path.resolve(file));
        }
    };
    for (const input of paths) {
        await visit(input);
    }
    return [...found].sort();
}

/**
 * Replaces a file's content through a temporary file and a rename, keeping its permissions: a
 * crash mid-write never leaves a half-written file.
 */
export async function replaceFile(file: string, content: string): Promise<void> {
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
        const { mode } = await fs.stat(file).catch(() => ({ mode: 0o644 }));
        await fs.writeFile(temporary, content, { flag: 'wx', mode });
        await fs.rename(temporary, file);
    } catch (error) {
        await fs.rm(temporary, { force: true });
        throw error;
    }
}
