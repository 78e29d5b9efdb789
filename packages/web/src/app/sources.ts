/**
 * Where a workspace comes from and where saving puts it back. Nothing leaves the browser except
 * to the `kra studio` server the page came from (same origin, its own token).
 */
import { strToU8, Unzip, UnzipInflate, zipSync, type UnzipFile } from 'fflate';
import { cleanPath, decodeText, fileKind, LoadBudget, skippedFolder, type Refusal, type WorkspaceFileText } from './files.js';

export interface LoadedWorkspace {
    readonly name: string;
    readonly files: WorkspaceFileText[];
    readonly refusals: readonly Refusal[];
    readonly source: WorkspaceSource;
}

export interface WorkspaceSource {
    /** Whether saving writes the files back where they came from (else it downloads a zip). */
    readonly writesBack: boolean;
    /** Writes the given files; resolves once every one is written. */
    save(files: readonly WorkspaceFileText[], all: readonly WorkspaceFileText[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// `kra studio`: the page's own server, at the same address (the token is in the path).
// ---------------------------------------------------------------------------------------------

interface ServerListing {
    readonly kraStudio: 1;
    readonly name: string;
    /** Every file of the workspace (not in hidden folders, node_modules or out), with its size. */
    readonly files: ReadonlyArray<{ readonly path: string; readonly size: number }>;
    /** Symbolic links, which the server never follows. */
    readonly links: readonly string[];
}

/** The workspace `kra studio` serves, or undefined on a static host (no such API there). */
export async function loadFromServer(): Promise<LoadedWorkspace | undefined> {
    let response: Response;
    try {
        response = await fetch('api/files', { cache: 'no-store' });
    } catch {
        return undefined;
    }
    if (!response.ok || !(response.headers.get('content-type') ?? '').startsWith('application/json')) {
        return undefined;
    }
    const listing = await response.json() as ServerListing;
    if (listing.kraStudio !== 1) {
        return undefined;
    }
    const budget = new LoadBudget();
    const admitted = listing.files.filter(file => budget.admit(file.path, file.size));
    const files = await Promise.all(admitted.map(async file => {
        const read = await fetch(`api/file?path=${encodeURIComponent(file.path)}`, { cache: 'no-store' });
        if (!read.ok) {
            throw new Error(`${file.path}: ${(await read.text()).trim() || read.statusText}`);
        }
        return { path: file.path, text: decodeText(new Uint8Array(await read.arrayBuffer())) };
    }));
    return {
        name: listing.name,
        files,
        refusals: [...budget.refusals, ...listing.links.map(link => ({ path: link, reason: 'a symbolic link; kra studio follows none' }))],
        source: {
            writesBack: true,
            async save(changed) {
                for (const file of changed) {
                    const written = await fetch(`api/file?path=${encodeURIComponent(file.path)}`, {
                        method: 'PUT',
                        headers: { 'content-type': 'text/plain; charset=utf-8' },
                        body: file.text
                    });
                    if (!written.ok) {
                        throw new Error(`${file.path} was not saved: ${(await written.text()).trim() || written.statusText}`);
                    }
                }
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// A folder through the File System Access API (Chromium-based browsers).
// ---------------------------------------------------------------------------------------------

interface DirectoryHandle {
    readonly kind: 'directory';
    readonly name: string;
    values(): AsyncIterable<DirectoryHandle | FileHandle>;
    getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<DirectoryHandle>;
    getFileHandle(name: string, options?: { create?: boolean }): Promise<FileHandle>;
}

interface FileHandle {
    readonly kind: 'file';
    readonly name: string;
    getFile(): Promise<File>;
    createWritable(): Promise<{ write(data: string): Promise<void>; close(): Promise<void> }>;
}

type PickerWindow = Window & { showDirectoryPicker?: (options: { mode: 'readwrite' }) => Promise<DirectoryHandle> };

export function canOpenFolder(): boolean {
    return typeof (window as PickerWindow).showDirectoryPicker === 'function';
}

/** Asks for a folder and reads it; undefined when the user cancels. */
export async function openFolder(): Promise<LoadedWorkspace | undefined> {
    let root: DirectoryHandle;
    try {
        root = await (window as PickerWindow).showDirectoryPicker!({ mode: 'readwrite' });
    } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') {
            return undefined;
        }
        throw error;
    }
    const budget = new LoadBudget();
    const files: WorkspaceFileText[] = [];
    const visit = async (directory: DirectoryHandle, prefix: string): Promise<void> => {
        const entries: Array<DirectoryHandle | FileHandle> = [];
        for await (const entry of directory.values()) {
            entries.push(entry);
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
            const path = `${prefix}${entry.name}`;
            if (entry.kind === 'directory') {
                if (!skippedFolder(entry.name)) {
                    await visit(entry, `${path}/`);
                }
            } else if (fileKind(path)) {
                const file = await entry.getFile();
                if (budget.admit(path, file.size)) {
                    files.push({ path, text: decodeText(new Uint8Array(await file.arrayBuffer())) });
                }
            }
        }
    };
    await visit(root, '');
    return {
        name: root.name,
        files,
        refusals: budget.refusals,
        source: {
            writesBack: true,
            async save(changed) {
                for (const file of changed) {
                    const parts = file.path.split('/');
                    let directory = root;
                    for (const part of parts.slice(0, -1)) {
                        directory = await directory.getDirectoryHandle(part, { create: true });
                    }
                    const handle = await directory.getFileHandle(parts[parts.length - 1], { create: true });
                    // The browser writes to a temporary file and swaps it in on close: atomic.
                    const writable = await handle.createWritable();
                    await writable.write(file.text);
                    await writable.close();
                }
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Files or a zip chosen with a file input or dropped: saving downloads a zip.
// ---------------------------------------------------------------------------------------------

export const downloadZipSource: WorkspaceSource = {
    writesBack: false,
    async save(_changed, all) {
        downloadZip(all);
    }
};

/** Reads chosen files; a .zip among them is unpacked within the limits. */
export async function loadUploads(chosen: readonly File[]): Promise<LoadedWorkspace> {
    const budget = new LoadBudget();
    const files: WorkspaceFileText[] = [];
    let name = 'workspace';
    for (const file of chosen) {
        if (file.name.toLowerCase().endsWith('.zip')) {
            name = file.name.replace(/\.zip$/i, '');
            files.push(...await unzip(new Uint8Array(await file.arrayBuffer()), budget));
        } else {
            const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
            if (budget.admit(path, file.size)) {
                files.push({ path: cleanPath(path)!, text: decodeText(new Uint8Array(await file.arrayBuffer())) });
            }
        }
    }
    return { name, files: withoutCommonFolder(files), refusals: budget.refusals, source: downloadZipSource };
}

/**
 * Unpacks a zip, counting the bytes as they inflate: a zip bomb is stopped at the limit, whatever
 * sizes its directory claims.
 */
export async function unzip(data: Uint8Array, budget: LoadBudget): Promise<WorkspaceFileText[]> {
    const files: WorkspaceFileText[] = [];
    const reading: Array<Promise<void>> = [];
    const unzipper = new Unzip((entry: UnzipFile) => {
        if (entry.name.endsWith('/')) {
            return;
        }
        const declared = entry.originalSize ?? 0;
        if (!budget.admit(entry.name, declared)) {
            return;
        }
        const chunks: Uint8Array[] = [];
        let size = 0;
        let stopped = false;
        reading.push(new Promise<void>((resolve, reject) => {
            entry.ondata = (error, chunk, final) => {
                if (stopped) {
                    return;
                }
                if (error) {
                    stopped = true;
                    reject(new Error(`${entry.name}: the zip is damaged (${error.message})`));
                    return;
                }
                // The budget counted the declared size; only bytes beyond it are new.
                const before = size;
                size += chunk.length;
                const beyondDeclared = Math.max(0, size - declared) - Math.max(0, before - declared);
                if (!budget.grow(entry.name, size, beyondDeclared)) {
                    stopped = true;
                    entry.terminate();
                    resolve();
                    return;
                }
                chunks.push(chunk);
                if (final) {
                    const bytes = new Uint8Array(size);
                    let offset = 0;
                    for (const part of chunks) {
                        bytes.set(part, offset);
                        offset += part.length;
                    }
                    files.push({ path: cleanPath(entry.name)!, text: decodeText(bytes) });
                    resolve();
                }
            };
        }));
        entry.start();
    });
    unzipper.register(UnzipInflate);
    unzipper.push(data, true);
    await Promise.all(reading);
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A zip of one folder (`hello/hello.kra`) loads as the folder's contents. */
function withoutCommonFolder(files: WorkspaceFileText[]): WorkspaceFileText[] {
    const first = files[0]?.path.split('/')[0];
    if (!first || !files.every(file => file.path.startsWith(`${first}/`))) {
        return files;
    }
    return files.map(file => ({ path: file.path.substring(first.length + 1), text: file.text }));
}

export function zipWorkspace(files: readonly WorkspaceFileText[]): Uint8Array {
    // A fixed date: the same files give the same bytes.
    return zipSync(Object.fromEntries(files.map(file => [file.path, [strToU8(file.text), { mtime: new Date('2026-01-01T00:00:00Z') }]])), { level: 6 });
}

export function downloadZip(files: readonly WorkspaceFileText[], name = 'workspace.zip'): void {
    const url = URL.createObjectURL(new Blob([zipWorkspace(files) as BlobPart], { type: 'application/zip' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
