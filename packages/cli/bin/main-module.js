// Where the kra command's `main` lives: the bundle when it is current, else the modules tsc
// wrote. Used by bin/kra.js and by the tests' command runner (test/support/kra-runner.mjs).
import { readFileSync, statSync } from 'node:fs';

/**
 * The bundle (out/bundle/, made by esbuild.mjs after tsc) loads much faster than the several
 * hundred modules it holds (docs/performance.md, "Figures behind design choices"). It is used
 * unless a tsc build is newer than it (in a checkout where someone ran tsc without
 * `npm run bundle`): then the modules tsc wrote are run, as they are when there is no bundle at
 * all. A few stat calls.
 */
export function mainModule() {
    return bundleIfCurrent() ?? new URL('../out/main.js', import.meta.url).href;
}

function bundleIfCurrent() {
    const dir = new URL('../out/bundle/', import.meta.url);
    try {
        const entry = new URL('main.mjs', dir);
        const built = statSync(entry).mtimeMs;
        // The files that make the bundle out of date when they are newer: tsc's build info, the
        // package.json the version was taken from.
        const { newer } = JSON.parse(readFileSync(new URL('inputs.json', dir), 'utf8'));
        for (const file of newer) {
            let changed;
            try {
                changed = statSync(new URL(file, dir)).mtimeMs;
            } catch {
                continue; // an installed package has no tsc build info
            }
            if (changed > built) {
                return undefined;
            }
        }
        return entry.href;
    } catch {
        return undefined;
    }
}
