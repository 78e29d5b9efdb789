import type { MaybePromise } from 'langium';
import { createRequestHandler, WorkspaceState, type LangiumSharedServices } from 'langium/lsp';
import { ResponseError as LangiumResponseError } from 'vscode-languageserver-protocol';
import { LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';

/**
 * Langium answers a cancelled request, or one about a document it does not know, by returning a
 * `ResponseError` of the vscode-jsonrpc copy it imports. When npm installs a second copy for
 * vscode-languageserver (it pins an exact protocol version), the connection does not recognise
 * that object as an error and sends it to the client as the *result* (`{"code": -32800}`).
 * This makes the connection's `ResponseError` recognise Langium's too, so those answers go out
 * as errors. With a single copy installed (`npm dedupe`), it does nothing.
 */
export function acceptLangiumResponseErrors(): void {
    if ((LangiumResponseError as unknown) === ResponseError) {
        return;
    }
    const isInstance = Function.prototype[Symbol.hasInstance];
    Object.defineProperty(ResponseError, Symbol.hasInstance, {
        value: (value: unknown) => isInstance.call(ResponseError, value) || isInstance.call(LangiumResponseError, value)
    });
}

/**
 * The language core refuses some requests with an error named `RequestRefused` (e.g. a rename
 * to a keyword); the core does not depend on the protocol, so the server turns those into
 * `RequestFailed` error responses whose message the editor shows as is. Rename is the one
 * request that refuses; its handlers are registered again, wrapped.
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
