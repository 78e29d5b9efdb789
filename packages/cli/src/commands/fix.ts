import * as path from 'node:path';
import { isInside, loadWorkspace, type LoadedWorkspace, type WorkspaceTarget } from '@kra-lang/language/node';
import { createTwoFilesPatch } from 'diff';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { replaceFile } from '../files.js';
import type { Output } from './shared.js';

/** A fix `kra check --fix` applied: where, which rule, and what it did (the quick fix's title). */
export interface AppliedFix {
    readonly file: string;
    readonly line: number;
    readonly column: number;
    readonly rule: string;
    readonly title: string;
}

export interface FixOutcome {
    /** The texts of the files that changed: before the first fix and after the last. */
    readonly changed: ReadonlyMap<string, { readonly before: string; readonly after: string }>;
    readonly applied: readonly AppliedFix[];
    /** The texts the check should see: the fixed ones, for a dry run that writes nothing. */
    readonly overlay: ReadonlyMap<string, string>;
}

/** Fixes can enable others (an import makes a name resolve, and then its unit can be added). */
const MAX_PASSES = 10;

/**
 * Applies the editor's automatic quick fixes (KraCodeActionProvider.automaticFixes: never one
 * that changes meaning) to the requested files, in memory, pass after pass until none is left.
 * In one pass a file takes each diagnostic's first fix whose edits do not overlap those taken
 * before, so that two fixes never fight over one place.
 */
export async function computeFixes(targets: readonly WorkspaceTarget[], configFile: string | undefined, input: ReadonlyMap<string, string> = new Map()): Promise<FixOutcome> {
    const overlay = new Map(input);
    const before = new Map<string, string>();
    const found: PendingFix[] = [];
    for (let pass = 0; pass < MAX_PASSES; pass++) {
        const workspace = await loadWorkspace(targets, { configFile, overlay });
        const fixed = fixPass(workspace, targets);
        if (fixed.length === 0) {
            break;
        }
        for (const { file, text, after, fixes, edits } of fixed) {
            if (!before.has(file)) {
                before.set(file, text);
            }
            overlay.set(file, after);
            found.push(...fixes);
            // Where each fix of the file is now: moved by the edits of this pass before it.
            for (const fix of found.filter(candidate => candidate.file === file)) {
                fix.offset += edits.filter(edit => edit.start < fix.offset).reduce((shift, edit) => shift + edit.newText.length - (edit.end - edit.start), 0);
            }
        }
    }
    const changed = new Map([...before].filter(([file, text]) => overlay.get(file) !== text)
        .map(([file, text]) => [file, { before: text, after: overlay.get(file)! }] as const));
    // Positions in the files as they end up, where the reader will look.
    const applied = found.map(({ file, offset, rule, title }) => {
        const final = TextDocument.create(file, 'kra', 0, overlay.get(file) ?? '').positionAt(offset);
        return { file, rule, title, line: final.line + 1, column: final.character + 1 };
    });
    return { changed, applied, overlay };
}

/** A fix found in a pass, at an offset into its file's current text. */
interface PendingFix {
    readonly file: string;
    offset: number;
    readonly rule: string;
    readonly title: string;
}

function fixPass(workspace: LoadedWorkspace, targets: readonly WorkspaceTarget[]): Array<{ file: string; text: string; after: string; fixes: PendingFix[]; edits: Array<{ start: number; end: number; newText: string }> }> {
    const provider = workspace.services.lsp.CodeActionProvider;
    const results = [];
    for (const document of workspace.documents) {
        const file = document.uri.fsPath;
        if (!targets.some(target => isInside(target.requested, file))) {
            continue;
        }
        const uri = document.uri.toString();
        const taken: TextEdit[] = [];
        const fixes: PendingFix[] = [];
        const diagnostics = [...document.diagnostics ?? []].sort((a, b) => compare(a.range.start, b.range.start));
        for (const diagnostic of diagnostics) {
            for (const action of provider.automaticFixes(document, diagnostic)) {
                const changes = action.edit?.changes ?? {};
                const edits = changes[uri];
                // Only fixes confined to the file itself: it is the one being rewritten.
                if (!edits?.length || Object.keys(changes).length !== 1 || edits.some(edit => taken.some(other => overlaps(edit, other)))) {
                    continue;
                }
                taken.push(...edits);
                fixes.push({ file, offset: document.textDocument.offsetAt(diagnostic.range.start), rule: String(diagnostic.code ?? ''), title: action.title });
                break;
            }
        }
        if (taken.length > 0) {
            const text = document.textDocument.getText();
            const after = TextDocument.applyEdits(TextDocument.create(uri, 'kra', 0, text), taken);
            const edits = taken.map(edit => ({ start: document.textDocument.offsetAt(edit.range.start), end: document.textDocument.offsetAt(edit.range.end), newText: edit.newText }));
            results.push({ file, text, after, fixes, edits });
        }
    }
    return results;
}

function compare(a: { line: number; character: number }, b: { line: number; character: number }): number {
    return a.line - b.line || a.character - b.character;
}

/** Two edits touch the same text (insertions at one point count as overlapping: their order would be a guess). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
    return compare(a.range.start, b.range.end) <= 0 && compare(b.range.start, a.range.end) <= 0;
}

/** Writes the fixed files (each atomically) and says on stderr what was fixed where. */
export async function writeFixes(outcome: FixOutcome, output: Output): Promise<void> {
    for (const [file, { after }] of outcome.changed) {
        await replaceFile(file, after);
    }
    reportFixes(outcome, output, 'fixed');
}

/** Prints what --fix would change, as a unified diff, and says on stderr what would be fixed. */
export function printFixDiff(outcome: FixOutcome, output: Output): void {
    for (const [file, { before, after }] of [...outcome.changed].sort(([a], [b]) => a.localeCompare(b))) {
        const name = relative(file);
        output.out(createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3 }).replace(/^=+\n/, ''));
    }
    reportFixes(outcome, output, 'would fix');
}

function reportFixes(outcome: FixOutcome, output: Output, verb: 'fixed' | 'would fix'): void {
    const sorted = [...outcome.applied].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    for (const fix of sorted) {
        output.err(`${relative(fix.file)}:${fix.line}:${fix.column}  ${verb}  ${fix.title}  ${fix.rule}\n`);
    }
    const count = outcome.applied.length;
    const files = outcome.changed.size;
    output.err(count === 0
        ? `kra check: nothing to fix automatically.\n`
        : `kra check: ${verb} ${count} problem${count === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}.\n`);
}

function relative(file: string): string {
    return path.relative(process.cwd(), file).split(path.sep).join('/');
}
