import * as path from 'node:path';
import { ConfigError, UnreadablePathError, type WorkspaceTarget } from '@kra-lang/language/node';

export interface Output {
    out(text: string): void;
    err(text: string): void;
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
            return 2;
        }
        if (error instanceof UnreadablePathError) {
            output.err(`kra ${command}: ${error.message}\n`);
            return 2;
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
