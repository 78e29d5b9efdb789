import { stat } from 'node:fs/promises';
import type { LangiumDocument } from 'langium';
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { fileErrorReason, makeFolders, replaceFile } from '../files.js';
import { printableOutput } from '../report/printable.js';
import { checkWithCache, isInside, loadWorkspace, resolveTarget, resolveVirtualTarget, type CheckedFile, type WorkspaceTarget } from '@kra-lang/language/node';
import { expandPaths, readStdin, STDIN, stdinPath } from '../inputs.js';
import { collectFindings } from '../report/findings.js';
import { formatGithub } from '../report/github.js';
import { formatGitlab } from '../report/gitlab.js';
import { formatJson } from '../report/json.js';
import { formatSarif } from '../report/sarif.js';
import { formatStylish } from '../report/stylish.js';
import type { CHECK_FORMATS } from '../report/formats.js';
import { VERSION } from '../version.js';
import { computeFixes, printFixDiff, writeFixes } from './fix.js';
import { loadOrReport, type Output } from './shared.js';
import { ExitCode } from '../exit-code.js';


export interface CheckOptions {
    readonly format: typeof CHECK_FORMATS[number];
    /** Exit 1 when there are more warnings than this. */
    readonly maxWarnings?: number;
    readonly config?: string;
    /** Report errors only. */
    readonly quiet: boolean;
    /** Apply the automatic fixes to the files, then report what is left. */
    readonly fix?: boolean;
    /** Print the automatic fixes as a unified diff, write nothing, and report what would be left. */
    readonly fixDryRun?: boolean;
    /** Write the report to this file instead of standard output. */
    readonly outputFile?: string;
    /** The file that standard input (the path `-`) stands for. */
    readonly stdinFilename?: string;
    /** Reuse the findings of unchanged files from the cache, and write it. */
    readonly cache?: boolean;
    /** The cache file, or a folder to keep `.kracache` in; `.kracache` in the working folder by default. */
    readonly cacheLocation?: string;
}

/** The cache file's name in a folder. */
const CACHE_FILE_NAME = '.kracache';

/** The cache file `--cache-location` names: a file, or `.kracache` in a folder (one that exists, or a path ending in /). */
async function cacheFile(location: string | undefined): Promise<string> {
    if (location === undefined) {
        return path.resolve(CACHE_FILE_NAME);
    }
    const isFolder = /[\\/]$/.test(location) || (await stat(location).catch(() => undefined))?.isDirectory();
    return isFolder ? path.resolve(location, CACHE_FILE_NAME) : path.resolve(location);
}

function formatReport(format: CheckOptions['format'], findings: ReturnType<typeof collectFindings>, files: string[], fileCount: number): string {
    switch (format) {
        case 'json': return formatJson(findings, files);
        case 'sarif': return formatSarif(findings, VERSION);
        case 'github': return formatGithub(findings);
        case 'gitlab': return formatGitlab(findings);
        default: return formatStylish(findings, fileCount);
    }
}

/** Writes a report file atomically, in plain text (no colour codes): 0, or 2 when it cannot be written. */
async function writeReport(file: string, report: string, output: Output): Promise<number> {
    try {
        await makeFolders(path.dirname(path.resolve(file)));
        await replaceFile(path.resolve(file), printableOutput(stripVTControlCharacters(report), false));
        return ExitCode.clean;
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'EEXIST' ? fileErrorReason({ code: 'ENOTDIR' }) : fileErrorReason(error);
        output.err(`kra check: cannot write the report to ${file}: ${reason}. Nothing was written.\n`);
        return ExitCode.failure;
    }
}

export async function runCheck(paths: readonly string[], options: CheckOptions, output: Output): Promise<number> {
    const targets: WorkspaceTarget[] = [];
    let input = new Map<string, string>();
    if (paths.includes(STDIN)) {
        if (paths.length > 1 || options.fix) {
            output.err(`kra check: '-' (standard input) must be the only path, and cannot be fixed in place; use --fix-dry-run for a diff.\nRun 'kra --help' for usage.\n`);
            return ExitCode.failure;
        }
        const stdin = await loadOrReport(async () => {
            const file = stdinPath(options.stdinFilename);
            return { file, text: await readStdin(), target: await resolveVirtualTarget(file) };
        }, output, 'check');
        if (typeof stdin === 'number') {
            return stdin;
        }
        input = new Map([[stdin.file, stdin.text]]);
        targets.push(stdin.target);
    }
    const expanded = await loadOrReport(() => expandPaths(paths.filter(path => path !== STDIN)), output, 'check');
    if (typeof expanded === 'number') {
        return expanded;
    }
    let unreadable = false;
    for (const input of expanded) {
        const target = await loadOrReport(() => resolveTarget(input), output, 'check');
        if (typeof target === 'number') {
            unreadable = true;
        } else {
            targets.push(target);
        }
    }
    if (unreadable) {
        return ExitCode.failure;
    }
    let overlay: ReadonlyMap<string, string> = input;
    if (options.fix || options.fixDryRun) {
        const fixes = await loadOrReport(() => computeFixes(targets, options.config, input), output, 'check');
        if (typeof fixes === 'number') {
            return fixes;
        }
        if (options.fixDryRun) {
            printFixDiff(fixes, output);
            overlay = fixes.overlay;
        } else {
            await writeFixes(fixes, output);
        }
    }
    // The cache is for files on disk: standard input and a dry run's fixed texts are checked without it.
    const cached = options.cache && overlay.size === 0;
    const checked = await loadOrReport(async (): Promise<ReadonlyArray<LangiumDocument | CheckedFile>> => {
        if (cached) {
            const file = await cacheFile(options.cacheLocation);
            const result = await checkWithCache(targets, { configFile: options.config, cacheFile: file, cacheName: path.relative(process.cwd(), file) || file, toolVersion: VERSION });
            result.notes.forEach(note => output.err(`kra check: ${note}\n`));
            if (process.env.KRA_CACHE_STATS) {
                const phases = Object.entries(result.stats.phases).map(([name, ms]) => `${name} ${ms} ms`).join(', ');
                output.err(`kra check: cache: ${result.stats.files} files, ${result.stats.checked} checked again, ${result.stats.loaded} loaded (${phases})\n`);
            }
            return result.files;
        }
        // Only the findings are read: each file's syntax tree is released once it is parsed.
        return (await loadWorkspace(targets, { configFile: options.config, overlay, releaseTrees: true })).documents;
    }, output, 'check');
    if (typeof checked === 'number') {
        return checked;
    }
    const requested = checked.filter(document =>
        targets.some(target => isInside(target.requested, document.uri.fsPath)));
    const all = collectFindings(requested, process.cwd());
    const findings = options.quiet ? all.filter(finding => finding.severity === 'error') : all;
    const files = requested.map(document => path.relative(process.cwd(), document.uri.fsPath).split(path.sep).join('/'));
    // A dry run prints the diff alone, so that it can be piped into `git apply`.
    if (!options.fixDryRun) {
        const report = formatReport(options.format, findings, files, requested.length);
        if (options.outputFile === undefined) {
            output.out(report);
        } else {
            const written = await writeReport(options.outputFile, report, output);
            if (written !== ExitCode.clean) {
                return written;
            }
        }
    }
    const errors = all.filter(finding => finding.severity === 'error').length;
    const warnings = all.filter(finding => finding.severity === 'warning').length;
    if (errors > 0) {
        return ExitCode.errors;
    }
    if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
        output.err(`kra check: ${warnings} warnings, more than --max-warnings ${options.maxWarnings}.\n`);
        return ExitCode.errors;
    }
    return ExitCode.clean;
}
