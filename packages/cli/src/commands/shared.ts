import * as path from 'node:path';
import { ConfigError, UnreadableFilesError, UnreadablePathError, type WorkspaceTarget } from '@kra-lang/language/node';
import { ExitCode } from '../exit-code.js';

export interface Output {
    out(text: string): void;
    err(text: string): void;
    /** Standard output without the sanitiser, for a file's own text (`kra fmt -`); `out` where absent. */
    raw?(text: string): void;
}

/**
 * Runs a step that reads the user's files; a path that cannot be read or a broken
 * kra.config.yaml becomes a clear message and exit code 2 instead of an exception.
 */
export async function loadOrReport<T>(step: () => Promise<T>, output: Output, command: string): Promise<T | number> {
    try {
        return await step();
    } catch (error) {
        if (error instanceof ConfigError) {
            const file = path.relative(process.cwd(), error.file);
            for (const problem of error.problems) {
                output.err(`${file}:${problem.line}:${problem.column}  error  ${problem.message}\n`);
            }
            output.err(`kra ${command}: fix ${file} first; nothing was checked.\n`);
            return ExitCode.failure;
        }
        if (error instanceof UnreadableFilesError) {
            const shown = error.entries.slice(0, 50);
            for (const entry of shown) {
                output.err(`kra ${command}: ${path.relative(process.cwd(), entry.path) || entry.path}: ${entry.reason}\n`);
            }
            const more = error.entries.length - shown.length;
            output.err(`kra ${command}: ${more > 0 ? `and ${more} more; ` : ''}${error.entries.length} file${error.entries.length === 1 ? ' or folder' : 's or folders'} of the workspace could not be read; nothing was checked.\n`);
            return ExitCode.failure;
        }
        if (error instanceof UnreadablePathError) {
            output.err(`kra ${command}: ${error.message}\n`);
            return ExitCode.failure;
        }
        throw error;
    }
}

/**
 * `kra build` and `kra eval` work on a whole workspace: given a file or a folder inside one,
 * they say which workspace they use (on standard error, so the output stays clean).
 */
export function noteWholeWorkspace(command: string, input: string, target: WorkspaceTarget, output: Output): void {
    if (target.requested !== target.root) {
        const root = path.relative(process.cwd(), target.root) || '.';
        output.err(`kra ${command}: ${input} is part of the workspace at ${root}; using the whole workspace.\n`);
    }
}
