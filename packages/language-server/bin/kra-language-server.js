#!/usr/bin/env node
// The KRA Lang language server. Editors start it with --stdio or --node-ipc (or
// --socket=<port>); vscode-languageserver picks the transport from those arguments.
// Langium needs Node 22 or later; when started by an older Node (for example the system one),
// re-run on the Node that `npm ci` installed with the project, passing the streams through.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
    let projectNode;
    try {
        projectNode = path.join(path.dirname(createRequire(import.meta.url).resolve('node/package.json')), 'bin', 'node');
    } catch {
        process.stderr.write(`kra-language-server needs Node.js 22 or later; this is ${process.version}. Install Node.js 22 or later (https://nodejs.org, or: nvm install 22); in a clone of the KRA Lang repository, npm ci brings it.\n`);
        process.exit(2);
    }
    const ipc = process.argv.includes('--node-ipc');
    // With --node-ipc the client talks over the IPC channel it opened to this process; relay
    // the messages both ways, since the child cannot inherit that channel directly.
    const child = spawn(projectNode, [import.meta.filename ?? new URL(import.meta.url).pathname, ...process.argv.slice(2)], {
        stdio: ipc ? ['inherit', 'inherit', 'inherit', 'ipc'] : 'inherit'
    });
    if (ipc) {
        process.on('message', message => child.send(message));
        child.on('message', message => process.send?.(message));
    }
    for (const signal of ['SIGINT', 'SIGTERM']) {
        process.on(signal, () => child.kill(signal));
    }
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 2)));
} else {
    const { startServer } = await import('../out/main.js');
    const { name, version } = createRequire(import.meta.url)('../package.json');
    startServer({ name: name.replace(/^@kra-lang\//, 'kra-'), version });
}
