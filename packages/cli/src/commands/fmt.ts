import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { URI } from 'langium';
import { createKraNodeServices, findKraFiles, resolveTarget } from '@kra-lang/language/node';
import { replaceFile } from '../files.js';
import type { Output } from './shared.js';

export interface FmtOptions {
    /** Only report the files that are not formatted; change nothing. */
    readonly check: boolean;
}

/**
 * Formats .kra files with the language server's formatter. Files with syntax errors are left
 * untouched and reported: the formatter never guesses.
 */
export async function runFmt(paths: readonly string[], options: FmtOptions, output: Output): Promise<number> {
    let files: string[];
    try {
        // The same paths as `kra check` accepts, with the same messages; only the files under
        // each path are formatted (formatting needs no workspace).
        const targets = [];
        for (const input of paths.length > 0 ? paths : ['.']) {
            targets.push(await resolveTarget(input));
        }
        files = await findKraFiles(targets.map(target => target.requested));
    } catch (error) {
        output.err(`kra fmt: ${error instanceof Error ? error.message : String(error)}\n`);
        return 2;
    }
    const { shared, Kra } = createKraNodeServices();
    const formatter = Kra.lsp.Formatter;
    const unformatted: string[] = [];
    const broken: string[] = [];
    for (const file of files) {
        const display = path.relative(process.cwd(), file) || file;
        const text = await fs.readFile(file, 'utf-8');
        // A byte order mark is kept, but not read as part of the first line (columns would be off by one).
        const bom = text.charCodeAt(0) === 0xFEFF ? '\uFEFF' : '';
        const document = shared.workspace.LangiumDocumentFactory.fromString(text.substring(bom.length), URI.file(file));
        const body = formatter.formatText(document);
        const formatted = body === undefined ? undefined : bom + body;
        if (formatted === undefined) {
            // The same syntax diagnostics as `kra check`, with their positions and wording.
            const diagnostics = await Kra.validation.DocumentValidator.validateDocument(document, { categories: ['built-in'] });
            const first = diagnostics.find(diagnostic => String(diagnostic.code).startsWith('syntax/'));
            const where = first ? `${first.range.start.line + 1}:${first.range.start.character + 1}` : '1:1';
            broken.push(`${display}:${where}  syntax error: ${first?.message ?? 'the file does not parse.'} Fix it, then format.`);
            continue;
        }
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
        return unformatted.length > 0 || broken.length > 0 ? 1 : 0;
    }
    output.out(`Formatted ${unformatted.length} of ${files.length} file${files.length === 1 ? '' : 's'}${broken.length > 0 ? `; ${broken.length} with syntax errors left as they were` : ''}.\n`);
    return broken.length > 0 ? 1 : 0;
}
