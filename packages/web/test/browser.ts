/**
 * What the browser tests share: Debian's Chromium through playwright-core (npm cannot download a
 * browser here; .ci/run installs the Debian package), and `kra studio` started as a user would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = path.join(REPO, 'packages', 'cli', 'bin', 'kra.js');

export const CHROMIUM = '/usr/bin/chromium';

/** A fresh Chromium profile each time, no network of its own (updates, sync, QUIC). */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
    const profile = mkdtempSync(path.join(tmpdir(), 'kra-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1440, height: 900 },
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
    });
    return {
        context,
        async close() {
            await context.close();
            rmSync(profile, { recursive: true, force: true });
        }
    };
}

/** Copies folders (later ones over earlier ones) into a fresh temporary workspace. */
export function workspaceFrom(...sources: string[]): string {
    const root = mkdtempSync(path.join(tmpdir(), 'kra-studio-ws-'));
    for (const source of sources) {
        cpSync(source, root, { recursive: true });
    }
    mkdirSync(root, { recursive: true });
    return root;
}

/** Runs `kra studio <workspace>` on a free port and resolves with the address it prints. */
export async function startStudio(workspace: string): Promise<{ url: string; stop(): Promise<void> }> {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'studio', workspace], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`kra studio printed no address in 60 s:\n${output}`)), 60_000);
        const read = (chunk: Buffer) => {
            output += chunk.toString('utf8');
            const match = /http:\/\/127\.0\.0\.1:\d+\/[\w-]+\//.exec(output);
            if (match) {
                clearTimeout(timer);
                resolve(match[0]);
            }
        };
        child.stdout!.on('data', read);
        child.stderr!.on('data', read);
        child.once('exit', code => {
            clearTimeout(timer);
            reject(new Error(`kra studio exited with ${code}:\n${output}`));
        });
    });
    return {
        url,
        stop: () => new Promise<void>(resolve => {
            if (child.exitCode !== null) {
                resolve();
                return;
            }
            child.once('exit', () => resolve());
            child.kill('SIGINT');
        })
    };
}
