import { ChangeSet, type EditorState, type Text, type TransactionSpec } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';
import { LSPPlugin, Workspace, type LSPClient, type WorkspaceFile } from '@codemirror/lsp-client';

/**
 * One .kra file as the language server knows it. Every file of the workspace is open in the
 * server from the start (the worker has no disk to read the others from); one editor view
 * shows one of them at a time, and the others keep their editor state here.
 */
export class StudioLspFile implements WorkspaceFile {
    readonly languageId = 'kra';
    version = 0;
    /** The text the server has. */
    doc: Text;
    /** Changes made while no view showed the file (a rename in another file), not yet sent. */
    pending: ChangeSet;
    view: EditorView | null = null;

    constructor(readonly uri: string, public state: EditorState) {
        this.doc = state.doc;
        this.pending = ChangeSet.empty(state.doc.length);
    }

    getView(): EditorView | null {
        return this.view;
    }

    /** The file's current editor state, whether or not a view shows it. */
    current(): EditorState {
        return this.view?.state ?? this.state;
    }
}

/**
 * The client's workspace: many files, one view. `display` is the page's way to bring a file
 * into the view (go to definition in another file); `changed` tells it that a file's text
 * changed without a view (a rename's edits in other files).
 */
export class StudioLspWorkspace extends Workspace {
    files: StudioLspFile[] = [];
    display: (uri: string) => Promise<EditorView | null> = async () => null;
    changed: (uri: string) => void = () => undefined;

    constructor(client: LSPClient) {
        super(client);
    }

    add(file: StudioLspFile): void {
        this.files.push(file);
        if (this.client.connected) {
            this.client.didOpen(file);
        }
    }

    remove(uri: string): void {
        const file = this.getFile(uri);
        if (!file) {
            return;
        }
        this.files = this.files.filter(candidate => candidate !== file);
        this.client.didClose(uri);
        // Langium keeps a closed document; a deleted file is what removes it from the workspace.
        this.client.notification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
    }

    override getFile(uri: string): StudioLspFile | null {
        return this.files.find(file => file.uri === uri) ?? null;
    }

    syncFiles() {
        const updates = [];
        for (const file of this.files) {
            if (file.view) {
                const plugin = LSPPlugin.get(file.view);
                if (!plugin || plugin.unsyncedChanges.empty) {
                    continue;
                }
                updates.push({ file, prevDoc: file.doc, changes: plugin.unsyncedChanges });
                file.doc = file.view.state.doc;
                plugin.clear();
            } else if (!file.pending.empty) {
                updates.push({ file, prevDoc: file.doc, changes: file.pending });
                file.doc = file.state.doc;
                file.pending = ChangeSet.empty(file.doc.length);
            } else {
                continue;
            }
            file.version++;
        }
        return updates;
    }

    openFile(uri: string, _languageId: string, view: EditorView): void {
        const file = this.getFile(uri);
        if (file) {
            file.view = view;
        }
    }

    closeFile(uri: string, view: EditorView): void {
        const file = this.getFile(uri);
        if (file && file.view === view) {
            file.view = null;
        }
    }

    override updateFile(uri: string, update: TransactionSpec): void {
        const file = this.getFile(uri);
        if (!file) {
            return;
        }
        if (file.view) {
            file.view.dispatch(update);
        } else {
            const transaction = file.state.update(update);
            file.state = transaction.state;
            file.pending = file.pending.compose(transaction.changes);
        }
        this.changed(uri);
    }

    override displayFile(uri: string): Promise<EditorView | null> {
        return this.display(uri);
    }
}
