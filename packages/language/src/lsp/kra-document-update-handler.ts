import { DocumentState, isOperationCancelled, URI, UriUtils, type BuildOptions, type LangiumDocument, type LangiumDocuments } from 'langium';
import type { KraDocumentBuilder } from '../workspace/kra-document-builder.js';
import { DefaultDocumentUpdateHandler, type DocumentUpdateHandler, type LangiumSharedServices } from 'langium/lsp';

type SaveEvent = Parameters<NonNullable<DocumentUpdateHandler['didSaveDocument']>>[0];
type CloseEvent = Parameters<NonNullable<DocumentUpdateHandler['didCloseDocument']>>[0];
type WatchedFilesParams = Parameters<NonNullable<DocumentUpdateHandler['didChangeWatchedFiles']>>[0];

/** `FileChangeType.Deleted` of the protocol. */
const DELETED = 3;

/** Every validation category: `built-in` (parser, linker), `fast` (per keystroke) and `slow` (whole workspace). */
export const ALL_CATEGORIES = ['built-in', 'fast', 'slow'] as const;

const EVERY_CHECK: BuildOptions = { validation: { categories: [...ALL_CATEGORIES] } };
const FAST_CHECKS: BuildOptions = { validation: { categories: ['built-in', 'fast'] } };

/**
 * When the checks run in the editor:
 * - on each edit, the built-in and `fast` checks of the changed documents and those that
 *   depend on them (Langium's default `updateBuildOptions`);
 * - at start-up, every check, `slow` ones (whole-workspace) included, on every document;
 * - on each save, the `slow` checks on every document again, since a change in one file can
 *   settle a slow check in another (an unused metric becomes used); the others are current.
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
    private readonly documents: LangiumDocuments;

    constructor(services: LangiumSharedServices) {
        super(services);
        this.services = services;
        this.documents = services.workspace.LangiumDocuments;
        services.workspace.WorkspaceManager.initialBuildOptions = EVERY_CHECK;
        this.documentBuilder.updateBuildOptions = EVERY_CHECK;
        const startup = this.documentBuilder.onBuildPhase(DocumentState.Validated, () => {
            if (this.documents.all.every(document => document.state === DocumentState.Validated)) {
                this.documentBuilder.updateBuildOptions = FAST_CHECKS;
                startup.dispose();
            }
        });
    }

    /**
     * The client reports every file of the workspace that changes (Langium watches `**\/*`).
     * Listeners (the language server's kra.config.yaml watcher) hear of all of them; the
     * documents are updated for the changes that concern documents: loaded ones, new .kra
     * files, folders that hold some. Changes to other files start no build: an update that
     * finds nothing to build leaves Langium's state at "changed" without notifying the requests
     * that wait for the workspace to be indexed (references, rename, workspace symbols...), so
     * they would hang until the next edit.
     */
    override didChangeWatchedFiles(params: WatchedFilesParams): void {
        this.onWatchedFilesChangeEmitter.fire(params);
        void this.documentChanges(params).then(({ changed, deleted }) => {
            if (changed.length > 0 || deleted.length > 0) {
                this.fireDocumentUpdate(changed, deleted);
            }
        });
    }

    /** The changed and deleted URIs that concern documents, found the way Langium's builder finds them. */
    private async documentChanges(params: WatchedFilesParams): Promise<{ changed: URI[]; deleted: URI[] }> {
        const changed = new Map<string, URI>();
        const deleted = new Map<string, URI>();
        for (const change of params.changes) {
            const uri = URI.parse(change.uri);
            if (change.type === DELETED) {
                if (this.documents.all.some(document => UriUtils.equals(document.uri, uri) || UriUtils.contains(uri, document.uri))) {
                    deleted.set(uri.toString(), uri);
                }
            } else {
                for (const found of await this.documentUris(uri)) {
                    changed.set(found.toString(), found);
                }
            }
        }
        return { changed: [...changed.values()], deleted: [...deleted.values()] };
    }

    private async documentUris(uri: URI): Promise<URI[]> {
        if (this.documents.hasDocument(uri) || this.services.workspace.TextDocuments.get(uri.toString())) {
            return [uri];
        }
        try {
            const stat = await this.services.workspace.FileSystemProvider.stat(uri);
            if (stat.isDirectory) {
                return await this.workspaceManager.searchFolder(uri);
            }
            return this.workspaceManager.shouldIncludeEntry(stat) ? [uri] : [];
        } catch {
            return []; // gone already, or unreadable
        }
    }

    /**
     * A closed document is what is on disk again: an editor that closes a document without
     * saving it discards its text. (Langium keeps the editor's last text otherwise, and its
     * diagnostics, until the file changes on disk.) A document that is not on disk is gone.
     */
    /**
     * Langium's, with a failed build caught. Langium leaves the build's promise unhandled, so a
     * build that rejects ended the server: reading a changed document whose file was deleted
     * just before (an unsaved document closed as its file is deleted) did (found by
     * test/fuzz/lsp.ts). The failure is logged; the deletion, reported by the editor, or the
     * next edit rebuilds.
     */
    protected override fireDocumentUpdate(changed: URI[], deleted: URI[]): void {
        this.workspaceManager.ready
            .then(() => this.workspaceLock.write(token => this.documentBuilder.update(changed, deleted, token)))
            .catch(error => {
                if (!isOperationCancelled(error)) {
                    console.error('Updating the documents failed:', error);
                }
            });
    }

    didCloseDocument(event: CloseEvent): void {
        const uri = URI.parse(event.document.uri);
        let exists = false;
        try {
            exists = this.services.workspace.FileSystemProvider.existsSync(uri);
        } catch {
            // unreadable: gone
        }
        if (exists) {
            this.fireDocumentUpdate([uri], []);
        } else if (this.documents.hasDocument(uri)) {
            this.fireDocumentUpdate([], [uri]);
        }
    }

    didSaveDocument(_event: SaveEvent): void {
        void this.revalidateSlowChecks();
    }

    /**
     * Runs the slow checks on every document again, after a save; the others ran on each edit
     * (KraDocumentBuilder.revalidateSlowChecks). Resolves when done or cancelled by a later edit.
     */
    revalidateSlowChecks(): Promise<void> {
        return this.workspaceManager.ready.then(() => this.workspaceLock.write(token =>
            (this.documentBuilder as KraDocumentBuilder).revalidateSlowChecks(this.allDocuments(), token)
        )).catch(error => {
            console.error('Revalidating the workspace failed:', error);
        });
    }

    private allDocuments(): LangiumDocument[] {
        return this.documents.all.toArray();
    }
}
