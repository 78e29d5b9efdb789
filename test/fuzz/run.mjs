#!/usr/bin/env node
// `npm run fuzz -- --minutes N [--seed S]`: runs the property-based tests of test/fuzz with
// fresh seeds for N minutes (default 10) and reports every counterexample with its seed: the
// documents through the pipeline (fuzz.test.ts) and the language server over the protocol
// (lsp.test.ts), side by side.
// Plain JavaScript: vitest compiles the TypeScript tests itself, so nothing is built first.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function usage(message) {
    process.stderr.write(`${message}\nUsage: npm run fuzz -- [--minutes N] [--seed S]\n`);
    process.exit(2);
}

let minutes = 10;
let seed;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split('=', 2);
    const value = inline ?? args[++i];
    if (name === '--minutes') {
        minutes = Number(value);
        if (!(minutes > 0)) {
            usage(`--minutes needs a positive number, not '${value}'.`);
        }
    } else if (name === '--seed') {
        seed = Number(value);
        if (!Number.isInteger(seed)) {
            usage(`--seed needs a whole number, not '${value}'.`);
        }
    } else {
        usage(`Unknown option '${args[i]}'.`);
    }
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
    usage(`The fuzzer needs Node.js 22 or later (this is ${process.version}); run it with npm run fuzz.`);
}

const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
process.stderr.write(`Fuzzing for ${minutes} minute(s)${seed === undefined ? ' with fresh seeds' : ` with seed ${seed}`}…\n`);
const result = spawnSync(process.execPath, [vitest, 'run', 'test/fuzz/fuzz.test.ts', 'test/fuzz/lsp.test.ts', '--maxWorkers=2', '--reporter=verbose'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, KRA_FUZZ_MINUTES: String(minutes), ...(seed === undefined ? {} : { KRA_FUZZ_SEED: String(seed) }) }
});
process.exit(result.status ?? 2);
