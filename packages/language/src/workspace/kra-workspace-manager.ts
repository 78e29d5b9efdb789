import {
    DefaultWorkspaceManager, URI, UriUtils, type LangiumDocument, type LangiumDocumentFactory,
    type LangiumSharedCoreServices, type Stream, type WorkspaceFolder, Cancellation
} from 'langium';
import { BUILTIN_LIBRARY_SOURCE, BUILTIN_LIBRARY_URI } from '../builtins/builtin-library.js';

/**
 * Loads the built-in library next to the workspace files and knows the workspace roots that
 * imports may not escape. The CLI calls `initializeWorkspace` without an LSP `initialize`, so the
 * folders are recorded here too.
 */
export class KraWorkspaceManager extends DefaultWorkspaceManager {

    private readonly documentFactory: LangiumDocumentFactory;

    constructor(services: LangiumSharedCoreServices) {
        super(services);
        this.documentFactory = services.workspace.LangiumDocumentFactory;
    }

    override async initializeWorkspace(folders: WorkspaceFolder[], cancelToken = Cancellation.CancellationToken.None): Promise<void> {
        this.folders = folders;
        await super.initializeWorkspace(folders, cancelToken);
    }

    /**
     * Langium adds the workspace's documents in the order their files finish reading, which
     * varies from run to run, and so would everything that walks the index in that order (which
     * organisation a broken workspace with two uses, the lists in messages). The files are read
     * in parallel still, and added in the order of their paths.
     *
     * A file that cannot be read any more (deleted between listing the folder and reading it, or
     * unreadable) is left out: with Langium's loader one such file failed the whole start-up,
     * the workspace never became ready, and the language server answered no request again
     * (found by test/fuzz/lsp.ts). If the file comes back, the editor reports it as a change.
     */
    protected override async loadWorkspaceDocuments(uris: Stream<URI>, collector: (document: LangiumDocument) => void): Promise<void> {
        const sorted = uris.toArray().sort((a, b) => {
            const [left, right] = [a.toString(), b.toString()];
            return left < right ? -1 : left > right ? 1 : 0;
        });
        const loaded = await Promise.allSettled(sorted.map(uri => this.documentFactory.fromUri(uri)));
        loaded.forEach((result, index) => {
            if (result.status === 'fulfilled') {
                collector(result.value);
            } else {
                console.error(`Could not read ${sorted[index].toString()}; it is left out of the workspace:`, String(result.reason));
            }
        });
    }

    protected override async loadAdditionalDocuments(_folders: WorkspaceFolder[], collector: (document: LangiumDocument) => void): Promise<void> {
        collector(this.langiumDocuments.createDocument(URI.parse(BUILTIN_LIBRARY_URI), BUILTIN_LIBRARY_SOURCE));
    }

    /**
     * The root that a document's imports must stay inside: the innermost workspace folder that
     * contains it, or, for a file outside every folder, the file's own directory.
     */
    rootOf(uri: URI): URI {
        let best: URI | undefined;
        for (const candidate of this.folderUris()) {
            if (UriUtils.contains(candidate, uri) && (!best || candidate.path.length > best.path.length)) {
                best = candidate;
            }
        }
        return best ?? UriUtils.dirname(uri);
    }

    /** The workspace folders' URIs, parsed once per set of folders (rootOf runs for every check). */
    private folderUris(): URI[] {
        let parsed = this.parsedFolders;
        if (parsed?.source !== this.folders) {
            parsed = { source: this.folders, uris: (this.folders ?? []).map(folder => URI.parse(folder.uri)) };
            this.parsedFolders = parsed;
        }
        return parsed!.uris;
    }

    private parsedFolders?: { readonly source: WorkspaceFolder[] | undefined; readonly uris: URI[] };
}
