/**
 * kra.config.yaml in the editor: read before the first validation, re-read when the client
 * reports the file changed, and shown with its own diagnostics when it is broken.
 */
import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codes, copyWorkspace, messageOf } from './helpers.js';
import { LspClient } from '../../../test/support/lsp-client.js';

const started: Array<{ client: LspClient; workspace: string }> = [];

async function start(config?: string): Promise<{ client: LspClient; workspace: string }> {
    const workspace = copyWorkspace();
    if (config !== undefined) {
        writeFileSync(path.join(workspace, 'kra.config.yaml'), config);
    }
    const client = await LspClient.start({ workspace });
    started.push({ client, workspace });
    return { client, workspace };
}

afterEach(async () => {
    for (const { client, workspace } of started.splice(0)) {
        await client.stop();
        rmSync(workspace, { recursive: true, force: true });
    }
});

describe('kra.config.yaml', () => {
    it('applies the configuration from the first diagnostics on', async () => {
        const { client } = await start('rules:\n  metrics/unused: off\n');
        await client.open('ops.kra');
        const metrics = client.uri('metrics.kra');
        await client.waitForDiagnostics(metrics);
        await client.waitForDiagnostics(client.uri('roles.kra'));
        const published = client.published.filter(params => params.uri === metrics);
        expect(published.every(params => !codes(params.diagnostics).includes('metrics/unused'))).toBe(true);
    });

    it('turns a rule off when the file appears, shows a broken file\'s problems on it, and recovers', async () => {
        const { client, workspace } = await start();
        const metrics = client.uri('metrics.kra');
        const config = path.join(workspace, 'kra.config.yaml');
        const configUri = client.uri('kra.config.yaml');
        await client.waitForDiagnostics(metrics, list => codes(list).includes('metrics/unused'));

        writeFileSync(config, 'rules:\n  metrics/unused: off\n');
        await client.filesChanged([{ uri: configUri, type: 1 }]);
        await client.waitForDiagnostics(metrics, list => !codes(list).includes('metrics/unused'));

        // A broken file: its problems show on it, and the defaults apply meanwhile.
        writeFileSync(config, 'rules:\n  metrics/unused: sometimes\n  no/such-rule: error\n');
        await client.filesChanged([{ uri: configUri, type: 2 }]);
        const problems = await client.waitForDiagnostics(configUri, list => list.length > 0);
        expect(problems.map(messageOf).join('\n')).toContain("Unknown rule 'no/such-rule'");
        expect(problems[0].range.start.line).toBeGreaterThanOrEqual(1);
        expect(problems.every(problem => problem.severity === 1 && problem.source === 'kra')).toBe(true);
        await client.waitForDiagnostics(metrics, list => codes(list).includes('metrics/unused'));

        // A severity change applies too.
        writeFileSync(config, 'rules:\n  metrics/unused: error\n');
        await client.filesChanged([{ uri: configUri, type: 2 }]);
        await client.waitForDiagnostics(configUri, list => list.length === 0);
        const raised = await client.waitForDiagnostics(metrics, list => list.some(d => d.code === 'metrics/unused' && d.severity === 1));
        expect(raised.find(d => d.code === 'metrics/unused')!.tags).toEqual([1]);

        unlinkSync(config);
        await client.filesChanged([{ uri: configUri, type: 3 }]);
        await client.waitForDiagnostics(metrics, list => list.some(d => d.code === 'metrics/unused' && d.severity === 2));
    });

    it('ignores changes to other files named like it, outside the workspace root', async () => {
        const { client } = await start();
        const metrics = client.uri('metrics.kra');
        await client.waitForDiagnostics(metrics, list => codes(list).includes('metrics/unused'));
        const before = client.published.length;
        await client.filesChanged([{ uri: client.uri('sub/kra.config.yaml'), type: 1 }]);
        // A request round trip: the notification has been handled by the time the answer comes.
        await client.request('workspace/symbol', { query: 'x' });
        await new Promise(resolve => setTimeout(resolve, 300));
        expect(client.published.slice(before).filter(params => params.uri === metrics)).toEqual([]);
    });
});
