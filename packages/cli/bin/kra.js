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
        process.stderr.write(`kra needs Node.js 22 or later; this is ${process.version}. Run it through npm (npx kra …) after npm ci, or install Node 22.\n`);
        process.exit(2);
    }
    const result = spawnSync(projectNode, [new URL(import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(result.status ?? 2);
}

// `kra … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', error => {
    if (error.code === 'EPIPE') {
        process.exit(process.exitCode ?? 0);
    }
    throw error;
});

// Node keeps compiled code between runs, which roughly halves start-up.
nodeModule.enableCompileCache?.();

const { main } = await import('../out/main.js');
process.exitCode = await main(process.argv.slice(2));
