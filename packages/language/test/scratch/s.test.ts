import { it } from 'vitest';
import { URI } from 'langium';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { buildWorkspace, summarise } from '../test-utils.js';
it('scratch', async () => {
    const ws = await buildWorkspace({ 'a.kra': 'metric calls\n', 'b.kra': 'metric calls\n' });
    const f = () => summarise(ws.diagnostics()).filter(d => d.startsWith('structure'));
    console.log('before', f());
    const shared = ws.services.shared;
    const uri = URI.parse('file:///ws/b.kra');
    (shared.workspace.TextDocuments as any).set(TextDocument.create(uri.toString(), 'kra', 2, 'metric other\n'));
    await shared.workspace.DocumentBuilder.update([uri], []);
    console.log('after fix', f(), summarise(shared.workspace.LangiumDocuments.getDocument(uri)!.diagnostics ?? []).filter(d => d.startsWith('structure')));
});
