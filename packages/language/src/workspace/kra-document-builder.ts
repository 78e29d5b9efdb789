import { DefaultDocumentBuilder, type LangiumDocument, type LangiumSharedCoreServices } from 'langium';

/** Fast rules whose result in one file depends on declarations in other files. */
const WORKSPACE_DEPENDENT_RULES = new Set(['structure/duplicate-id', 'structure/single-organisation']);

/**
 * Langium relinks and revalidates a document after an edit elsewhere only when its references
 * point into the edited files. A duplicate-id error involves no reference, so a file that
 * reports one is revalidated too: renaming the other declaration clears it at once.
 */
export class KraDocumentBuilder extends DefaultDocumentBuilder {

    constructor(services: LangiumSharedCoreServices) {
        super(services);
    }

    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        return super.shouldRelink(document, changedUris)
            || (document.diagnostics ?? []).some(diagnostic => WORKSPACE_DEPENDENT_RULES.has(String(diagnostic.code)));
    }
}
