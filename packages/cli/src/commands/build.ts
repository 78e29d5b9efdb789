import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { URI } from 'langium';
import { stringify } from 'yaml';
import { compileWorkspace, sliceModel, validateModel, type KraModel } from '@kra-lang/compiler';
import { loadWorkspace, resolveTarget } from '@kra-lang/language/node';
import { collectFindings } from '../report/findings.js';
import { formatStylish } from '../report/stylish.js';
import { fileErrorReason, makeFolders } from '../files.js';
import { loadOrReport, noteWholeWorkspace, type Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

export interface BuildOptions {
    readonly out: string;
    readonly format: 'json' | 'yaml';
    readonly split: boolean;
    readonly allowErrors: boolean;
}

/** A file to write: its path relative to --out and the model it holds. */
interface OutputFile {
    readonly name: string;
    readonly model: KraModel;
}

export async function runBuild(workspacePath: string, options: BuildOptions, output: Output): Promise<number> {
    const target = await loadOrReport(() => resolveTarget(workspacePath), output, 'build');
    if (typeof target === 'number') {
        return target;
    }
    noteWholeWorkspace('build', workspacePath, target, output);
    const outDir = path.resolve(options.out);
    const outProblem = await checkOutDir(outDir);
    if (outProblem) {
        output.err(`kra build: --out ${options.out} ${outProblem}\n`);
        return ExitCode.failure;
    }
    const workspace = await loadOrReport(() => loadWorkspace([target]), output, 'build');
    if (typeof workspace === 'number') {
        return workspace;
    }
    const findings = collectFindings(workspace.documents, process.cwd());
    const errors = findings.filter(finding => finding.severity === 'error');
    if (errors.length > 0 && !options.allowErrors) {
        output.err(formatStylish(errors, workspace.documents.length));
        output.err(`kra build: the workspace has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was written. Fix them, or pass --allow-errors.\n`);
        return ExitCode.errors;
    }
    const model = compileWorkspace({ documents: [...workspace.documents, ...workspace.library], root: URI.file(target.root) });
    const files = outputFiles(model, options);
    for (const file of files) {
        const problems = validateModel(file.model);
        if (problems.length > 0) {
            output.err(`kra build: internal error: the output ${file.name} does not match the published schema:\n`);
            for (const problem of problems.slice(0, 20)) {
                output.err(`  ${problem.path}: ${problem.message}\n`);
            }
            output.err('This is a bug in kra; nothing was written. Please report it with the workspace that triggers it.\n');
            return ExitCode.failure;
        }
    }
    try {
        await writeAtomically(outDir, files.map(file => ({ name: file.name, content: serialise(file.model, options.format) })));
    } catch (error) {
        if (error instanceof OutsideOutError) {
            output.err(`kra build: --out ${options.out}: ${error.message} Nothing was written.\n`);
            return ExitCode.failure;
        }
        // Past the checks, the disk itself failed (full, read-only): the files already renamed
        // into place are complete; none is half-written.
        output.err(`kra build: --out ${options.out}: cannot write: ${fileErrorReason(error)}.\n`);
        return ExitCode.failure;
    }
    output.out(`Wrote ${files.length} file${files.length === 1 ? '' : 's'} to ${path.relative(process.cwd(), outDir) || '.'}: ${model.kpis.length} KPIs, ${model.kras.length} KRAs, ${model.roles.length} roles.\n`);
    return ExitCode.clean;
}

async function checkOutDir(outDir: string): Promise<string | undefined> {
    try {
        const stat = await fs.stat(outDir);
        if (!stat.isDirectory()) {
            return 'exists and is not a folder';
        }
        await fs.access(outDir, fs.constants.W_OK);
        return undefined;
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
            return undefined; // created on write
        }
        return code === 'EACCES' ? 'is not writable' : `cannot be used (${code ?? 'unknown error'})`;
    }
}

function serialise(model: KraModel, format: BuildOptions['format']): string {
    return format === 'json' ? `${JSON.stringify(model, null, 2)}\n` : stringify(model, { lineWidth: 0 });
}

function outputFiles(model: KraModel, options: BuildOptions): OutputFile[] {
    const extension = options.format === 'json' ? 'json' : 'yaml';
    const files: OutputFile[] = [{ name: `kra-model.${extension}`, model }];
    if (options.split) {
        for (const department of model.departments) {
            files.push({ name: `departments/${department.id}.${extension}`, model: sliceModel(model, { department: department.id }) });
        }
        for (const role of model.roles) {
            files.push({ name: `roles/${role.id}.${extension}`, model: sliceModel(model, { role: role.id }) });
        }
    }
    return files;
}

/** A destination that cannot be written (outside --out, a link, a folder, no permission); a usage problem, not a crash. */
class OutsideOutError extends Error { }

/**
 * Whether a destination can be written, found without changing anything: every folder between
 * --out and the file is a real, writable folder or missing (created later), and the file itself
 * is missing or a regular file. A link (say a committed `out/departments` pointing elsewhere)
 * would carry the write outside --out.
 */
async function checkDestination(outDir: string, name: string): Promise<void> {
    const destination = path.resolve(outDir, name);
    if (path.relative(outDir, destination).startsWith('..')) {
        throw new OutsideOutError(`refusing to write outside --out: ${name}.`);
    }
    const lstat = (file: string) => fs.lstat(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
            return undefined; // created on write
        }
        throw new OutsideOutError(`${path.relative(outDir, file)} cannot be used: ${fileErrorReason(error)}.`);
    });
    if (!await lstat(outDir)) {
        return; // --out is created on write (checkOutDir has checked what is above it)
    }
    let current = outDir;
    for (const segment of path.relative(outDir, path.dirname(destination)).split(path.sep).filter(part => part !== '')) {
        current = path.join(current, segment);
        const stat = await lstat(current);
        if (!stat) {
            return;
        }
        if (stat.isSymbolicLink()) {
            throw new OutsideOutError(`${path.relative(outDir, current)} is a symbolic link; kra build writes only inside --out and does not follow links. Remove the link or choose another --out.`);
        }
        if (!stat.isDirectory()) {
            throw new OutsideOutError(`${path.relative(outDir, current)} is in the way: it is a file, and kra build needs a folder there. Remove it or choose another --out.`);
        }
    }
    await fs.access(path.dirname(destination), fs.constants.W_OK).catch(() => {
        throw new OutsideOutError(`${path.relative(outDir, path.dirname(destination)) || '.'} is not writable.`);
    });
    const stat = await lstat(destination);
    if (stat && !stat.isFile()) {
        throw new OutsideOutError(`${name} is in the way: it is ${stat.isDirectory() ? 'a folder' : stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}, and kra build replaces only files. Remove it or choose another --out.`);
    }
}

/** Temporary files a killed build left next to `destination`. */
async function removeStaleTemporaries(destination: string): Promise<void> {
    const base = path.basename(destination);
    const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d+\\.[0-9a-f]{8}\\.tmp$`);
    for (const entry of await fs.readdir(path.dirname(destination))) {
        if (pattern.test(entry)) {
            await fs.rm(path.join(path.dirname(destination), entry), { force: true });
        }
    }
}

/**
 * Writes each file to a temporary name in its final folder and renames it into place, so a
 * reader (or a killed build) never sees a half-written file. Every destination is checked before
 * anything is written or created (docs/security.md).
 */
async function writeAtomically(outDir: string, files: ReadonlyArray<{ name: string; content: string }>): Promise<void> {
    for (const file of files) {
        await checkDestination(outDir, file.name);
    }
    for (const file of files) {
        const destination = path.resolve(outDir, file.name);
        await makeFolders(path.dirname(destination));
        await removeStaleTemporaries(destination);
        const temporary = `${destination}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
        try {
            await fs.writeFile(temporary, file.content, { flag: 'wx' });
            await fs.rename(temporary, destination);
        } catch (error) {
            await fs.rm(temporary, { force: true });
            throw error;
        }
    }
}
