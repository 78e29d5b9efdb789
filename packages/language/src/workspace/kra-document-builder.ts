import {
    Cancellation, DefaultDocumentBuilder, interruptAndCheck,
    type DocumentState, type LangiumDocument, type LangiumSharedCoreServices
} from 'langium';

/** Fast rules whose result in one file depends on declarations in other files. */
const WORKSPACE_DEPENDENT_RULES = new Set(['structure/duplicate-id', 'structure/single-organisation']);

/**
 * Langium's document builder, with two changes. After an edit elsewhere, Langium relinks and
 * revalidates a document only when its references point into the edited files; a duplicate-id
 * error involves no reference, so a file that reports one is revalidated too, and renaming the
 * other declaration clears it at once. And build-phase listeners are always notified (below).
 */
export class KraDocumentBuilder extends DefaultDocumentBuilder {

    constructor(services: LangiumSharedCoreServices) {
        super(services);
    }

    /**
     * Langium skips the build-phase listeners when a phase processed no document, but requests
     * (references, rename) wait on those phases: an update that changes nothing would leave them
     * waiting until the next edit. Always notify.
     */
    protected override async notifyBuildPhase(documents: LangiumDocument[], state: DocumentState, cancelToken: Cancellation.CancellationToken): Promise<void> {
        for (const listener of this.buildPhaseListeners.get(state).slice()) {
            await interruptAndCheck(cancelToken);
            await listener(documents, cancelToken);
        }
    }

    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        return super.shouldRelink(document, changedUris)
            || (document.diagnostics ?? []).some(diagnostic => WORKSPACE_DEPENDENT_RULES.has(String(diagnostic.code)));
    }
}
