import { it } from 'vitest';
import { copyWorkspace, decodeTokens } from './helpers.js';
import { LspClient } from './lsp-client.js';

it('scratch', async () => {
    const client = await LspClient.start({ workspace: copyWorkspace(), echoStderr: true });
    const uri = await client.open('ops.kra');
    await client.waitForDiagnostics(client.uri('metrics.kra'));
    console.log(JSON.stringify(await client.request('workspace/symbol', { query: 'aht' })));
    console.log(JSON.stringify((await client.request<any[]>('workspace/symbol', { query: '' })).map(s => s.name)));
    const legend = client.initializeResult.capabilities.semanticTokensProvider!.legend;
    const tokens = decodeTokens((await client.request<any>('textDocument/semanticTokens/full', { textDocument: { uri } })).data, legend);
    console.log(JSON.stringify(tokens.filter(t => t.line === 14)));
    await client.stop();
}, 60_000);
