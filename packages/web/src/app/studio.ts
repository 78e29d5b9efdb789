/**
 * KRA Studio's page: the workspace's files, one editor, the problems list and the scorecard,
 * with the language server in a worker.
 */
import { basicSetup } from 'codemirror';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { indentWithTab } from '@codemirror/commands';
import {
    findReferencesKeymap, formatKeymap, hoverTooltips, jumpToDefinitionKeymap, LSPClient, renameKeymap,
    serverCompletion, signatureHelp, type Transport
} from '@codemirror/lsp-client';
import DOMPurify from 'dompurify';
import { ConfigChanged, DataChanged, ScorecardUpdated, WORKSPACE_ROOT, type ScorecardMessage } from '../protocol.js';
import { Diagnostics } from './diagnostics.js';
import { CONFIG_FILE, fileKind, type FileKind, type WorkspaceFileText } from './files.js';
import { kraLanguage } from './kra-language.js';
import { StudioLspFile, StudioLspWorkspace } from './lsp-workspace.js';
import type { LoadedWorkspace, WorkspaceSource } from './sources.js';

/** One file of the workspace: .kra files live in the language server's workspace too. */
interface StudioDocument {
    readonly path: string;
    readonly kind: FileKind;
    readonly uri: string;
    /** The text last loaded or saved. */
    saved: string;
    /** For .kra files. */
    readonly lsp?: StudioLspFile;
    /** For the config and data files: their editor state while not shown. */
    state?: EditorState;
}

export interface StudioEvents {
    /** The files, their saved state or the open file changed. */
    filesChanged(): void;
    problemsChanged(): void;
    scorecard(message: ScorecardMessage): void;
    /** A message for the status line (saving, errors). */
    status(text: string, kind?: 'error'): void;
}

export function uriOf(path: string): string {
    return `${WORKSPACE_ROOT}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

export class Studio {
    readonly diagnostics = new Diagnostics();
    readonly client: LSPClient;
    readonly view: EditorView;
    private readonly worker: Worker;
    private readonly documents = new Map<string, StudioDocument>();
    private source: WorkspaceSource | undefined;
    name = '';
    current: string | undefined;
    private configTimer: ReturnType<typeof setTimeout> | undefined;
    private dataTimer: ReturnType<typeof setTimeout> | undefined;
    private syncTimer: ReturnType<typeof setTimeout> | undefined;

    constructor(parent: HTMLElement, private readonly events: StudioEvents) {
        this.worker = new Worker('worker.js');
        this.client = new LSPClient({
            rootUri: WORKSPACE_ROOT,
            timeout: 20_000,
            workspace: client => new StudioLspWorkspace(client),
            // Hover text comes from the workspace's own descriptions: never trusted as HTML.
            sanitizeHTML: html => DOMPurify.sanitize(html, { USE_PROFILES: { html: true } }),
            extensions: [this.diagnostics.extension()],
            notificationHandlers: {
                [ScorecardUpdated]: (_client, params: ScorecardMessage) => {
                    this.events.scorecard(params);
                    return true;
                }
            }
        });
        const workspace = this.workspace();
        workspace.display = async uri => (await this.open(this.pathOf(uri)), this.view);
        workspace.changed = () => this.events.filesChanged();
        this.diagnostics.changed = () => {
            this.events.problemsChanged();
            // kra.config.yaml's problems: the server cannot place them in a view it does not know.
            const shown = this.current === undefined ? undefined : this.documents.get(this.current);
            if (shown && !shown.lsp) {
                void this.diagnostics.show(this.view, shown.uri);
            }
        };
        this.view = new EditorView({ parent, state: EditorState.create({ doc: '', extensions: [EditorState.readOnly.of(true), EditorView.editable.of(false)] }) });
        this.client.connect(workerTransport(this.worker));
    }

    private workspace(): StudioLspWorkspace {
        return this.client.workspace as StudioLspWorkspace;
    }

    /** Whether Save writes the files back (else the only way out is Download zip). */
    get canSave(): boolean {
        return this.source?.writesBack ?? false;
    }

    /** Replaces the workspace with a loaded one. */
    async load(loaded: LoadedWorkspace): Promise<void> {
        for (const document of this.documents.values()) {
            if (document.lsp) {
                this.workspace().remove(document.uri);
            }
            this.diagnostics.clear(document.uri);
        }
        this.documents.clear();
        this.current = undefined;
        this.source = loaded.source;
        this.name = loaded.name;
        for (const file of loaded.files) {
            this.add(file);
        }
        this.sendConfig();
        this.sendData();
        const first = [...this.documents.values()].find(document => document.kind === 'kra');
        if (first) {
            await this.open(first.path);
        }
        this.events.filesChanged();
    }

    private add(file: WorkspaceFileText): void {
        const kind = fileKind(file.path);
        if (!kind) {
            return;
        }
        const uri = uriOf(file.path);
        const document: StudioDocument = { path: file.path, kind, uri, saved: file.text };
        if (kind === 'kra') {
            const lsp = new StudioLspFile(uri, this.createState(file.text, uri, kind));
            this.workspace().add(lsp);
            (document as { lsp?: StudioLspFile }).lsp = lsp;
        } else {
            document.state = this.createState(file.text, uri, kind);
        }
        this.documents.set(file.path, document);
    }

    private createState(text: string, uri: string, kind: FileKind): EditorState {
        const extensions: Extension[] = [
            basicSetup,
            keymap.of([indentWithTab, { key: 'Mod-s', run: () => { void this.save(); return true; }, preventDefault: true }]),
            EditorView.updateListener.of(update => {
                if (update.docChanged) {
                    this.edited(kind);
                }
            }),
            EditorView.contentAttributes.of({ 'aria-label': `Editor: ${decodeURIComponent(uri.substring(WORKSPACE_ROOT.length + 1))}` })
        ];
        if (kind === 'kra') {
            extensions.push(
                kraLanguage,
                this.client.plugin(uri, 'kra'),
                serverCompletion(),
                hoverTooltips(),
                signatureHelp(),
                keymap.of([...formatKeymap, ...renameKeymap, ...jumpToDefinitionKeymap, ...findReferencesKeymap])
            );
        }
        return EditorState.create({ doc: text, extensions });
    }

    private edited(kind: FileKind): void {
        if (kind === 'kra') {
            // The server sees an edit once typing pauses (the LSP client sends changes on sync).
            clearTimeout(this.syncTimer);
            this.syncTimer = setTimeout(() => this.client.sync(), 150);
        } else if (kind === 'config') {
            clearTimeout(this.configTimer);
            this.configTimer = setTimeout(() => this.sendConfig(), 300);
        } else if (kind === 'data') {
            clearTimeout(this.dataTimer);
            this.dataTimer = setTimeout(() => this.sendData(), 300);
        }
        this.events.filesChanged();
    }

    private sendConfig(): void {
        const config = this.documents.get(CONFIG_FILE);
        this.client.notification(ConfigChanged, { uri: uriOf(CONFIG_FILE), text: config ? this.text(config) : null });
    }

    private sendData(): void {
        const files = [...this.documents.values()].filter(document => document.kind === 'data').map(document => ({ name: document.path, text: this.text(document) }));
        this.client.notification(DataChanged, { files });
    }

    /** Shows a file in the editor. */
    async open(path: string | undefined, selection?: { line: number; character: number }): Promise<void> {
        const document = path === undefined ? undefined : this.documents.get(path);
        if (!document) {
            return;
        }
        if (this.current !== path) {
            this.client.sync();
            const previous = this.current === undefined ? undefined : this.documents.get(this.current);
            if (previous && !previous.lsp) {
                previous.state = this.view.state;
            } else if (previous?.lsp) {
                previous.lsp.state = this.view.state;
            }
            this.current = path;
            this.view.setState(document.lsp ? document.lsp.state : document.state!);
            void this.diagnostics.show(this.view, document.uri);
            this.events.filesChanged();
        }
        if (selection) {
            const line = this.view.state.doc.line(Math.min(selection.line + 1, this.view.state.doc.lines));
            const anchor = Math.min(line.from + selection.character, line.to);
            this.view.dispatch({ selection: { anchor }, scrollIntoView: true });
        }
    }

    /** The file's text as it is now, in the editor or not. */
    text(document: StudioDocument): string {
        if (this.current === document.path) {
            return this.view.state.doc.toString();
        }
        return (document.lsp ? document.lsp.current() : document.state!).doc.toString();
    }

    list(): ReadonlyArray<{ path: string; kind: FileKind; uri: string; modified: boolean }> {
        return [...this.documents.values()]
            .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
            .map(document => ({ path: document.path, kind: document.kind, uri: document.uri, modified: this.text(document) !== document.saved }));
    }

    pathOf(uri: string): string | undefined {
        return [...this.documents.values()].find(document => document.uri === uri)?.path;
    }

    all(): WorkspaceFileText[] {
        return [...this.documents.values()].map(document => ({ path: document.path, text: this.text(document) }));
    }

    /** Writes the changed files where they came from (or downloads a zip). */
    async save(): Promise<void> {
        if (!this.source) {
            return;
        }
        const changed = [...this.documents.values()].filter(document => this.text(document) !== document.saved);
        const texts = changed.map(document => ({ path: document.path, text: this.text(document) }));
        try {
            await this.source.save(texts, this.all());
            changed.forEach((document, index) => { document.saved = texts[index].text; });
            this.events.status(changed.length === 0 ? 'Nothing to save.' : `Saved ${changed.length} file${changed.length === 1 ? '' : 's'}.`);
        } catch (error) {
            this.events.status(`Not saved: ${error instanceof Error ? error.message : String(error)}`, 'error');
        }
        this.events.filesChanged();
    }
}

/** The worker as the LSP client's transport: JSON text each way. */
function workerTransport(worker: Worker): Transport {
    const handlers = new Set<(message: string) => void>();
    worker.addEventListener('message', event => {
        const text = JSON.stringify(event.data);
        handlers.forEach(handler => handler(text));
    });
    return {
        send(message: string) {
            const parsed = JSON.parse(message) as { method?: string; params?: { workspaceFolders?: unknown } };
            // The client names only a root URI; the server needs it as a workspace folder
            // (imports may not leave it, kra.config.yaml applies to it).
            if (parsed.method === 'initialize' && parsed.params) {
                parsed.params.workspaceFolders = [{ uri: WORKSPACE_ROOT, name: 'workspace' }];
            }
            worker.postMessage(parsed);
        },
        subscribe: handler => { handlers.add(handler); },
        unsubscribe: handler => { handlers.delete(handler); }
    };
}
