#!/usr/bin/env node
// The kra command. Langium needs Node 22 or later; when started by an older Node (for
// example the system one), re-run on the Node that `npm ci` installed with the project.
import { spawnSync } from 'node:child_process';
import * as nodeModule from 'node:module';
import path from 'node:path';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
    let projectNode;
    try {
        projectNode = path.join(path.dirname(nodeModule.createRequire(import.meta.url).resolve('node/package.json')), 'bin', 'node');
    } catch {
        process.stderr.write(`kra needs Node.js 22 or later; this is ${process.version}. Install Node.js 22 or later (https://nodejs.org, or: nvm install 22); in a clone of the KRA Lang repository, npm ci brings it.\n`);
        process.exit(2);
    }
    const result = spawnSync(projectNode, [new URL(import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(result.status ?? 2);
}

// `kra … | head` closes the pipe early: that is the reader's choice, not an error. Any other
// failure to write the output (a full disk, `> /dev/full`, a closed terminal) is an I/O problem:
// one line and exit 2, not a stack trace and the exit code of "errors found".
process.stdout.on('error', error => {
    if (error.code === 'EPIPE') {
        process.exit(process.exitCode ?? 0);
    }
    try {
        process.stderr.write(`kra: cannot write to standard output: ${error.code ?? error.message}${WRITE_ERRORS[error.code] ? ` (${WRITE_ERRORS[error.code]})` : ''}\n`);
    } finally {
        process.exit(2);
    }
});

/** The reasons a write most often fails, in words. */
const WRITE_ERRORS = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EIO: 'input/output error',
    EBADF: 'standard output is closed',
    EFBIG: 'the file is too large',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted'
};

// Node keeps compiled code between runs (in the system's temporary folder).
nodeModule.enableCompileCache?.();

const { mainModule } = await import('./main-module.js');
const { main } = await import(mainModule());
process.exitCode = await main(process.argv.slice(2));
