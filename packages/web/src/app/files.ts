/**
 * Which files a Studio workspace holds, and the limits on loading them. The same rules apply to
 * every way in: a folder from `kra studio`, a folder opened in the browser, files or a zip.
 */
import { LOAD_LIMITS } from '../protocol.js';

export type FileKind = 'kra' | 'config' | 'data';

export interface WorkspaceFileText {
    /** The path inside the workspace, with `/` separators, never starting with `/` or containing `..`. */
    readonly path: string;
    readonly text: string;
}

/** A file that was left out, and why, for the message the page shows. */
export interface Refusal {
    readonly path: string;
    readonly reason: string;
}

export const CONFIG_FILE = 'kra.config.yaml';

/** Folders never loaded, as `kra check` skips them (and hidden ones). */
const SKIPPED_FOLDERS = new Set(['node_modules', 'out']);

/** What a file is to the Studio, or undefined for a file it does not load. */
export function fileKind(path: string): FileKind | undefined {
    const lower = path.toLowerCase();
    if (lower.endsWith('.kra')) {
        return 'kra';
    }
    if (path === CONFIG_FILE) {
        return 'config';
    }
    if (lower.endsWith('.csv') || lower.endsWith('.json')) {
        return 'data';
    }
    return undefined;
}

/** A folder's contents are skipped: hidden folders, node_modules, out. */
export function skippedFolder(name: string): boolean {
    return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

/** A relative path with `/` separators and no `.`, `..` or empty parts, or undefined. */
export function cleanPath(path: string): string | undefined {
    const parts = path.replace(/\\/g, '/').split('/');
    if (parts.length === 0 || parts.some(part => part === '' || part === '.' || part === '..' || part.includes('\u0000'))) {
        return undefined;
    }
    return parts.join('/');
}

/** Counts what has been admitted so far against LOAD_LIMITS. */
export class LoadBudget {
    private files = 0;
    private bytes = 0;
    readonly refusals: Refusal[] = [];

    /**
     * Whether a file of this path and (unpacked) size may be loaded; a refused one is recorded
     * with the reason. `size` may be a lower bound (a zip entry's declared size); `grow` counts
     * the rest as it arrives.
     */
    admit(path: string, size: number): boolean {
        const clean = cleanPath(path);
        const reason = clean === undefined ? 'its path leaves the workspace or is malformed'
            : clean.split('/').slice(0, -1).some(skippedFolder) ? 'it is in a hidden or skipped folder'
                : !fileKind(clean) ? 'only .kra files, kra.config.yaml and .csv or .json data files are loaded'
                    : this.files >= LOAD_LIMITS.maxFiles ? `the workspace already has ${LOAD_LIMITS.maxFiles} files, the limit`
                        : size > LOAD_LIMITS.maxFileBytes ? `it is larger than ${megabytes(LOAD_LIMITS.maxFileBytes)}, the limit for one file`
                            : this.bytes + size > LOAD_LIMITS.maxTotalBytes ? `the files together would be larger than ${megabytes(LOAD_LIMITS.maxTotalBytes)}, the limit`
                                : undefined;
        if (reason !== undefined) {
            this.refusals.push({ path, reason });
            return false;
        }
        this.files++;
        this.bytes += size;
        return true;
    }

    /** Counts `more` bytes of an admitted file; false (and a refusal) once a limit is passed. */
    grow(path: string, fileBytes: number, more: number): boolean {
        this.bytes += more;
        if (fileBytes > LOAD_LIMITS.maxFileBytes || this.bytes > LOAD_LIMITS.maxTotalBytes) {
            this.refusals.push({
                path,
                reason: `it unpacks to more than ${megabytes(fileBytes > LOAD_LIMITS.maxFileBytes ? LOAD_LIMITS.maxFileBytes : LOAD_LIMITS.maxTotalBytes)} (a zip bomb?)`
            });
            return false;
        }
        return true;
    }
}

function megabytes(bytes: number): string {
    return `${bytes / (1024 * 1024)} MB`;
}

/** Decodes UTF-8 text as the CLI reads it: a byte order mark is dropped. */
export function decodeText(bytes: Uint8Array): string {
    const text = new TextDecoder('utf-8').decode(bytes);
    return text.charCodeAt(0) === 0xFEFF ? text.substring(1) : text;
}
