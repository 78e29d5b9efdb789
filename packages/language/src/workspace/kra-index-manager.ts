import { DefaultIndexManager, type AstNodeDescription, type LangiumSharedCoreServices } from 'langium';

/**
 * Langium's index, which also tells the order of the documents in it without listing every
 * declaration of the workspace: the scope provider needs that order on each keystroke
 * (scoping/kra-scope-provider.ts); and gives one document's declarations without going through
 * every document, as `allElements(type, new Set([uri]))` does (quadratic over a workspace).
 */
export class KraIndexManager extends DefaultIndexManager {

    constructor(services: LangiumSharedCoreServices) {
        super(services);
    }

    /**
     * The URIs of the indexed documents, in the order `allElements` lists their declarations
     * (a document indexed again moves to the end).
     */
    documentUris(): IterableIterator<string> {
        return this.symbolIndex.keys();
    }

    /** What the document `uri` exports, of `type` (a subtype counts) or of any type: `allElements(type, new Set([uri]))`. */
    elementsOf(uri: string, type?: string): readonly AstNodeDescription[] {
        return this.getFileDescriptions(uri, type);
    }
}
