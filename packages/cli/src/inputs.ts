import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { compileGlob, globBase, isGlob, SOURCE_LIMITS } from '@kra-lang/language';
import { findKraFiles, UnreadablePathError } from '@kra-lang/language/node';

/** The path argument that means "read standard input". */
export const STDIN = '-';

/**
 * The paths of a command line with quoted globs expanded (`kra check 'org/**\/*.kra'`), as a
 * shell would, for shells that do not (Windows) and for patterns that were quoted. A path that
 * exists is taken as it is, even if it contains `*` or `[`. A glob that matches no .kra file is
 * an error, not an empty check that passes. Matches skip hidden folders, node_modules and out,
 * and links are not followed, as when a folder is searched.
 */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
    const expanded: string[] = [];
    for (const input of paths) {
        const pattern = input.split(path.sep).join('/');
        if (existsSync(input) || !isGlob(pattern)) {
            expanded.push(input);
            continue;
        }
        // The same matcher as `overrides.files` (linear time, whatever the pattern).
        const compiled = compileGlob(pattern);
        if (!compiled.ok) {
            throw new UnreadablePathError(input, `this pattern ${compiled.reason}`);
        }
        // The folder before the first wildcard is searched as a workspace folder is.
        const base = globBase(pattern);
        const candidates = existsSync(base) ? await findKraFiles([base]) : [];
        const kra = candidates.filter(file => compiled.match(path.isAbsolute(pattern) ? file.split(path.sep).join('/') : path.relative(process.cwd(), file).split(path.sep).join('/')))
            .map(file => path.relative(process.cwd(), file) || file);
        if (kra.length === 0) {
            throw new UnreadablePathError(input, 'no .kra file matches this pattern');
        }
        expanded.push(...kra);
    }
    return expanded;
}

/** Standard input, whole, as UTF-8; more than a .kra file may hold is refused. */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    const limit = 3 * SOURCE_LIMITS.maxLength;
    for await (const chunk of stream) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer;
        size += buffer.length;
        if (size > limit) {
            throw new UnreadablePathError('<stdin>', `more than ${Math.round(limit / 1024 / 1024)} MB; a .kra file holds at most ${SOURCE_LIMITS.maxLength.toLocaleString('en')} characters`);
        }
        chunks.push(buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
}

/**
 * The file that standard input stands for: `--stdin-filename`, or `stdin.kra` in the current
 * folder. Its folder decides the workspace and the configuration, as for a file on disk.
 */
export function stdinPath(stdinFilename: string | undefined): string {
    const file = path.resolve(stdinFilename ?? 'stdin.kra');
    if (path.extname(file) !== '.kra') {
        throw new UnreadablePathError(stdinFilename ?? file, '--stdin-filename must name a .kra file');
    }
    return file;
}
