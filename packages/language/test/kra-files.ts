import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every .kra file below `folder`, in path order. */
export function kraFiles(folder: string): string[] {
    return readdirSync(folder).sort().flatMap(entry => {
        const path = join(folder, entry);
        return statSync(path).isDirectory() ? kraFiles(path) : entry.endsWith('.kra') ? [path] : [];
    });
}
