import { it } from 'vitest';
import { copyWorkspace } from './helpers.js';
import { LspClient } from './lsp-client.js';

it('scratch', async () => {
    const client = await LspClient.start({ workspace: copyWorkspace(), echoStderr: true });
    await client.waitForDiagnostics(client.uri('metrics.kra'));
    console.log('sym0', (await client.request<any[]>('workspace/symbol', { query: 'x' })).length);
    await client.filesChanged([{ uri: client.uri('sub/x.kra'), type: 1 }]);
    const t = Date.now();
    const r = await Promise.race([client.request<any[]>('workspace/symbol', { query: 'x' }), new Promise(r => setTimeout(() => r('timeout'), 3000))]);
    console.log('sym1', JSON.stringify(r).length, Date.now() - t);
    const h = await Promise.race([client.request<any>('textDocument/documentSymbol', { textDocument: { uri: client.uri('ops.kra') } }), new Promise(r => setTimeout(() => r('timeout'), 3000))]);
    console.log('docsym', JSON.stringify(h).length);
    await client.stop();
}, 60_000);
