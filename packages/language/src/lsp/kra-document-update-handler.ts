import type { LangiumDocument } from 'langium';
import { DefaultDocumentUpdateHandler, type DocumentUpdateHandler, type LangiumSharedServices } from 'langium/lsp';

type SaveEvent = Parameters<NonNullable<DocumentUpdateHandler['didSaveDocument']>>[0];

/** Every validation category: `built-in` (parser, linker), `fast` (per keystroke) and `slow` (whole workspace). */
export const ALL_CATEGORIES = ['built-in', 'fast', 'slow'] as const;

/**
 * When the checks run in the editor:
 * - on each edit, the built-in and `fast` checks of the changed documents and those that
 *   depend on them (Langium's default `updateBuildOptions`);
 * - at start-up and on each save, every check, `slow` ones (whole-workspace) included, on every
 *   document, since a change in one file can settle a slow check in another (an unused metric
 *   becomes used).
 *
 * Builds run under the workspace lock's write action: a later edit cancels a running build,
 * and the documents it left unfinished are rebuilt with the later one.
 */
export class KraDocumentUpdateHandler extends DefaultDocumentUpdateHandler {

    protected readonly services: LangiumSharedServices;

    constructor(services: LangiumSharedServices) {
        super(services);
        this.services = services;
        services.workspace.WorkspaceManager.initialBuildOptions = { validation: { categories: [...ALL_CATEGORIES] } };
        this.documentBuilder.updateBuildOptions = { validation: { categories: ['built-in', 'fast'] } };
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
