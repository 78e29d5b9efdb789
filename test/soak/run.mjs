#!/usr/bin/env node
// `npm run soak -- [--minutes N]`: the language server edit soak of test/soak for N minutes
// (default 10). Exits 1, with the figures, when the server's memory grows beyond the bound,
// the server exits, or a request is not answered; 0 when memory stayed bounded.
// Plain JavaScript: vitest compiles the TypeScript soak itself, so nothing is built first.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function usage(message) {
    process.stderr.write(`${message}\nUsage: npm run soak -- [--minutes N]\n`);
    process.exit(2);
}

let minutes = 10;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split('=', 2);
    const value = inline ?? args[++i];
    if (name === '--minutes') {
        minutes = Number(value);
        if (!(minutes > 0)) {
            usage(`--minutes needs a positive number, not '${value}'.`);
        }
    } else {
        usage(`Unknown option '${args[i]}'.`);
    }
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
    usage(`The soak needs Node.js 22 or later (this is ${process.version}); run it with npm run soak.`);
}

const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
process.stderr.write(`Soaking the language server for ${minutes} minute(s)…\n`);
const result = spawnSync(process.execPath, [vitest, 'run', 'test/soak/soak.test.ts', '--reporter=verbose'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, KRA_SOAK_SECONDS: String(Math.round(minutes * 60)) }
});
if (result.status !== 0) {
    process.stderr.write('\nnpm run soak: FAILED (see the figures above: memory not bounded, the server exited, or a request went unanswered).\n');
}
process.exit(result.status === 0 ? 0 : 1);
