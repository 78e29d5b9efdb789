import { DocumentState, type BuildOptions, type LangiumDocument } from 'langium';
import { DefaultDocumentUpdateHandler, type DocumentUpdateHandler, type LangiumSharedServices } from 'langium/lsp';

type SaveEvent = Parameters<NonNullable<DocumentUpdateHandler['didSaveDocument']>>[0];

/** Every validation category: `built-in` (parser, linker), `fast` (per keystroke) and `slow` (whole workspace). */
export const ALL_CATEGORIES = ['built-in', 'fast', 'slow'] as const;

const EVERY_CHECK: BuildOptions = { validation: { categories: [...ALL_CATEGORIES] } };
const FAST_CHECKS: BuildOptions = { validation: { categories: ['built-in', 'fast'] } };

/**
 * When the checks run in the editor:
 * - on each edit, the built-in and `fast` checks of the changed documents and those that
 *   depend on them (Langium's default `updateBuildOptions`);
 * - at start-up and on each save, every check, `slow` ones (whole-workspace) included, on every
 *   document, since a change in one file can settle a slow check in another (an unused metric
 *   becomes used).
 *
 * An editor usually opens a document while the server still builds the workspace; that edit
 * cancels the initial build, and Langium finishes the remaining documents with the options of
 * edits. So edits also run every check until the whole workspace has been validated once.
 *
 * Builds run under the workspace lock's write action: a later edit cancels a running build,
 * and the documents it left unfinished are rebuilt with the later one.
 */
export class KraDocumentUpdateHandler extends DefaultDocumentUpdateHandler {

    protected readonly services: LangiumSharedServices;

    constructor(services: LangiumSharedServices) {
        super(services);
        this.services = services;
        services.workspace.WorkspaceManager.initialBuildOptions = EVERY_CHECK;
        this.documentBuilder.updateBuildOptions = EVERY_CHECK;
        const documents = services.workspace.LangiumDocuments;
        const startup = this.documentBuilder.onBuildPhase(DocumentState.Validated, () => {
            if (documents.all.every(document => document.state === DocumentState.Validated)) {
                this.documentBuilder.updateBuildOptions = FAST_CHECKS;
                startup.dispose();
            }
        });
    }

    didSaveDocument(_event: SaveEvent): void {
        void this.revalidateAll();
    }

    /**
     * Runs every check on every document again, e.g. after a save or a change of the
     * configuration. Resolves when done or cancelled by a later edit.
     */
    revalidateAll(): Promise<void> {
        return this.workspaceManager.ready.then(() => this.workspaceLock.write(token =>
            this.documentBuilder.build(this.allDocuments(), { validation: true }, token)
        )).catch(error => {
            console.error('Revalidating the workspace failed:', error);
        });
    }

    private allDocuments(): LangiumDocument[] {
        return this.services.workspace.LangiumDocuments.all.toArray();
    }
}
