import { URI, type MaybePromise } from 'langium';
import { createRequestHandler, WorkspaceState, type LangiumSharedServices } from 'langium/lsp';
import { LSPErrorCodes, ResponseError, type Connection, type RequestHandler } from 'vscode-languageserver/node';

/**
 * The editor layer's rename provider (packages/language/src/lsp) refuses some renames with an
 * error named `RequestRefused` (e.g. a rename to a keyword). Langium's request handlers pass on
 * only protocol errors and rethrow the rest, which would reach the editor as an internal error;
 * the server turns a refusal into a `RequestFailed` error response whose message the editor
 * shows as is. Rename is the one request that refuses; its handlers are registered again, wrapped.
 *
 * Rename waits for the workspace, not for its document, so Langium's handler may find no document
 * for the URI: one just opened whose build has not started, or one closed (and not on disk) while
 * the request waited. It would then read the file from disk: the wrong text, or an internal error
 * when there is no file (found by test/fuzz/lsp.ts). Such a request is answered `ServerCancelled`,
 * as Langium answers a request that waits for a document it does not have; the editor may retry.
 */
export function reportRefusals(connection: Connection, shared: LangiumSharedServices): void {
    connection.onRenameRequest(withDocument(shared, createRequestHandler(
        (services, document, params, token) => refusalAsError(() => services.lsp?.RenameProvider?.rename(document, params, token)),
        shared,
        WorkspaceState.IndexedReferences
    )));
    connection.onPrepareRename(withDocument(shared, createRequestHandler(
        (services, document, params, token) => refusalAsError(() => services.lsp?.RenameProvider?.prepareRename(document, params, token)),
        shared,
        WorkspaceState.IndexedReferences
    )));
}

/** The handler, answering `ServerCancelled` when the document is not (or no longer) in the workspace. */
export function withDocument<P extends { textDocument: { uri: string } }, R>(shared: LangiumSharedServices, handler: RequestHandler<P, R, void>): RequestHandler<P, R, void> {
    const documents = shared.workspace.LangiumDocuments;
    const gone = (uri: string) => new ResponseError(LSPErrorCodes.ServerCancelled, `No document found for URI: ${uri}`);
    return async (params, token) => {
        const uri = URI.parse(params.textDocument.uri);
        // While the workspace loads, its documents are still to come; the handler waits for them.
        await shared.workspace.WorkspaceManager.ready.catch(() => undefined);
        const open = shared.workspace.TextDocuments?.get(params.textDocument.uri) !== undefined;
        if (open && !documents.hasDocument(uri)) {
            return gone(params.textDocument.uri);
        }
        try {
            return await handler(params, token);
        } catch (error) {
            if (!documents.hasDocument(uri) && typeof (error as NodeJS.ErrnoException)?.code === 'string') {
                return gone(params.textDocument.uri);
            }
            throw error;
        }
    };
}

async function refusalAsError<T>(run: () => MaybePromise<T>): Promise<T | ResponseError> {
    try {
        return await run();
    } catch (error) {
        if (error instanceof Error && error.name === 'RequestRefused') {
            return new ResponseError(LSPErrorCodes.RequestFailed, error.message);
        }
        throw error;
    }
}
