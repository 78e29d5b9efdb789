import { DefaultLangiumDocumentFactory, DocumentState, type AstNode, type Cancellation, type LangiumDocument, type Mutable, type ParseResult, type URI } from 'langium';
import { listAfterReplacing } from '../model/ast-walk.js';
import { reparseIncrementally } from '../parser/incremental-parse.js';
import { isReleased, parsedText } from './syntax-trees.js';

/**
 * What the parses of a document replaced since the changes were last taken: the AST paths of
 * the declarations parsed again (every other node of the document is the one it was), or
 * 'all' after a full parse.
 */
export type ParseChanges = ReadonlyMap<string, readonly string[] | 'all'>;

/**
 * Langium's document factory, parsing an edited document incrementally where it can: only the
 * declaration that holds the edit is parsed again (parser/incremental-parse.ts); anything else
 * is parsed in full, as Langium does. It notes what each parse replaced, for the document
 * builder, which relinks only the documents whose references reach it
 * (workspace/kra-document-builder.ts).
 */
export class KraDocumentFactory extends DefaultLangiumDocumentFactory {

    /** The parse result of each document being updated, before the update, by URI. */
    private readonly previous = new Map<string, ParseResult>();

    private changes = new Map<string, string[] | 'all'>();

    /**
     * Langium's, except that the text the tree was parsed from is read without restoring a
     * released tree (workspace/syntax-trees.ts), and that an unchanged text (a file opened or
     * closed in the editor, or saved unchanged), which keeps its tree as in Langium, is noted as
     * a parse that replaced nothing: the documents that use it are not relinked.
     */
    override async update<T extends AstNode = AstNode>(document: Mutable<LangiumDocument<T>>, cancellationToken: Cancellation.CancellationToken): Promise<LangiumDocument<T>> {
        const key = document.uri.toString();
        const oldText = parsedText(document.parseResult.value);
        const textDocument = this.textDocuments?.get(key);
        const text = await this.getUpdatedText(document, textDocument, cancellationToken);
        if (textDocument) {
            Object.defineProperty(document, 'textDocument', { value: textDocument });
        } else {
            Object.defineProperty(document, 'textDocument', { get: this.createTextDocumentGetter(document.uri, text) });
        }
        if (oldText === text) {
            if (!this.changes.has(key)) {
                this.changes.set(key, []);
            }
        } else {
            this.previous.set(key, document.parseResult);
            try {
                document.parseResult = await this.parseAsync<T>(document.uri, text, cancellationToken);
            } finally {
                this.previous.delete(key);
            }
            (document.parseResult.value as Mutable<AstNode>).$document = document;
        }
        document.state = DocumentState.Parsed;
        return document;
    }

    /** What the parses replaced since the last call, by document URI. */
    takeChanges(): ParseChanges {
        const changes = this.changes;
        this.changes = new Map();
        return changes;
    }

    protected override parseAsync<T extends AstNode>(uri: URI, text: string, cancellationToken: Cancellation.CancellationToken): Promise<ParseResult<T>> {
        const key = uri.toString();
        const previous = this.previous.get(key);
        const services = this.serviceRegistry.getServices(uri);
        // A released syntax tree (workspace/syntax-trees.ts) would have to be restored first: parse in full.
        const incremental = previous && !isReleased(previous.value) && reparseIncrementally(previous, text, services.parser.LangiumParser);
        if (!incremental) {
            this.changes.set(key, 'all');
            return super.parseAsync(uri, text, cancellationToken);
        }
        const { replaced, replacement, ...result } = incremental;
        listAfterReplacing(previous.value, result.value, replaced, replacement);
        const noted = this.changes.get(key) ?? [];
        if (noted !== 'all') {
            this.changes.set(key, [...noted, services.workspace.AstNodeLocator.getAstNodePath(replacement)]);
        }
        return Promise.resolve(result as ParseResult as ParseResult<T>);
    }
}
