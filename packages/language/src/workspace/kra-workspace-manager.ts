import {
    DefaultWorkspaceManager, URI, UriUtils, type LangiumDocument, type LangiumDocumentFactory,
    type LangiumSharedCoreServices, type Stream, type WorkspaceFolder, Cancellation
} from 'langium';
import { BUILTIN_LIBRARY_SOURCE, BUILTIN_LIBRARY_URI } from '../builtins/builtin-library.js';
import type { KraSharedCoreServices } from '../kra-module.js';
import type { SyntaxTrees } from './syntax-trees.js';

/** A workspace file or folder that could not be read, and why (in words, with the system's code). */
export interface UnreadableEntry {
    readonly uri: URI;
    readonly reason: string;
}

/** How many files and folders the loader reads at once: far below the usual limit of 1,024 open files. */
export const MAX_OPEN_FILES = 64;

function readErrorReason(error: unknown): string {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const words: Record<string, string> = {
        EACCES: 'permission denied', EPERM: 'permission denied', EMFILE: 'too many open files',
        ENFILE: 'too many open files', EIO: 'input/output error', EISDIR: 'it is a folder', ENOTDIR: 'it is not a folder'
    };
    return code ? `${words[code] ?? 'cannot be read'} (${code})` : error instanceof Error ? error.message : String(error);
}

/**
 * Loads the built-in library next to the workspace files and knows the workspace roots that
 * imports may not escape. The CLI calls `initializeWorkspace` without an LSP `initialize`, so the
 * folders are recorded here too.
 */
export class KraWorkspaceManager extends DefaultWorkspaceManager {

    private readonly documentFactory: LangiumDocumentFactory;
    private readonly syntaxTrees: () => SyntaxTrees;

    /**
     * Whether each file's syntax tree is released as soon as the file is parsed
     * (workspace/syntax-trees.ts): `kra check`, which reads a tree again only to place a finding,
     * then never holds the trees of the whole workspace at once.
     */
    releaseLoadedTrees = false;

    constructor(services: LangiumSharedCoreServices) {
        super(services);
        this.documentFactory = services.workspace.LangiumDocumentFactory;
        this.syntaxTrees = () => (services as KraSharedCoreServices).workspace.SyntaxTrees;
    }

    override async initializeWorkspace(folders: WorkspaceFolder[], cancelToken = Cancellation.CancellationToken.None): Promise<void> {
        this.folders = folders;
        this.unreadableEntries = [];
        await super.initializeWorkspace(folders, cancelToken);
    }

    /**
     * The files and folders of the workspace that could not be read when it was loaded, with the
     * reason. They are left out of the workspace; each shell says so: `kra` fails with exit 2,
     * the language server shows a diagnostic on each.
     */
    get unreadable(): readonly UnreadableEntry[] {
        return this.unreadableEntries;
    }

    private unreadableEntries: UnreadableEntry[] = [];

    private leaveOut(uri: URI, error: unknown): void {
        // A file deleted between listing its folder and reading it is simply gone.
        if ((error as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') {
            this.unreadableEntries.push({ uri, reason: readErrorReason(error) });
        }
    }

    /**
     * Langium lists every folder of the workspace at once, and a folder it cannot list is only
     * logged. Here at most MAX_OPEN_FILES folders are listed at a time (a workspace of thousands
     * of folders does not run out of file handles), and a folder that cannot be listed is
     * recorded as unreadable.
     */
    protected override async traverseFolder(folderPath: URI, uris: URI[]): Promise<void> {
        const pending = [folderPath];
        while (pending.length > 0) {
            await Promise.all(pending.splice(0, MAX_OPEN_FILES).map(async folder => {
                let entries;
                try {
                    entries = await this.fileSystemProvider.readDirectory(folder);
                } catch (error) {
                    this.leaveOut(folder, error);
                    return;
                }
                for (const entry of entries) {
                    if (this.shouldIncludeEntry(entry)) {
                        (entry.isDirectory ? pending : uris).push(entry.uri);
                    }
                }
            }));
        }
    }

    /**
     * When set, `initializeWorkspace` loads only the workspace files whose URIs are in it, in the
     * order it would load them all: `kra check --cache` loads the files it must check again and
     * what they depend on (node/check-cache.ts).
     */
    selection?: ReadonlySet<string>;

    /** Documents already parsed, by URI, which `initializeWorkspace` takes instead of reading those files. */
    preloaded?: ReadonlyMap<string, LangiumDocument>;

    /** The .kra files of the given folders, as `initializeWorkspace` would find them, sorted by URI. */
    async workspaceFiles(folders: readonly WorkspaceFolder[]): Promise<URI[]> {
        this.unreadableEntries = [];
        const uris: URI[] = [];
        for (const folder of folders) {
            await this.traverseFolder(URI.parse(folder.uri), uris);
        }
        const unique = new Map(uris.map(uri => [uri.toString(), uri]));
        return [...unique.keys()].sort().map(key => unique.get(key)!);
    }

    /**
     * Langium adds the workspace's documents in the order their files finish reading, which
     * varies from run to run, and so would everything that walks the index in that order (which
     * organisation a broken workspace with two uses, the lists in messages). The files are read
     * in parallel still, at most MAX_OPEN_FILES at a time (reading all at once ran out of file
     * handles at 1,024, and the files past the limit were left out), and added in the order of
     * their paths.
     *
     * A file that cannot be read (deleted between listing the folder and reading it, or
     * unreadable) is left out and recorded in `unreadable`: with Langium's loader one such file
     * failed the whole start-up, the workspace never became ready, and the language server
     * answered no request again (found by test/fuzz/lsp.ts). If the file comes back, the editor
     * reports it as a change.
     */
    protected override async loadWorkspaceDocuments(uris: Stream<URI>, collector: (document: LangiumDocument) => void): Promise<void> {
        const selection = this.selection;
        const sorted = uris.filter(uri => !selection || selection.has(uri.toString())).toArray().sort((a, b) => {
            const [left, right] = [a.toString(), b.toString()];
            return left < right ? -1 : left > right ? 1 : 0;
        });
        const loaded: Array<LangiumDocument | undefined> = new Array(sorted.length);
        let next = 0;
        const worker = async () => {
            while (next < sorted.length) {
                const index = next++;
                try {
                    const document = this.preloaded?.get(sorted[index].toString()) ?? await this.documentFactory.fromUri(sorted[index]);
                    if (this.releaseLoadedTrees) {
                        this.syntaxTrees().release(document);
                    }
                    loaded[index] = document;
                } catch (error) {
                    this.leaveOut(sorted[index], error);
                }
            }
        };
        await Promise.all(Array.from({ length: Math.min(MAX_OPEN_FILES, sorted.length) }, worker));
        for (const document of loaded) {
            if (document) {
                collector(document);
            }
        }
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
