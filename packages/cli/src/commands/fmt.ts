import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { URI } from 'langium';
import { createKraNodeServices, findKraFiles, resolveTarget } from '@kra-lang/language/node';
import { replaceFile } from '../files.js';
import { expandPaths, readStdin, STDIN, stdinPath } from '../inputs.js';
import type { Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

export interface FmtOptions {
    /** Only report the files that are not formatted; change nothing. */
    readonly check: boolean;
    /** The file that standard input (the path `-`) stands for, in messages. */
    readonly stdinFilename?: string;
}

/**
 * Formats .kra files with the language server's formatter. Files with syntax errors are left
 * untouched and reported: the formatter never guesses.
 */
export async function runFmt(paths: readonly string[], options: FmtOptions, output: Output): Promise<number> {
    if (paths.includes(STDIN)) {
        return paths.length === 1 ? formatStdin(options, output) : usage(output);
    }
    let files: string[];
    try {
        // The same paths as `kra check` accepts, with the same messages; only the files under
        // each path are formatted (formatting needs no workspace).
        const expanded = await expandPaths(paths);
        const targets = [];
        for (const input of expanded.length > 0 ? expanded : ['.']) {
            targets.push(await resolveTarget(input));
        }
        files = await findKraFiles(targets.map(target => target.requested));
    } catch (error) {
        output.err(`kra fmt: ${error instanceof Error ? error.message : String(error)}\n`);
        return ExitCode.failure;
    }
    const format = formatterFor();
    const unformatted: string[] = [];
    const broken: string[] = [];
    for (const file of files) {
        const display = path.relative(process.cwd(), file) || file;
        const text = await fs.readFile(file, 'utf-8');
        const result = await format(text, file, display);
        if (typeof result !== 'string') {
            broken.push(result.problem);
            continue;
        }
        const formatted = result;
        if (formatted !== text) {
            unformatted.push(display);
            if (!options.check) {
                await replaceFile(file, formatted);
            }
        }
    }
    for (const line of broken) {
        output.err(`${line}\n`);
    }
    if (options.check) {
        for (const file of unformatted) {
            output.out(`${file}\n`);
        }
        if (unformatted.length > 0) {
            output.err(`kra fmt: ${unformatted.length} of ${files.length} file${files.length === 1 ? ' is' : 's are'} not formatted. Run 'kra fmt' to format ${unformatted.length === 1 ? 'it' : 'them'}.\n`);
        }
        return unformatted.length > 0 || broken.length > 0 ? ExitCode.errors : ExitCode.clean;
    }
    output.out(`Formatted ${unformatted.length} of ${files.length} file${files.length === 1 ? '' : 's'}${broken.length > 0 ? `; ${broken.length} with syntax errors left as they were` : ''}.\n`);
    return broken.length > 0 ? ExitCode.errors : ExitCode.clean;
}

function usage(output: Output): number {
    output.err(`kra fmt: '-' (standard input) must be the only path.\nRun 'kra --help' for usage.\n`);
    return ExitCode.failure;
}

/**
 * A formatter of .kra texts: the formatted text, or the first syntax error (the same diagnostic,
 * position and wording as `kra check`): files that do not parse are never guessed at.
 */
function formatterFor(): (text: string, file: string, display: string) => Promise<string | { problem: string }> {
    const { shared, Kra } = createKraNodeServices();
    return async (text, file, display) => {
        // A byte order mark is kept, but not read as part of the first line (columns would be off by one).
        const bom = text.charCodeAt(0) === 0xFEFF ? '\uFEFF' : '';
        const document = shared.workspace.LangiumDocumentFactory.fromString(text.substring(bom.length), URI.file(file));
        const body = Kra.lsp.Formatter.formatText(document);
        if (body !== undefined) {
            return bom + body;
        }
        const diagnostics = await Kra.validation.DocumentValidator.validateDocument(document, { categories: ['built-in'] });
        const first = diagnostics.find(diagnostic => String(diagnostic.code).startsWith('syntax/'));
        const where = first ? `${first.range.start.line + 1}:${first.range.start.character + 1}` : '1:1';
        return { problem: `${display}:${where}  syntax error: ${first?.message ?? 'the file does not parse.'} Fix it, then format.` };
    };
}

/**
 * `kra fmt -`: formats standard input to standard output (for editors and pipes). With --check,
 * prints nothing and exits 1 when the text is not formatted. A text with a syntax error is not
 * printed (a pipe into the file would lose it): the error goes to stderr, exit 1.
 */
async function formatStdin(options: FmtOptions, output: Output): Promise<number> {
    let text: string;
    let file: string;
    try {
        file = stdinPath(options.stdinFilename);
        text = await readStdin();
    } catch (error) {
        output.err(`kra fmt: ${error instanceof Error ? error.message : String(error)}\n`);
        return ExitCode.failure;
    }
    const display = path.relative(process.cwd(), file) || file;
    const result = await formatterFor()(text, file, display);
    if (typeof result !== 'string') {
        output.err(`${result.problem}\n`);
        return ExitCode.errors;
    }
    if (options.check) {
        if (result !== text) {
            output.out(`${display}\n`);
            output.err(`kra fmt: ${display} (standard input) is not formatted.\n`);
            return ExitCode.errors;
        }
        return ExitCode.clean;
    }
    (output.raw ?? output.out)(result);
    return ExitCode.clean;
}
