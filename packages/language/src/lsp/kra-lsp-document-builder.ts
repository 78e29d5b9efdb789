import type { Cancellation, DocumentState, URI } from 'langium';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { DocumentGoneError, KraDocumentBuilder } from '../workspace/kra-document-builder.js';

/**
 * The core's document builder for the editor: a request that waited for a document closed and
 * deleted meanwhile gets ServerCancelled, which clients take as "ask again" (the core raises
 * DocumentGoneError, without knowing the protocol).
 */
export class KraLspDocumentBuilder extends KraDocumentBuilder {
    protected override awaitDocumentState(state: DocumentState, uri: URI, cancelToken: Cancellation.CancellationToken): Promise<URI> {
        return super.awaitDocumentState(state, uri, cancelToken).catch(error => {
            throw error instanceof DocumentGoneError ? new ResponseError(LSPErrorCodes.ServerCancelled, error.message) : error;
        });
    }
}
