import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Replaces a file's content through a temporary file and a rename, so that a crash mid-write
 * never leaves a half-written file, keeping what makes it the same file to its owner: its mode,
 * owner and group (the temporary file gets them before the rename, so `kra fmt` run as root
 * leaves a user's file theirs). A file with other hard links is written in place instead, as is
 * one whose owner cannot be given to the temporary file (someone else's file that the user may
 * write): a rename would cut the links, or hand the file to the user. A device or a pipe is
 * written to as it is.
 */
export async function replaceFile(file: string, content: string): Promise<void> {
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat && !stat.isFile() && !stat.isDirectory()) {
        // A device or a pipe (`-o /dev/stdout`, `/dev/full`): written to, never replaced by a file.
        await fs.writeFile(file, content);
        return;
    }
    if (stat && stat.nlink > 1) {
        await writeInPlace(file, content);
        return;
    }
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
        await fs.writeFile(temporary, content, { flag: 'wx', mode: stat?.mode ?? 0o644 });
        if (stat) {
            await fs.chmod(temporary, stat.mode & 0o7777);
            const chowned = await fs.chown(temporary, stat.uid, stat.gid).then(() => true, (error: NodeJS.ErrnoException) => {
                if (error.code === 'EPERM' || error.code === 'EINVAL') {
                    return false;
                }
                throw error;
            });
            if (!chowned) {
                await fs.rm(temporary, { force: true });
                await writeInPlace(file, content);
                return;
            }
        }
        await fs.rename(temporary, file);
    } catch (error) {
        await fs.rm(temporary, { force: true });
        throw error;
    }
}

/** Overwrites a file through its own inode (keeping links, owner and mode); not atomic. */
async function writeInPlace(file: string, content: string): Promise<void> {
    await fs.writeFile(file, content, { flag: 'r+' }).then(() => fs.truncate(file, Buffer.byteLength(content)));
}

/** What went wrong with a file operation, in words: one reason per Node error code. */
export function fileErrorReason(error: unknown): string {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    switch (code) {
        case 'EACCES':
        case 'EPERM': return 'permission denied';
        case 'EEXIST': return 'it already exists';
        case 'ENOTDIR': return 'a part of the path is a file, not a folder';
        case 'EISDIR': return 'it is a folder';
        case 'ENOENT': return 'no such file or folder';
        case 'ENOSPC': return 'no space left on the device';
        case 'EDQUOT': return 'disk quota exceeded';
        case 'EROFS': return 'the file system is read-only';
        case 'ELOOP': return 'too many symbolic links';
        case 'ENAMETOOLONG': return 'the name is too long';
        case 'EMFILE':
        case 'ENFILE': return 'too many open files';
        case 'EBUSY': return 'it is busy';
        case 'EIO': return 'input/output error';
        default: return code ?? (error instanceof Error ? error.message : String(error));
    }
}

/** True for an error from the file system (it has a Node error code and a system call). */
export function isFileError(error: unknown): error is NodeJS.ErrnoException {
    return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * Creates a folder and the missing folders above it, one level at a time. Node's
 * `mkdir({ recursive: true })` loops for ever on a parent that exists but refuses new entries
 * with ENOENT (`/proc`); this gets the error instead.
 */
export async function makeFolders(folder: string): Promise<void> {
    const missing: string[] = [];
    for (let current = path.resolve(folder); ; current = path.dirname(current)) {
        const stat = await fs.stat(current).catch((error: NodeJS.ErrnoException) => {
            if (error.code === 'ENOENT') {
                return undefined;
            }
            throw error;
        });
        if (stat) {
            if (!stat.isDirectory()) {
                throw Object.assign(new Error(`${current}: not a folder`), { code: 'ENOTDIR', syscall: 'mkdir', path: current });
            }
            break;
        }
        missing.unshift(current);
        if (path.dirname(current) === current) {
            break;
        }
    }
    for (const dir of missing) {
        await fs.mkdir(dir).catch((error: NodeJS.ErrnoException) => {
            if (error.code !== 'EEXIST') {
                throw error;
            }
        });
    }
}
