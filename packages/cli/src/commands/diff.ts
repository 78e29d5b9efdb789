import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { URI } from 'langium';
import { colours as pc } from '../report/colours.js';
import { printable, printableDeep } from '../report/printable.js';
import {
    compileTolerantly, diffModels, DIFF_FORMAT_VERSION, renderMarkdown, renderText,
    type BrokenFile, type KraModel, type SemanticDiff
} from '@kra-lang/compiler';
import { SOURCE_LIMITS } from '@kra-lang/language';
import {
    CONFIG_FILE_NAME, CONFIG_FILE_NAMES, ConfigError, loadWorkspace, loadWorkspaceFromTexts, resolveTarget, UnreadablePathError, type LoadedWorkspace
} from '@kra-lang/language/node';
import { loadOrReport, type Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = typeof DIFF_FORMATS[number];

export interface DiffOptions {
    readonly path: string;
    readonly format: DiffFormat;
    readonly exitCode: boolean;
}

/** One version to compare: a folder on disk, or a git revision of the workspace folder. */
export type SideSpec =
    | { kind: 'folder'; label: string; root: string }
    | { kind: 'revision'; label: string; revision: string; commit: string; root: string; toplevel: string; relative: string };

/** A problem with the user's input: printed as one line with the usage hint, exit 2. */
class UsageError extends Error {}

interface DiffWarning {
    side: 'base' | 'head';
    file: string | null;
    line: number | null;
    message: string;
}

interface LoadedSide {
    readonly model: KraModel;
    readonly warnings: DiffWarning[];
}

const GIT_BUFFER = 256 * 1024 * 1024;

/**
 * `kra diff <base> [<head>]`: the semantic diff of two versions of a workspace. Each side is
 * a folder when such a folder exists, else a git revision of the workspace at `--path`; the
 * head defaults to the workspace at `--path` on disk (the working tree).
 */
export async function runDiff(base: string, head: string | undefined, options: DiffOptions, output: Output): Promise<number> {
    let specs: { base: SideSpec; head: SideSpec };
    try {
        const workspace = await workspaceFolder(options.path);
        specs = {
            base: await sideOf(base, workspace),
            head: head === undefined
                ? { kind: 'folder', label: options.path === '.' ? 'working tree' : `working tree (${options.path})`, root: workspace }
                : await sideOf(head, workspace)
        };
    } catch (error) {
        if (error instanceof UsageError) {
            output.err(`kra diff: ${error.message}\nRun 'kra diff --help' for usage.\n`);
            return ExitCode.failure;
        }
        throw error;
    }

    const baseSide = await loadSide(specs.base, 'base', output);
    if (typeof baseSide === 'number') {
        return baseSide;
    }
    const headSide = await loadSide(specs.head, 'head', output);
    if (typeof headSide === 'number') {
        return headSide;
    }
    const diff = diffModels(baseSide.model, headSide.model);
    const warnings = [...baseSide.warnings, ...headSide.warnings];
    const labels = { base: specs.base.label, head: specs.head.label };

    if (options.format === 'json') {
        output.out(`${JSON.stringify({
            version: DIFF_FORMAT_VERSION,
            base: describeSide(specs.base),
            head: describeSide(specs.head),
            summary: diff.summary,
            changes: diff.changes,
            warnings
        }, null, 2)}\n`);
    } else {
        for (const warning of warnings) {
            output.err(`${pc.yellow('warning')} ${printable(warning.message)}\n`);
        }
        if (options.format === 'markdown') {
            const roleTitles = new Map<string, string>();
            for (const role of [...baseSide.model.roles, ...headSide.model.roles]) {
                roleTitles.set(role.id, role.title ?? role.id);
            }
            output.out(renderMarkdown(diff, labels, { roleTitles, warnings: warnings.map(warning => warning.message) }));
        } else {
            // Coloured: the values are made printable before, not after (report/printable.ts).
            output.out(renderText(printableDeep(diff), printableDeep(labels), pc));
        }
        if (hasChanges(diff)) {
            output.out(`\n${await inForceNote(specs.head)}\n`);
        }
    }
    return options.exitCode && hasChanges(diff) ? ExitCode.errors : ExitCode.clean;
}

/**
 * When the changes take effect for scoring with `kra eval --definitions history`: for the
 * periods that close after the head's commit; closed periods keep the definitions they had.
 */
async function inForceNote(head: SideSpec): Promise<string> {
    if (head.kind === 'revision') {
        const committed = (await git(['show', '-s', '--format=%cI', head.commit], head.toplevel)).trim();
        const day = new Date(Date.parse(committed)).toISOString().slice(0, 10);
        return `In force from ${day} (committed ${committed}): with \`kra eval --definitions history\`, these changes apply to the periods that end on or after ${day}; periods that closed before keep the definitions they had.`;
    }
    return 'Not committed yet: with `kra eval --definitions history`, these changes apply to the periods that close after the commit that records them; periods already closed keep the definitions they had.';
}

function hasChanges(diff: SemanticDiff): boolean {
    return diff.summary.total > 0;
}

function describeSide(spec: SideSpec): Record<string, string> {
    return spec.kind === 'folder'
        ? { kind: 'folder', label: spec.label, path: spec.root }
        : { kind: 'revision', label: spec.label, revision: spec.revision, commit: spec.commit, path: spec.relative || '.' };
}

/**
 * The workspace root of `--path` (a folder or a .kra file), by the rule every command uses
 * (resolveTarget), as an absolute, real path.
 */
async function workspaceFolder(input: string): Promise<string> {
    try {
        return await fs.realpath((await resolveTarget(input)).root);
    } catch (error) {
        if (error instanceof UnreadablePathError) {
            throw new UsageError(`--path ${error.message}.`);
        }
        throw error;
    }
}

async function exists(candidate: string): Promise<boolean> {
    try {
        await fs.stat(candidate);
        return true;
    } catch {
        return false;
    }
}

/**
 * A folder side if `argument` names a folder or a .kra file (its workspace, by the rule every
 * command uses); else a revision of the workspace at `workspace`.
 */
async function sideOf(argument: string, workspace: string): Promise<SideSpec> {
    if (argument !== '' && await exists(argument)) {
        try {
            return { kind: 'folder', label: argument, root: await fs.realpath((await resolveTarget(argument)).root) };
        } catch (error) {
            if (error instanceof UnreadablePathError) {
                throw new UsageError(`${error.message}.`);
            }
            throw error;
        }
    }
    let toplevel: string;
    try {
        toplevel = (await git(['rev-parse', '--show-toplevel'], workspace)).trim();
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            throw new UsageError(`${argument} is not a folder, and git is not installed (or not on the PATH) to read it as a revision.`);
        }
        throw new UsageError(`${argument} is not a folder, and ${workspace} is not in a git repository, so it cannot be a revision.`);
    }
    let commit: string;
    try {
        commit = (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${argument}^{commit}`], toplevel)).trim();
    } catch {
        commit = '';
    }
    if (argument.startsWith('-') || !/^[0-9a-f]{40,64}$/.test(commit)) {
        throw new UsageError(`${argument} is neither a folder nor a git revision.`);
    }
    const relative = path.relative(await fs.realpath(toplevel), workspace).split(path.sep).join('/');
    return { kind: 'revision', label: argument, revision: argument, commit, root: workspace, toplevel, relative };
}

export function git(args: readonly string[], cwd: string): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile('git', [...args], { cwd, encoding: 'utf8', maxBuffer: GIT_BUFFER, windowsHide: true }, (error, stdout) => {
            if (error) {
                reject(error);
            } else {
                resolve(stdout);
            }
        });
    });
}

/**
 * The workspace's files in a revision: `.kra` files (regular files, not symbolic links, outside
 * hidden folders, node_modules and out) and the root kra.config.yaml, by path relative to the
 * workspace folder.
 */
export async function revisionFiles(spec: Extract<SideSpec, { kind: 'revision' }>): Promise<Map<string, string>> {
    const pathspec = spec.relative === '' ? [] : ['--', spec.relative];
    const listing = await git(['ls-tree', '-r', '-z', spec.commit, ...pathspec], spec.toplevel);
    const files = new Map<string, string>();
    const wanted: Array<{ file: string; relative: string }> = [];
    for (const entry of listing.split('\0')) {
        const tab = entry.indexOf('\t');
        if (tab < 0) {
            continue;
        }
        const [mode, type] = entry.slice(0, tab).split(' ');
        const file = entry.slice(tab + 1);
        if (type !== 'blob' || mode === '120000') {
            continue; // submodules and symbolic links are not followed
        }
        const relative = spec.relative === '' ? file : path.posix.relative(spec.relative, file);
        if (relative.startsWith('../')) {
            continue;
        }
        const segments = relative.split('/');
        const hidden = segments.some((segment, index) => segment.startsWith('.') || (index < segments.length - 1 && (segment === 'node_modules' || segment === 'out')));
        if (!hidden && (relative.endsWith('.kra') || CONFIG_FILE_NAMES.includes(relative))) {
            wanted.push({ file, relative });
        }
    }
    // A few files at a time: each is one `git cat-file blob`.
    for (let start = 0; start < wanted.length; start += 8) {
        const batch = wanted.slice(start, start + 8);
        const texts = await Promise.all(batch.map(({ file }) => gitBlob(`${spec.commit}:${file}`, spec.toplevel)));
        batch.forEach(({ relative }, index) => files.set(relative, withoutBom(texts[index])));
    }
    return files;
}

/**
 * Enough bytes for more characters than the lexer accepts (as KraNodeFileSystem reads from
 * disk): of a larger file only this much is read, and the lexer reports it as too large.
 */
const MAX_BLOB_BYTES = 3 * SOURCE_LIMITS.maxLength + 3;

/**
 * A file of a revision as text (UTF-8), reading at most MAX_BLOB_BYTES: a huge file in the
 * history neither exhausts memory nor fails the command (`git show` into a buffer would).
 */
function gitBlob(object: string, cwd: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = spawn('git', ['cat-file', 'blob', object], { cwd, windowsHide: true, stdio: ['ignore', 'pipe', 'ignore'] });
        const chunks: Buffer[] = [];
        let size = 0;
        let capped = false;
        child.stdout.on('data', (chunk: Buffer) => {
            if (capped) {
                return;
            }
            chunks.push(chunk);
            size += chunk.length;
            if (size >= MAX_BLOB_BYTES) {
                capped = true;
                child.kill();
            }
        });
        child.on('error', reject);
        child.on('close', code => {
            if (code !== 0 && !capped) {
                reject(new Error(`git cat-file blob ${object} failed (exit ${String(code)})`));
                return;
            }
            resolve(Buffer.concat(chunks).subarray(0, MAX_BLOB_BYTES).toString('utf-8'));
        });
    });
}

/**
 * A file's text as the disk loader reads it (KraNodeFileSystem): without a UTF-8 byte order
 * mark, which would otherwise be a character of the first line (a syntax error, or columns
 * one off).
 */
function withoutBom(text: string): string {
    return text.charCodeAt(0) === 0xFEFF ? text.substring(1) : text;
}

/** Loads and compiles one side; a number is the exit code of a failure already reported. */
async function loadSide(spec: SideSpec, role: 'base' | 'head', output: Output): Promise<LoadedSide | number> {
    const warnings: DiffWarning[] = [];
    let workspace: LoadedWorkspace | number;
    if (spec.kind === 'folder') {
        workspace = await loadOrReport(async () => loadWorkspace([await resolveTarget(spec.root)]), output, 'diff');
    } else {
        const files = await revisionFiles(spec);
        try {
            workspace = await loadWorkspaceFromTexts(files, spec.root);
        } catch (error) {
            if (!(error instanceof ConfigError)) {
                throw error;
            }
            // The configuration only sets rule severities, which the diff does not use.
            warnings.push({
                side: role, file: CONFIG_FILE_NAME, line: error.problems[0]?.line ?? null,
                message: `${role} (${spec.label}): ${CONFIG_FILE_NAME} is invalid; it was ignored.`
            });
            files.delete(CONFIG_FILE_NAME);
            workspace = await loadWorkspaceFromTexts(files, spec.root);
        }
    }
    if (typeof workspace === 'number') {
        return workspace;
    }
    const { model, broken } = compileTolerantly({ documents: [...workspace.documents, ...workspace.library], root: URI.file(spec.root) });
    for (const file of broken) {
        warnings.push({ side: role, file: file.file, line: file.line, message: brokenMessage(role, spec.label, file) });
    }
    return { model, warnings };
}

function brokenMessage(role: 'base' | 'head', label: string, file: BrokenFile): string {
    const errors = file.errors === 1 ? 'a syntax error' : `${file.errors} syntax errors`;
    const outcome = file.outcome === 'partial'
        ? 'the diff shows the declarations that parsed; changes in this file may be incomplete'
        : 'it could not be compiled, so its declarations are left out of the diff';
    return `${role} (${label}): ${file.file} has ${errors} (line ${file.line}: ${file.message}); ${outcome}.`;
}
