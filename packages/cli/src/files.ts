import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';

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
