import { DefaultLangiumDocumentFactory, type AstNode, type Cancellation, type LangiumDocument, type Mutable, type ParseResult, type URI } from 'langium';
import { reparseIncrementally } from '../parser/incremental-parse.js';

/**
 * Langium's document factory, parsing an edited document incrementally where it can: only the
 * declaration that holds the edit is parsed again (parser/incremental-parse.ts); anything else
 * is parsed in full, as Langium does.
 */
export class KraDocumentFactory extends DefaultLangiumDocumentFactory {

    /** The parse result of each document being updated, before the update, by URI. */
    private readonly previous = new Map<string, ParseResult>();

    override async update<T extends AstNode = AstNode>(document: Mutable<LangiumDocument<T>>, cancellationToken: Cancellation.CancellationToken): Promise<LangiumDocument<T>> {
        const key = document.uri.toString();
        this.previous.set(key, document.parseResult);
        try {
            return await super.update(document, cancellationToken);
        } finally {
            this.previous.delete(key);
        }
    }

    protected override parseAsync<T extends AstNode>(uri: URI, text: string, cancellationToken: Cancellation.CancellationToken): Promise<ParseResult<T>> {
        const previous = this.previous.get(uri.toString());
        const incremental = previous && reparseIncrementally(previous, text, this.serviceRegistry.getServices(uri).parser.LangiumParser);
        return incremental ? Promise.resolve(incremental as ParseResult<T>) : super.parseAsync(uri, text, cancellationToken);
    }
}
