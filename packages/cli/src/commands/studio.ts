import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startStudioServer, type StudioServer } from '../studio/server.js';
import type { Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

export interface StudioOptions {
    readonly port: number;
    readonly open: boolean;
}

/**
 * KRA Studio's built files: next to the bundle (esbuild.mjs copies them there, and the published
 * package has them only there), else, when the CLI runs unbundled, the web package's dist.
 */
async function appDir(): Promise<string | undefined> {
    const hasApp = (dir: string) => fs.stat(path.join(dir, 'index.html')).then(() => true, () => false);
    const bundled = fileURLToPath(new URL('./studio/', import.meta.url));
    if (await hasApp(bundled)) {
        return bundled;
    }
    try {
        const dist = path.join(path.dirname(createRequire(import.meta.url).resolve('@kra-lang/web/package.json')), 'dist');
        return await hasApp(dist) ? dist : undefined;
    } catch {
        return undefined;
    }
}

/**
 * `kra studio`: serves KRA Studio for a workspace folder on 127.0.0.1 until interrupted (Ctrl+C).
 * 0 after a clean stop, 2 when the folder or the port cannot be used.
 */
export async function runStudio(workspace: string, options: StudioOptions, output: Output, stop: Promise<void> = interrupted()): Promise<number> {
    const root = path.resolve(workspace);
    const stat = await fs.stat(root).catch(() => undefined);
    if (!stat?.isDirectory()) {
        output.err(`kra studio: ${workspace} is not a folder; give the workspace folder to open.\n`);
        return ExitCode.failure;
    }
    const app = await appDir();
    if (app === undefined) {
        output.err('kra studio: this kra has no KRA Studio app files (the editor extension\'s kra does not ship them); install the kra command from npm (`npm install -g @kra-lang/cli`) and run it again.\n');
        return ExitCode.failure;
    }
    let server: StudioServer;
    try {
        server = await startStudioServer({ root, appDir: app, port: options.port });
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') {
            output.err(`kra studio: port ${options.port} is in use; choose another with --port, or leave --port out to take a free one.\n`);
        } else if (code === 'EACCES') {
            output.err(`kra studio: port ${options.port} may not be used by this user; choose one above 1023 with --port.\n`);
        } else {
            output.err(`kra studio: ${error instanceof Error ? error.message : String(error)}\n`);
        }
        return ExitCode.failure;
    }
    output.out(`KRA Studio for ${root}\n  ${server.url}\nOnly this computer can open it, and only with this address. Press Ctrl+C to stop.\n`);
    if (options.open) {
        const { default: open } = await import('open');
        await open(server.url).catch((error: unknown) => {
            output.err(`kra studio: could not open a browser (${error instanceof Error ? error.message : String(error)}); open the address above.\n`);
        });
    }
    await stop;
    await server.close();
    return ExitCode.clean;
}

function interrupted(): Promise<void> {
    return new Promise(resolve => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
    });
}
