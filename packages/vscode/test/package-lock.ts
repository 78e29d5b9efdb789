import { closeSync, existsSync, openSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

const PACKAGE_DIR = path.resolve(import.meta.dirname, '..');

/**
 * `npm run package` rewrites out/ and the .vsix in place; two test runs at once (several people
 * working in one clone) would trip over each other, so they take turns through a lock file.
 */
export async function withPackageLock<T>(run: () => T): Promise<T> {
    const lock = path.join(PACKAGE_DIR, '.package-test.lock');
    const deadline = Date.now() + 150_000;
    for (;;) {
        try {
            closeSync(openSync(lock, 'wx'));
            break;
        } catch {
            // A lock older than three minutes was left by a killed run.
            if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) {
                rmSync(lock, { force: true });
            } else if (Date.now() > deadline) {
                throw new Error(`${lock} is held by another run`);
            }
            await new Promise(resolve => setTimeout(resolve, 500));
        }
    }
    try {
        return run();
    } finally {
        rmSync(lock, { force: true });
    }
}
