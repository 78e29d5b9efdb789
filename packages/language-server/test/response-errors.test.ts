/**
 * Rename waits for the workspace, not for its document, so the server may be asked about a
 * document it has not built yet or no longer has (test/fuzz/lsp.ts found both). Such a request is
 * answered `ServerCancelled` (-32802), never with text read from disk or an internal error.
 */
import { EmptyFileSystem, URI } from 'langium';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ResponseError } from 'vscode-languageserver/node';
import { createKraServices } from '@kra-lang/language';
import { withDocument } from '../src/response-errors.js';

const URI_TEXT = 'file:///ws/unsaved.kra';
const TEXT = 'metric calls "Calls" { unit count }\n';
const params = { textDocument: { uri: URI_TEXT }, position: { line: 0, character: 8 } };
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() { } }) };

/** The services of a server whose (empty) workspace has loaded. */
async function services() {
    const { shared } = createKraServices(EmptyFileSystem);
    await shared.workspace.WorkspaceManager.initializeWorkspace([]);
    return shared;
}

describe('rename about a document the workspace does not have', () => {
    it('is answered ServerCancelled while an open document waits for its first build, without running the handler', async () => {
        const shared = await services();
        shared.workspace.TextDocuments!.set(TextDocument.create(URI_TEXT, 'kra', 1, TEXT));
        let ran = false;
        const answer = await withDocument(shared, () => {
            ran = true;
            return null;
        })(params, token);
        expect(ran).toBe(false);
        expect(answer).toBeInstanceOf(ResponseError);
        expect(answer).toMatchObject({ code: -32802, message: `No document found for URI: ${URI_TEXT}` });
    });

    it('is answered ServerCancelled when the document went away and reading its file failed', async () => {
        const shared = await services();
        const missing = Object.assign(new Error(`ENOENT: no such file or directory, stat '/ws/unsaved.kra'`), { code: 'ENOENT' });
        const answer = await withDocument(shared, () => Promise.reject(missing))(params, token);
        expect(answer).toMatchObject({ code: -32802 });
    });

    it('passes on the answer about a document the workspace has, and any other failure', async () => {
        const shared = await services();
        shared.workspace.TextDocuments!.set(TextDocument.create(URI_TEXT, 'kra', 1, TEXT));
        shared.workspace.LangiumDocuments.createDocument(URI.parse(URI_TEXT), TEXT);
        expect(await withDocument(shared, () => 'renamed')(params, token)).toBe('renamed');
        const bug = new TypeError('a bug');
        await expect(withDocument(shared, () => Promise.reject(bug))(params, token)).rejects.toBe(bug);
    });
});
