/**
 * The `kra-language-server` command: both transports editors use, and the re-run on the
 * project's Node when an older Node starts it.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Hover } from 'vscode-languageserver-protocol';
import { at, copyWorkspace } from './helpers.js';
import { LspClient, type LspClientOptions } from '../../../test/support/lsp-client.js';

/** A Node older than 22 on the PATH (the system one on these machines), if there is one. */
function olderNode(): string | undefined {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
        if (dir.includes('node_modules')) {
            continue;
        }
        const candidate = path.join(dir, 'node');
        try {
            const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
            if (Number(version.slice(1).split('.')[0]) < 22) {
                return candidate;
            }
        } catch {
            // not there
        }
    }
    return undefined;
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
    for (const step of cleanup.splice(0)) {
        await step();
    }
});

async function roundTrip(options: Omit<LspClientOptions, 'workspace'>): Promise<LspClient> {
    const workspace = copyWorkspace();
    const client = await LspClient.start({ workspace, ...options });
    cleanup.push(async () => {
        await client.stop();
        rmSync(workspace, { recursive: true, force: true });
    });
    const text = 'metric bin_metric "Bin" {\n  description "A metric to hover."\n  unit seconds\n}\n';
    const uri = await client.open('bin.kra', text);
    // Requests about a document the server has not built yet are refused (ServerCancelled).
    await client.waitForDiagnostics(uri);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: at(text, 'seconds', 2) });
    expect(JSON.stringify(hover.contents)).toContain('Unit `seconds`');
    return client;
}

const OLD_NODE = olderNode();

describe('kra-language-server', () => {
    it('serves over --stdio', async () => {
        await roundTrip({});
    });

    it('serves over --node-ipc', async () => {
        await roundTrip({ transport: 'node-ipc' });
    });

    it('exits on the exit notification', async () => {
        const client = await roundTrip({});
        await client.stop();
        expect(client.alive).toBe(false);
    });

    it.runIf(OLD_NODE)('re-runs itself on the project\'s Node when started by an older one (stdio and IPC)', async () => {
        const stdio = await roundTrip({ node: OLD_NODE });
        expect(stdio.stderr).not.toContain('needs Node.js 22');
        await roundTrip({ node: OLD_NODE, transport: 'node-ipc' });
        await stdio.stop();
        expect(stdio.alive).toBe(false);
    });
});
