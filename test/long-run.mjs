// Shared by the long runs that npm scripts start (`npm run fuzz`, `npm run soak`): reads their
// options with node's parseArgs and runs the given test files with vitest, which compiles the
// TypeScript tests itself, so nothing is built first. Plain JavaScript for that reason.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The options of a long run: `--minutes N` (a positive number, default `defaultMinutes`) and the
 * whole-number options named in `integers`. Exits 2 with `usageLine` on a bad option.
 */
export function longRunOptions(usageLine, { defaultMinutes = 10, integers = [] } = {}) {
    const usage = message => {
        process.stderr.write(`${message}\nUsage: ${usageLine}\n`);
        process.exit(2);
    };
    if (Number(process.versions.node.split('.')[0]) < 22) {
        usage(`This needs Node.js 22 or later (this is ${process.version}); run it through npm.`);
    }
    let values;
    try {
        values = parseArgs({
            options: Object.fromEntries([['minutes', { type: 'string' }], ...integers.map(name => [name, { type: 'string' }])]),
            strict: true
        }).values;
    } catch (error) {
        usage(error.message);
    }
    const minutes = values.minutes === undefined ? defaultMinutes : Number(values.minutes);
    if (!(minutes > 0)) {
        usage(`--minutes needs a positive number, not '${values.minutes}'.`);
    }
    const options = { minutes };
    for (const name of integers) {
        if (values[name] !== undefined) {
            options[name] = Number(values[name]);
            if (!Number.isInteger(options[name])) {
                usage(`--${name} needs a whole number, not '${values[name]}'.`);
            }
        }
    }
    return options;
}

/**
 * Runs vitest on `files` from the repository root with `env` added; returns its exit status.
 * The long runs' config: `npm test` leaves these files out (vitest.config.ts).
 */
export function runVitest(files, env, extraArgs = []) {
    const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
    const result = spawnSync(process.execPath, [vitest, 'run', '--config', 'vitest.long.config.ts', ...files, '--reporter=verbose', ...extraArgs], {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, ...env }
    });
    return result.status ?? 2;
}
