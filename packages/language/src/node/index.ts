/**
 * The Node.js side of the language core: loading workspaces from disk. Shells that run in
 * Node (the CLI, the language server) use it; the core itself never touches the file system.
 */
import { constants as fsConstants } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { URI, UriUtils, type FileSystemNode, type LangiumDocument } from 'langium';
import { NodeFileSystemProvider } from 'langium/node';
import { SOURCE_LIMITS } from '../parser/kra-lexer.js';
import { createKraServices, type KraServices, type KraSharedServices } from '../lsp/kra-lsp-module.js';
import { BUILTIN_LIBRARY_URI } from '../builtins/builtin-library.js';
import { CONFIG_FILE_NAME, CONFIG_FILE_NAMES, isMisnamedConfig, MAX_CONFIG_BYTES, parseConfig, type ConfigProblem, type KraConfig } from '../config/kra-config.js';
import { SKIPPED_FOLDERS } from './memory-workspace.js';

export { CONFIG_FILE_NAME, CONFIG_FILE_NAMES, MAX_CONFIG_BYTES };


/**
 * Langium's file system access, reading .kra files as editors show them: a UTF-8 byte order mark
 * is dropped (columns on the first line would be one off), and of a file far beyond the size
 * limit only enough is read for the lexer to report it (memory stays bounded).
 */
export class KraNodeFileSystemProvider extends NodeFileSystemProvider {

    /**
     * @param overlay texts that stand in for files, by absolute path: what `kra check -` reads
     * from standard input, or the text `kra check --fix-dry-run` would write. A path in it that
     * does not exist on disk is listed in its folder as if it did.
     */
    constructor(private readonly overlay: ReadonlyMap<string, string> = new Map()) {
        super();
    }

    override async readFile(uri: URI): Promise<string> {
        const overlaid = this.overlay.get(uri.fsPath);
        if (overlaid !== undefined) {
            return withoutBom(overlaid);
        }
        const { size } = await fs.stat(uri.fsPath);
        if (size <= MAX_READ_BYTES) {
            return withoutBom(await super.readFile(uri));
        }
        const handle = await fs.open(uri.fsPath, 'r');
        try {
            const buffer = Buffer.alloc(MAX_READ_BYTES);
            const { bytesRead } = await handle.read(buffer, 0, MAX_READ_BYTES, 0);
            return withoutBom(buffer.subarray(0, bytesRead).toString('utf-8'));
        } finally {
            await handle.close();
        }
    }

    override readFileSync(uri: URI): string {
        return withoutBom(this.overlay.get(uri.fsPath) ?? super.readFileSync(uri));
    }

    override async readDirectory(uri: URI): Promise<FileSystemNode[]> {
        const entries = await super.readDirectory(uri);
        for (const file of this.overlay.keys()) {
            const fileUri = URI.file(file);
            if (path.dirname(file) === uri.fsPath && !entries.some(entry => UriUtils.equals(entry.uri, fileUri))) {
                entries.push({ isFile: true, isDirectory: false, uri: fileUri });
            }
        }
        return entries;
    }
}

/** Enough bytes for more characters than SOURCE_LIMITS.maxLength (a character takes at most 3 bytes per UTF-16 unit). */
const MAX_READ_BYTES = 3 * SOURCE_LIMITS.maxLength + 3;

function withoutBom(text: string): string {
    return text.charCodeAt(0) === 0xFEFF ? text.substring(1) : text;
}

export const KraNodeFileSystem = {
    fileSystemProvider: () => new KraNodeFileSystemProvider()
};

export function createKraNodeServices(overlay?: ReadonlyMap<string, string>): { shared: KraSharedServices; Kra: KraServices } {
    return createKraServices(overlay ? { fileSystemProvider: () => new KraNodeFileSystemProvider(overlay) } : KraNodeFileSystem);
}

/** A path the user named that cannot be used, with the reason in words. */
export class UnreadablePathError extends Error {
    constructor(readonly path: string, reason: string) {
        super(`${path}: ${reason}`);
    }
}

/** Files or folders of a workspace that could not be read: the workspace is not checked without them. */
export class UnreadableFilesError extends UnreadablePathError {
    constructor(readonly entries: ReadonlyArray<{ readonly path: string; readonly reason: string }>) {
        super(entries[0].path, `${entries[0].reason}${entries.length > 1 ? ` (and ${entries.length - 1} more unreadable)` : ''}`);
    }
}

export interface WorkspaceTarget {
    /** The workspace root: the folder whose .kra files are loaded and that imports may not leave. */
    readonly root: string;
    /** The file or folder the user asked about, inside `root` (absolute, without a trailing separator). */
    readonly requested: string;
    /** Whether `requested` is a file or a folder. */
    readonly kind: 'file' | 'folder';
}

/**
 * The workspace of a path given on the command line: the one rule for `kra check`, `fmt`,
 * `build`, `eval` and `diff`, whatever form the path takes (a folder or a file; relative or
 * absolute; with or without a trailing slash). The root is the nearest folder at or above the
 * path (the folder itself, or the file's folder) that holds a kra.config.yaml; without one, it
 * is the folder itself, or the file's folder. So `sub/`, `sub` and `sub/b.kra` all belong to
 * the same workspace. docs/cli.md states the rule.
 */
export async function resolveTarget(input: string): Promise<WorkspaceTarget> {
    const absolute = path.resolve(input);
    let stat;
    try {
        stat = await fs.stat(absolute);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new UnreadablePathError(input, code === 'ENOENT' ? 'no such file or folder'
            : code === 'ENOTDIR' ? 'no such file or folder (a part of the path is a file)' : `cannot be read (${code ?? 'unknown error'})`);
    }
    if (stat.isDirectory()) {
        await assertReadable(input, absolute);
        return { root: await findRoot(absolute), requested: absolute, kind: 'folder' };
    }
    if (!stat.isFile()) {
        throw new UnreadablePathError(input, 'is neither a file nor a folder');
    }
    if ((await fs.lstat(absolute)).isSymbolicLink()) {
        // The loader never follows links (a link could lead out of the workspace), so the file
        // would not be checked: say so rather than report no problems.
        throw new UnreadablePathError(input, 'is a symbolic link, and kra does not follow symbolic links; give the file it points to');
    }
    if (path.extname(absolute) !== '.kra') {
        throw new UnreadablePathError(input, 'is not a .kra file');
    }
    await assertReadable(input, absolute);
    return { root: await findRoot(path.dirname(absolute)), requested: absolute, kind: 'file' };
}

/**
 * The workspace of a .kra file that need not exist on disk: the text of standard input, named by
 * `--stdin-filename`. Its folder must exist; the workspace is found as for a file on disk.
 */
export async function resolveVirtualTarget(file: string): Promise<WorkspaceTarget> {
    const absolute = path.resolve(file);
    const folder = path.dirname(absolute);
    const stat = await fs.stat(folder).catch(() => undefined);
    if (!stat?.isDirectory()) {
        throw new UnreadablePathError(path.dirname(file), 'no such folder (it holds the file named by --stdin-filename)');
    }
    return { root: await findRoot(folder), requested: absolute, kind: 'file' };
}

async function assertReadable(input: string, absolute: string): Promise<void> {
    try {
        await fs.access(absolute, fs.constants.R_OK);
    } catch {
        throw new UnreadablePathError(input, 'permission denied');
    }
}

/** The nearest folder at or above `start` that holds a kra.config.yaml, or else `start`. */
async function findRoot(start: string): Promise<string> {
    for (let dir = start; ; dir = path.dirname(dir)) {
        for (const name of CONFIG_FILE_NAMES) {
            try {
                await fs.access(path.join(dir, name));
                return dir;
            } catch {
                // keep looking upwards
            }
        }
        if (path.dirname(dir) === dir) {
            return start;
        }
    }
}

export interface LoadedWorkspace {
    readonly services: KraServices;
    /** Every workspace document, built and validated (all rule categories). */
    readonly documents: LangiumDocument[];
    /** The built-in library (units, perspectives), which compiled output refers to. */
    readonly library: LangiumDocument[];
}

/** Problems in a workspace's kra.config.yaml; the workspace is not checked with a broken config. */
export class ConfigError extends Error {
    constructor(readonly file: string, readonly problems: readonly ConfigProblem[]) {
        super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the configuration`);
    }
}

/**
 * The configuration file of a workspace root: `kra.config.yaml` or `kra.config.yml`, or
 * undefined when there is none. Two of them, or only a file named like a configuration that
 * kra does not read (`.kra.yaml`, `kra.config.json`), are an UnreadablePathError: the rules
 * must not silently stay at their defaults.
 */
export async function findConfigFile(root: string): Promise<string | undefined> {
    let entries: string[];
    try {
        entries = await fs.readdir(root);
    } catch {
        return undefined;
    }
    const found = CONFIG_FILE_NAMES.filter(name => entries.includes(name));
    if (found.length > 1) {
        throw new UnreadablePathError(path.join(root, found[1]), `${found.join(' and ')} are both here; kra reads one configuration per workspace. Merge them into ${CONFIG_FILE_NAME} and delete the other.`);
    }
    if (found.length === 1) {
        return path.join(root, found[0]);
    }
    const misnamed = entries.filter(isMisnamedConfig).sort()[0];
    if (misnamed !== undefined) {
        throw new UnreadablePathError(path.join(root, misnamed), `looks like a KRA Lang configuration, but kra reads only ${CONFIG_FILE_NAMES.join(' or ')}. Rename it (YAML), or move it out of the workspace root.`);
    }
    return undefined;
}

/** Reads the configuration of a root (see findConfigFile), if there is one. Throws ConfigError when it is invalid. */
export async function readConfig(root: string, file?: string): Promise<KraConfig | undefined> {
    file ??= await findConfigFile(root);
    if (file === undefined) {
        return undefined;
    }
    const text = await readConfigText(file);
    if (text === undefined) {
        return undefined;
    }
    const result = parseConfig(text);
    if (!result.ok) {
        throw new ConfigError(file, result.problems);
    }
    return result.config;
}

/**
 * The text of a configuration file, read as .kra files are: a regular file, not through a
 * symbolic link (a link could lead out of the workspace, and its target's content would show in
 * the messages), never a device or a FIFO (`/dev/stdin`, a pipe: reading would wait for ever),
 * and at most MAX_CONFIG_BYTES. The file is opened without following a link and without
 * blocking, and judged by what was opened, so it cannot be swapped between the check and the
 * read. Undefined when there is no such file; an UnreadablePathError, quoting nothing of the
 * file, for anything else.
 */
export async function readConfigText(file: string): Promise<string | undefined> {
    let handle: fs.FileHandle;
    try {
        handle = await fs.open(file, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0));
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
            return undefined;
        }
        if (code === 'ELOOP' || code === 'EMLINK' || (await fs.lstat(file).catch(() => undefined))?.isSymbolicLink()) {
            throw new UnreadablePathError(file, 'is a symbolic link, and kra does not follow symbolic links; put the configuration itself here');
        }
        throw new UnreadablePathError(file, code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? 'unknown error'})`);
    }
    try {
        const stat = await handle.stat();
        if (!stat.isFile()) {
            throw new UnreadablePathError(file, `is ${stat.isDirectory() ? 'a folder' : 'not a regular file (a device, a pipe or a socket)'}; a configuration must be a plain file`);
        }
        if (stat.size > MAX_CONFIG_BYTES) {
            throw new UnreadablePathError(file, `is ${formatSize(stat.size)}; a configuration may hold at most ${formatSize(MAX_CONFIG_BYTES)}`);
        }
        // The size may grow after the stat: read one byte past the cap to notice.
        const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
        let length = 0;
        for (;;) {
            const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
            if (bytesRead === 0 || length + bytesRead >= buffer.length) {
                length += bytesRead;
                break;
            }
            length += bytesRead;
        }
        if (length > MAX_CONFIG_BYTES) {
            throw new UnreadablePathError(file, `holds more than ${formatSize(MAX_CONFIG_BYTES)}; a configuration may hold at most that`);
        }
        return withoutBom(buffer.subarray(0, length).toString('utf-8'));
    } catch (error) {
        if (error instanceof UnreadablePathError) {
            throw error;
        }
        throw new UnreadablePathError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
    } finally {
        await handle.close();
    }
}

function formatSize(bytes: number): string {
    return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB` : `${bytes.toLocaleString('en')} bytes`;
}

export interface LoadOptions {
    /** A kra.config.yaml to use for every workspace instead of each root's own. */
    readonly configFile?: string;
    /** Texts that stand in for files, by absolute path (see KraNodeFileSystemProvider). */
    readonly overlay?: ReadonlyMap<string, string>;
    /**
     * Release each file's syntax tree once it is parsed (KraWorkspaceManager.releaseLoadedTrees):
     * for a consumer that reads only the findings, as `kra check` does.
     */
    readonly releaseTrees?: boolean;
}

async function readExplicitConfig(file: string): Promise<KraConfig> {
    const absolute = path.resolve(file);
    const config = await readConfig(path.dirname(absolute), absolute);
    if (!config) {
        throw new UnreadablePathError(file, 'no such file');
    }
    return config;
}

/** The workspace roots of some targets, each with the configuration that applies in it. */
export interface PreparedRoots {
    /** The roots, none inside another. */
    readonly roots: readonly string[];
    readonly configs: ReadonlyMap<string, KraConfig | undefined>;
    /** The paths the user named. */
    readonly requested: readonly string[];
}

/** The roots of the targets and their configurations (`--config` for all, or each root's own). */
export async function prepareRoots(targets: readonly WorkspaceTarget[], options: LoadOptions = {}): Promise<PreparedRoots> {
    const roots = [...new Set(targets.map(target => target.root))]
        .filter((root, _, all) => !all.some(other => other !== root && isInside(other, root)));
    const explicitConfig = options.configFile !== undefined ? await readExplicitConfig(options.configFile) : undefined;
    const configs = new Map<string, KraConfig | undefined>();
    for (const root of roots) {
        configs.set(root, explicitConfig ?? await readConfig(root));
    }
    return { roots, configs, requested: targets.filter(target => !options.overlay?.has(target.requested)).map(target => target.requested) };
}

/** Loads and builds the workspaces of the given targets, running every check. */
export async function loadWorkspace(targets: readonly WorkspaceTarget[], options: LoadOptions = {}): Promise<LoadedWorkspace> {
    const { shared, Kra } = createKraNodeServices(options.overlay);
    const { roots, configs } = await prepareRoots(targets, options);
    for (const [root, config] of configs) {
        Kra.validation.RuleSettings.setConfig(URI.file(root), config);
    }
    const workspaceManager = shared.workspace.WorkspaceManager;
    workspaceManager.initialBuildOptions = { validation: { categories: ['built-in', 'fast', 'slow'] } };
    workspaceManager.releaseLoadedTrees = options.releaseTrees ?? false;
    await workspaceManager.initializeWorkspace(roots.map(root => ({ name: path.basename(root), uri: URI.file(root).toString() })));
    // The editor leaves out a file it cannot read and shows why; a check that passes without
    // having seen every file would lie, so here it is an error.
    const unreadable = workspaceManager.unreadable;
    if (unreadable.length > 0) {
        throw new UnreadableFilesError(unreadable.map(entry => ({ path: entry.uri.fsPath, reason: entry.reason })));
    }
    // A path given inside a folder that workspaces skip (hidden, node_modules, out below the
    // root) is still what the user asked about: its files are loaded too, not silently dropped.
    const documents = shared.workspace.LangiumDocuments;
    // (Texts that stand in for files, such as standard input, are not on disk to be searched.)
    const onDisk = targets.filter(target => !options.overlay?.has(target.requested));
    const skipped = (await findKraFiles(onDisk.map(target => target.requested)))
        .filter(file => !documents.hasDocument(URI.file(file)));
    if (skipped.length > 0) {
        const extra: LangiumDocument[] = [];
        const failed: Array<{ path: string; reason: string }> = [];
        for (const file of skipped) {
            try {
                extra.push(await documents.getOrCreateDocument(URI.file(file)));
            } catch (error) {
                failed.push({ path: file, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
            }
        }
        if (failed.length > 0) {
            throw new UnreadableFilesError(failed);
        }
        await shared.workspace.DocumentBuilder.build(extra, workspaceManager.initialBuildOptions);
    }
    const all = documents.all.toArray();
    return {
        services: Kra,
        documents: all.filter(document => document.uri.toString() !== BUILTIN_LIBRARY_URI),
        library: all.filter(document => document.uri.toString() === BUILTIN_LIBRARY_URI)
    };
}

/**
 * The .kra files under the given paths, sorted and absolute. Folders are searched recursively,
 * skipping hidden entries, node_modules and out, as a workspace is loaded; symbolic links are
 * not followed.
 */
export async function findKraFiles(paths: readonly string[]): Promise<string[]> {
    const found = new Set<string>();
    const visit = async (file: string): Promise<void> => {
        const stat = await fs.lstat(file);
        if (stat.isDirectory()) {
            for (const entry of await fs.readdir(file)) {
                if (!entry.startsWith('.') && !SKIPPED_FOLDERS.has(entry)) {
                    await visit(path.join(file, entry));
                }
            }
        } else if (stat.isFile() && file.endsWith('.kra')) {
            found.add(path.resolve(file));
        }
    };
    for (const input of paths) {
        await visit(input);
    }
    return [...found].sort();
}

/** True when `child` is `parent` or lies below it. */
export function isInside(parent: string, child: string): boolean {
    const relative = path.relative(parent, child);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
export * from './memory-workspace.js';
export * from './check-cache.js';
