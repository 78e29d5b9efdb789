import type { MaybePromise } from 'langium';
import { createRequestHandler, WorkspaceState, type LangiumSharedServices } from 'langium/lsp';
import { LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';

/**
 * The editor layer's rename provider (packages/language/src/lsp) refuses some renames with an
 * error named `RequestRefused` (e.g. a rename to a keyword). Langium's request handlers pass on
 * only protocol errors and rethrow the rest, which would reach the editor as an internal error;
 * the server turns a refusal into a `RequestFailed` error response whose message the editor
 * shows as is. Rename is the one request that refuses; its handlers are registered again, wrapped.
 */
export function reportRefusals(connection: Connection, shared: LangiumSharedServices): void {
    connection.onRenameRequest(createRequestHandler(
        (services, document, params, token) => refusalAsError(() => services.lsp?.RenameProvider?.rename(document, params, token)),
        shared,
        WorkspaceState.IndexedReferences
    ));
    connection.onPrepareRename(createRequestHandler(
        (services, document, params, token) => refusalAsError(() => services.lsp?.RenameProvider?.prepareRename(document, params, token)),
        shared,
        WorkspaceState.IndexedReferences
    ));
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
