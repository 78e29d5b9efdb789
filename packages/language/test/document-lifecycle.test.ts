/**
 * A request that waits for a document to reach a build state, when the document is deleted
 * first (src/workspace/kra-document-builder.ts). Found by the language server fuzzer
 * (test/fuzz/lsp.ts): a new document, edited, then closed while a request about it waited,
 * left that request without an answer for ever.
 */
import { Cancellation, DocumentState, isOperationCancelled, TextDocument, URI } from 'langium';
import type { NormalizedTextDocuments } from 'langium/lsp';
import { ResponseError, LSPErrorCodes } from 'vscode-languageserver-protocol';
import { describe, expect, it } from 'vitest';
import { buildWorkspace, TEST_ROOT } from './test-utils.js';

/** What a promise has come to after the work queued so far: its value, its error, or 'waiting'. */
async function outcome(promise: Promise<unknown>): Promise<unknown> {
    const settled = promise.then(value => ({ value }), (error: unknown) => ({ error }));
    return Promise.race([settled, new Promise(resolve => setTimeout(() => resolve('waiting'), 200))]);
}

describe('a document that goes away', () => {
    it('answers a request that waits for a state the deleted document never reaches', async () => {
        const workspace = await buildWorkspace({ 'a.kra': 'metric calls "Calls" {\n  unit count\n}\n' });
        const builder = workspace.services.shared.workspace.DocumentBuilder;
        const uri = URI.parse(`${TEST_ROOT}/a.kra`);
        // An edit whose build is cancelled at once: the document is back at 'changed'.
        await builder.update([uri], [], Cancellation.CancellationToken.Cancelled).catch(() => undefined);
        expect(workspace.document('a.kra').state).toBe(DocumentState.Changed);
        const request = builder.waitUntil(DocumentState.Linked, uri);
        expect(await outcome(request)).toBe('waiting');

        await builder.update([], [uri]);
        const answer = await outcome(request) as { error: unknown };
        expect(answer.error).toBeInstanceOf(ResponseError);
        expect((answer.error as ResponseError<unknown>).code).toBe(LSPErrorCodes.ServerCancelled);
        expect((answer.error as Error).message).toContain('a.kra (it was closed or deleted)');
    });

    it('still ends a wait when its own request is cancelled, and then resolves others', async () => {
        const workspace = await buildWorkspace({ 'a.kra': 'metric calls "Calls" {\n  unit count\n}\n' });
        const builder = workspace.services.shared.workspace.DocumentBuilder;
        const uri = URI.parse(`${TEST_ROOT}/a.kra`);
        await builder.update([uri], [], Cancellation.CancellationToken.Cancelled).catch(() => undefined);
        const cancellation = new Cancellation.CancellationTokenSource();
        const cancelled = builder.waitUntil(DocumentState.Linked, uri, cancellation.token);
        const kept = builder.waitUntil(DocumentState.Linked, uri);
        cancellation.cancel();
        expect(isOperationCancelled((await outcome(cancelled) as { error: unknown }).error)).toBe(true);

        const texts = workspace.services.shared.workspace.TextDocuments as NormalizedTextDocuments<TextDocument>;
        texts.set(TextDocument.create(uri.toString(), 'kra', 2, 'metric calls "Calls" {\n  unit count\n}\n'));
        await builder.update([uri], []);
        expect(await outcome(kept)).toEqual({ value: uri });
    });
});
