/**
 * Walking folders for `.kra` files: the rule cases (./rule-cases.ts), the parser's and the
 * grammar's tests over every case and example, the formatter's over the whole repository.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every .kra file below `folder`, in path order, leaving out hidden entries, node_modules and out. */
export function kraFiles(folder: string): string[] {
    return readdirSync(folder).sort().flatMap(entry => {
        if (entry.startsWith('.') || entry === 'node_modules' || entry === 'out') {
            return [];
        }
        const path = join(folder, entry);
        return statSync(path).isDirectory() ? kraFiles(path) : entry.endsWith('.kra') ? [path] : [];
    });
}
